import type { GateBreach } from '../report/gates.js';
import { escapeTerminal } from '../format/escape-terminal.js';
import type { Terminal } from './io.js';

/** At most this many annotations of each level; GitHub shows only the first few anyway. */
export const ANNOTATION_CAP = 10;

/** Escapes a workflow command's message (the part after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value, where `:` and `,` are separators too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface Annotated {
  readonly breach: GateBreach;
  /** Workspace-relative source location, only where the file was found in the workspace. */
  readonly location?: { file: string; line: number };
}

/** `::error`/`::warning` lines for breached gates, capped, with one notice for the rest. */
export function annotations(level: 'error' | 'warning', items: readonly Annotated[]): string[] {
  const lines = items.slice(0, ANNOTATION_CAP).map(({ breach, location }) => {
    const props = [`title=${escapeProperty(`heapdiff gate ${breach.rule}`)}`];
    if (location) props.push(`file=${escapeProperty(location.file)}`, `line=${location.line}`);
    // The message shows in the log and the checks UI: controls and line breaks visible, as in terminal text.
    return `::${level} ${props.join(',')}::${escapeData(escapeTerminal(breach.message))}`;
  });
  const left = items.length - ANNOTATION_CAP;
  if (left > 0) lines.push(`::notice::${escapeData(`${left} more ${level === 'error' ? 'gate breaches' : 'gate warnings'} were not annotated; see the report`)}`);
  return lines;
}

/** What the runner skips before and inside a command prefix: blanks, controls, ignorables (its search is culture-aware). */
const SKIPPED = '[\\p{Cc}\\p{Default_Ignorable_Code_Point}]*';
const LINE_COMMAND = new RegExp(`^([\\s\\u0085\\p{Cc}\\p{Default_Ignorable_Code_Point}]*):(${SKIPPED}):`, 'u');
const LEGACY_COMMAND = new RegExp(`#${SKIPPED}#${SKIPPED}\\[`, 'gu');

/**
 * The runner reads a log line as a workflow command when it starts with `::` after blanks, or
 * holds the legacy prefix `##[` anywhere. Escaping per output kind keeps profile strings from
 * forming either; this is the last check at the writer, for any output kind: such a line gets
 * a backslash before its first colon, and `##[` becomes `#\x23[`.
 */
export function neutraliseWorkflowCommands(text: string): string {
  if (!text.includes(':') && !text.includes('#')) return text;
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part) => part.replace(LINE_COMMAND, '$1\\:$2:').replace(LEGACY_COMMAND, '#\\x23['))
    .join('');
}

/** The CLI's output with workflow commands refused on stdout and stderr; annotations go through workflowCommands. */
export function withoutWorkflowCommands<T extends Pick<Terminal, 'stdout' | 'stderr' | 'workflowCommands'>>(io: T): T {
  return {
    ...io,
    stdout: (text) => io.stdout(neutraliseWorkflowCommands(text)),
    stderr: (text) => io.stderr(neutraliseWorkflowCommands(text)),
    workflowCommands: io.workflowCommands ?? ((text) => io.stderr(text)),
  };
}
