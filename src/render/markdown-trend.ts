import type { TrendReport } from '../report/trend.js';
import { markdownCode, markdownGates } from './markdown.js';
import { describeProjection, describeVerdicts, describeWindow, trendCells, trendColumns } from './text-trend.js';

/** A bot finds its earlier trend comment by this marker and edits it instead of posting again. */
export const TREND_MARKER = '<!-- heapdiff:trend -->';

/** The `trend` report as a GitHub-flavoured Markdown table with a one-paragraph summary. */
export function renderTrendMarkdown(report: TrendReport): string {
  const { header, align } = trendColumns(report);
  const gates = markdownGates(report.gates);
  const summary = [
    `### heapdiff trend: \`${report.sampleType.type}\` · ${describeVerdicts(report)}${gates ? ` · ${gates.badge}` : ''}`,
    `${describeWindow(report)}.${report.projection ? ` Limit ${describeProjection(report)}.` : ''}`,
    ...(gates ? ['', gates.details] : []),
  ];
  const lines = [TREND_MARKER, ...summary, ''];
  if (report.rows.length > 0) {
    lines.push(`| ${header.join(' | ')} |`, `|${align.map((a) => (a === 'right' ? '--:|' : ':--|')).join('')}`);
    for (const row of report.rows) {
      const cells = trendCells(report, row);
      cells[1] = row.verdict === 'leak' ? `**${cells[1]}**` : cells[1]!;
      cells[cells.length - 1] = markdownCode(cells[cells.length - 1]!);
      lines.push(`| ${cells.join(' | ')} |`);
    }
    if (report.rows.length < report.totalRows) lines.push('', `_${report.totalRows - report.rows.length} more sites left out; use \`-n 0\` for all._`);
  }
  return lines.join('\n') + '\n';
}
