import type { TrendReport } from '../report/trend.js';
import { columnsFor } from '../view/column.js';
import { checkOptions, wholeNumber, type OptionRule } from '../model/options.js';
import { SOURCE_LIST } from './options.js';
import { trendColumns } from '../view/trend.js';
import { GITHUB_COMMENT_LIMIT, linesThatFit, markdownCode, markdownGates, markdownRow, markdownTableHead, markdownText } from './markdown.js';
import { describeComparison, describeProjection, describeTotal, describeVerdicts, describeWindow, trendEnds } from './text-trend.js';
import { hintMarkdown } from './hint.js';
/** A bot finds its earlier trend comment by this marker and edits it instead of posting again. */
export const TREND_MARKER = '<!-- heapdiff:trend -->';

/** Options of renderTrendMarkdown. */
export interface MarkdownTrendOptions {
  /** Character budget for the whole comment. Default GitHub's limit. */
  readonly limit?: number;
  /** The snapshots' sources in argument order: the hints' `peek` commands name the first and last. */
  readonly sources?: readonly string[];
}

/** The `trend` report as a GitHub-flavoured Markdown table with a one-paragraph summary. */
export function renderTrendMarkdown(report: TrendReport, options: MarkdownTrendOptions = {}): string {
  checkOptions(options, { limit: wholeNumber(1), sources: SOURCE_LIST } satisfies Record<keyof MarkdownTrendOptions, OptionRule>);
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const columns = columnsFor(trendColumns(report), 'markdown');
  const gates = markdownGates(report.gates);
  const summary = [
    `### heapdiff trend: ${markdownCode(report.sampleType.type)} · ${describeVerdicts(report)}${gates ? ` · ${gates.badge}` : ''}`,
    `${markdownText(describeWindow(report))}. Total ${markdownText(describeTotal(report).replace('  (', ' ('))}.${report.projection ? ` Limit ${markdownText(describeProjection(report))}; compares ${markdownText(describeComparison(report))}.` : ''}`,
    ...(gates ? ['', gates.details] : []),
    ...trendHintsMarkdown(report, options.sources),
  ];
  const head = [TREND_MARKER, ...summary, ''].join('\n') + '\n';
  if (report.rows.length === 0) return head;
  const header = markdownTableHead(columns, '--:');
  // Names are already bounded (markdownCode); rows are cut to fit GitHub's limit whatever -n says.
  const tooBig = (cut: number) => `\n_${cut} more sites left out to stay within GitHub's ${limit}-character comment limit; use \`--format json\` for all of them._\n`;
  const budget = limit - head.length - header.length - 1 - tooBig(report.totalRows).length;
  const rows = linesThatFit(report.rows.length, (i) => markdownRow(columns, report.rows[i]!, i), budget);
  const cut = report.totalRows - rows.length;
  const note = rows.length < report.rows.length ? tooBig(cut) : cut > 0 ? `\n_${cut} more sites left out; use \`-n 0\` for all._\n` : '';
  return `${head}${header}\n${rows.map((r) => `${r}\n`).join('')}${note}`;
}

/** The attribution hint of each leak that is a helper, first → last, as the text prints it. */
function trendHintsMarkdown(report: TrendReport, sources: readonly string[] | undefined): string[] {
  if (report.hints.length === 0) return [];
  return ['', ...report.hints.map((hint) => hintMarkdown(hint, { ...report, kind: 'diff' }, trendEnds(report, sources)))];
}
