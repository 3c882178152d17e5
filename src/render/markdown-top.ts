import { formatPercentSigned, formatSigned, scaledLabel } from '../format/units.js';
import { largestDecreases, type TopReport } from '../report/top.js';
import { checkOptions, wholeNumber, type OptionRule } from '../model/options.js';
import { columnsFor } from '../view/column.js';
import { SOURCES } from './options.js';
import { topColumns } from '../view/top.js';
import { decreasesCaption, type Sources } from './text-top.js';
import { formatCaptureTime } from './time.js';
import { markdownCode, markdownGates, markdownRow, markdownTableHead } from './markdown.js';

/** GitHub refuses comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** A bot finds its earlier comment by this marker and edits it instead of posting again. */
export const MARKDOWN_MARKER = '<!-- heapdiff:report -->';

export interface MarkdownOptions {
  readonly sources?: Sources;
  /** Rows in the visible table; the rest fold into <details>. Default 10. */
  readonly tableRows?: number;
  /** Character budget for the whole comment. Default GitHub's limit. */
  readonly limit?: number;
}

/**
 * A compact report for a pull-request comment: a summary line, the gate results, the top sites
 * and the long tail folded away, never longer than a GitHub comment may be.
 */
export function renderTopMarkdown(report: TopReport, options: MarkdownOptions = {}): string {
  checkOptions(options, { sources: SOURCES, tableRows: wholeNumber(0, Number.MAX_SAFE_INTEGER, true), limit: wholeNumber(1) } satisfies Record<keyof MarkdownOptions, OptionRule>);
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const tableRows = options.tableRows ?? 10;
  const head = [MARKDOWN_MARKER, ...summary(report, options.sources), '', ''].join('\n');
  const columns = columnsFor(topColumns(report), 'markdown');
  const rows = report.rows.map((r, i) => markdownRow(columns, r, i));
  const header = markdownTableHead(columns, '---:');
  const shown = rows.slice(0, tableRows);
  const tail = rows.slice(tableRows);

  let body = shown.length > 0 ? `${header}\n${shown.join('\n')}\n` : `_No ${report.granularity === 'functions' ? 'function' : 'site'} changed._\n`;
  // Decreases folded away below zero-change rows stay in view (swapped arguments, a fix).
  const decreases = report.kind === 'diff' ? largestDecreases(report.rows, tableRows, report.sort, Math.min(tableRows, 10)) : [];
  if (decreases.length > 0) {
    const caption = decreasesCaption({ ...report, decreases });
    body += `\n**${caption}**\n\n${header}\n${decreases.map((r, i) => markdownRow(columns, r, i)).join('\n')}\n`;
  }
  if (tail.length > 0) {
    const open = `\n<details><summary>${tail.length} more changed ${report.granularity}</summary>\n\n${header}\n`;
    const close = '\n</details>\n';
    // Keep room for the note that says how many rows did not fit.
    const budget = limit - head.length - body.length - open.length - close.length - 200;
    let used = 0;
    let fitted = 0;
    for (const line of tail) {
      if (used + line.length + 1 > budget) break;
      used += line.length + 1;
      fitted++;
    }
    const note =
      fitted < tail.length
        ? `\n_${tail.length - fitted} more rows left out to stay within GitHub's ${limit}-character comment limit; use \`--format json\` for all of them._\n`
        : '';
    body += open + tail.slice(0, fitted).join('\n') + close + note;
  }
  return `${head}${body}`;
}

function summary(report: TopReport, sources: Sources | undefined): string[] {
  const unit = report.sampleType.unit;
  const type = `\`${report.sampleType.type}\``;
  const gate = markdownGates(report.gates);
  if (report.base === null) {
    return [
      `### heapdiff: ${type} ${scaledLabel(report.current.total, unit)}${gate ? ` · ${gate.badge}` : ''}`,
      `Profile ${markdownCode(sources?.current ?? 'profile')} (${formatCaptureTime(report.current.timeNanos)}).`,
      ...(gate ? ['', gate.details] : []),
    ];
  }
  const net = report.current.total - report.base.total;
  const rel = formatPercentSigned(net, report.base.total);
  return [
    `### heapdiff: ${type} ${formatSigned(net, unit)}${rel ? ` (${rel})` : ''}${gate ? ` · ${gate.badge}` : ''}`,
    `${scaledLabel(report.base.total, unit)} in base ${markdownCode(sources?.base ?? 'base')} (${formatCaptureTime(report.base.timeNanos)}) → ` +
      `${scaledLabel(report.current.total, unit)} in current ${markdownCode(sources?.current ?? 'current')} (${formatCaptureTime(report.current.timeNanos)}). ` +
      `Percentages are relative to the base total.`,
    ...(gate ? ['', gate.details] : []),
  ];
}
