import type { TrendReport } from '../report/trend.js';
import { columnsFor } from '../view/column.js';
import { trendColumns } from '../view/trend.js';
import { markdownGates, markdownRow, markdownTableHead } from './markdown.js';
import { describeComparison, describeProjection, describeVerdicts, describeWindow } from './text-trend.js';
/** A bot finds its earlier trend comment by this marker and edits it instead of posting again. */
export const TREND_MARKER = '<!-- heapdiff:trend -->';

/** The `trend` report as a GitHub-flavoured Markdown table with a one-paragraph summary. */
export function renderTrendMarkdown(report: TrendReport): string {
  const columns = columnsFor(trendColumns(report), 'markdown');
  const gates = markdownGates(report.gates);
  const summary = [
    `### heapdiff trend: \`${report.sampleType.type}\` · ${describeVerdicts(report)}${gates ? ` · ${gates.badge}` : ''}`,
    `${describeWindow(report)}.${report.projection ? ` Limit ${describeProjection(report)}; compares ${describeComparison(report)}.` : ''}`,
    ...(gates ? ['', gates.details] : []),
  ];
  const lines = [TREND_MARKER, ...summary, ''];
  if (report.rows.length > 0) {
    lines.push(markdownTableHead(columns, '--:'));
    report.rows.forEach((row, i) => lines.push(markdownRow(columns, row, i)));
    if (report.rows.length < report.totalRows) lines.push('', `_${report.totalRows - report.rows.length} more sites left out; use \`-n 0\` for all._`);
  }
  return lines.join('\n') + '\n';
}
