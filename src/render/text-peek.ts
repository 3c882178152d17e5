import { scaledLabel } from '../format/units.js';
import { checkOptions, type OptionRule } from '../model/options.js';
import type { PeekReport } from '../report/peek.js';
import { columnsFor } from '../view/column.js';
import { peekColumns, peekLines } from '../view/peek.js';
import { terminalSafe } from './escape-terminal-report.js';
import { SOURCES, STYLE } from './options.js';
import { PLAIN } from './style.js';
import { textTable } from './table.js';
import { topHeader, type TextOptions } from './text-top.js';

/**
 * The `peek` report as text: the header `top` prints, then pprof's peek table, each matching
 * function on its own line between its callers (←) and its callees (→), a blank line between
 * functions.
 */
export function renderPeekText(unsafeReport: PeekReport, options: TextOptions = {}): string {
  checkOptions(options, { sources: SOURCES, style: STYLE } satisfies Record<keyof TextOptions, OptionRule>);
  const style = options.style ?? PLAIN;
  const { report, sources } = terminalSafe(unsafeReport, options.sources);
  const lines = peekLines(report);
  const table = textTable(columnsFor(peekColumns(report), 'text'), lines, style);
  const out = [...topHeader(report, sources, style), '', peekCaption(report), '', table[0]!];
  lines.forEach((line, i) => {
    if (i > 0 && line.entry !== lines[i - 1]!.entry) out.push('');
    out.push(table[i + 1]!);
  });
  return out.join('\n') + '\n';
}

/** What the table shows and what its percentages are of (shared with Markdown and HTML). */
export function peekCaption(report: PeekReport): string {
  const { before, regex, after } = peekCaptionParts(report);
  return before + regex + after;
}

/** The caption around its `/regex/`, so that Markdown can set the regex as code without searching the text for it. */
export function peekCaptionParts(report: PeekReport): { before: string; regex: string; after: string } {
  const n = report.entries.length;
  const what = `${n} ${report.granularity === 'functions' ? (n === 1 ? 'function' : 'functions') : n === 1 ? 'site' : 'sites'} matching `;
  const total = scaledLabel(report.percentOf, report.sampleType.unit);
  const of = report.kind === 'diff' ? `relative to the base total (${total})` : `of the profile total (${total})`;
  const change = report.kind === 'diff' ? 'change ' : '';
  return {
    before: `Callers (←) and callees (→) of ${what}`,
    regex: `/${report.regex}/`,
    after: `, largest flat ${change}first. flat% and cum% are ${of}; calls is what the callee holds through that edge, calls% its share of the function's cum.`,
  };
}
