import { escapeTerminal } from '../format/escape-terminal.js';
import { mapStrings } from '../format/map-strings.js';

/**
 * A report and its sources with every string terminal-safe (see escapeTerminal): the text
 * renderers call this first, so each name, file, sample type, unit, label, source line and gate
 * message they print is escaped in one place.
 */
export function terminalSafe<R, S>(report: R, sources: S): { report: R; sources: S } {
  return { report: mapStrings(report, escapeTerminal), sources: mapStrings(sources, escapeTerminal) };
}
