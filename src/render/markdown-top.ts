import { formatPercentSigned, formatSigned, scaledLabel } from '../format/units.js';
import { largestDecreases, type TopReport } from '../report/top.js';
import { checkOptions, wholeNumber, type OptionRule } from '../model/options.js';
import { columnsFor } from '../view/column.js';
import { SOURCES } from './options.js';
import { topColumns } from '../view/top.js';
import { criticalValue } from '../stats/difference.js';
import { baseSourceName, decreasesCaption, meanOf, type Sources } from './text-top.js';
import { hintMarkdown } from './hint.js';
import { formatCaptureTime } from './time.js';
import { GITHUB_COMMENT_LIMIT, linesThatFit, markdownCode, markdownGates, markdownRow, markdownTableHead, markdownText } from './markdown.js';

export { GITHUB_COMMENT_LIMIT };

/** A bot finds its earlier comment by this marker and edits it instead of posting again. */
export const MARKDOWN_MARKER = '<!-- heapdiff:report -->';

/** Options of renderTopMarkdown. */
export interface MarkdownOptions {
  /** The profiles as the user named them, for the summary line. */
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
  const row = (i: number) => markdownRow(columns, report.rows[i]!, i);
  const header = markdownTableHead(columns, '---:');
  const total = report.rows.length;
  if (total === 0) return `${head}_No ${report.granularity === 'functions' ? 'function' : 'site'} changed._\n`;

  // Names are already bounded (markdownCode), so the head is small; rows are cut to fit the rest.
  const note = (cut: number) => `\n_${cut} more rows left out to stay within GitHub's ${limit}-character comment limit; use \`--format json\` for all of them._\n`;
  let left = limit - head.length - note(total).length;
  const wanted = Math.min(tableRows, total);
  const shown = linesThatFit(wanted, row, left - header.length - 2);
  let body = shown.length > 0 ? `${header}\n${shown.join('\n')}\n` : '';
  // Decreases folded away below zero-change rows stay in view (swapped arguments, a fix).
  const decreases = report.kind === 'diff' && shown.length === wanted ? largestDecreases(report.rows, wanted, report.sort, Math.min(wanted, 10)) : [];
  if (decreases.length > 0) {
    const caption = (n: number) => `\n**${decreasesCaption({ ...report, decreases: decreases.slice(0, n) })}**\n\n${header}\n`;
    const fitted = linesThatFit(decreases.length, (i) => markdownRow(columns, decreases[i]!, i), left - body.length - caption(decreases.length).length - 1);
    if (fitted.length > 0) body += `${caption(fitted.length)}${fitted.join('\n')}\n`;
  }
  left -= body.length;
  let folded: string[] = [];
  if (shown.length === wanted && wanted < total) {
    const open = `\n<details><summary>${total - wanted} more changed ${report.granularity}</summary>\n\n${header}\n`;
    const close = '\n</details>\n';
    folded = linesThatFit(total - wanted, (i) => row(wanted + i), left - open.length - close.length);
    if (folded.length > 0) body += open + folded.join('\n') + close;
  }
  const cut = total - shown.length - folded.length;
  return `${head}${body}${cut > 0 ? note(cut) : ''}`;
}

function summary(report: TopReport, sources: Sources | undefined): string[] {
  const unit = report.sampleType.unit;
  const type = markdownCode(report.sampleType.type);
  const size = (v: number) => markdownText(scaledLabel(v, unit));
  const gate = markdownGates(report.gates);
  if (report.base === null) {
    return [
      `### heapdiff: ${type} ${size(report.current.total)}${gate ? ` · ${gate.badge}` : ''}`,
      `Profile ${markdownCode(sources?.current ?? 'profile')} (${formatCaptureTime(report.current.timeNanos)}).${errorsNote(report) ? ` ${errorsNote(report)}.` : ''}`,
      ...(gate ? ['', gate.details] : []),
      ...(report.hint ? ['', hintMarkdown(report.hint, report, sources)] : []),
    ];
  }
  const net = report.current.total - report.base.total;
  const rel = formatPercentSigned(net, report.base.total);
  // A reviewer reads the headline first: a change within noise says so there, as the text's Total: does.
  const noise = report.total && !report.total.significant ? 'within noise' : '';
  const aside = [rel, noise].filter(Boolean).join(', ');
  // The total's error bar, as the text's Total: line shows it.
  const error = report.total?.error;
  const bar = error ? ` ± ${markdownText(scaledLabel(criticalValue(report.confidence) * error, unit))}` : '';
  return [
    `### heapdiff: ${type} ${markdownText(formatSigned(net, unit))}${bar}${aside ? ` (${aside})` : ''}${gate ? ` · ${gate.badge}` : ''}`,
    `${size(report.base.total)} in base ${markdownCode(baseSourceName(sources))} (${meanOf(report.base)}${formatCaptureTime(report.base.timeNanos)}) → ` +
      `${size(report.current.total)} in current ${markdownCode(sources?.current ?? 'current')} (${meanOf(report.current)}${formatCaptureTime(report.current.timeNanos)}). ` +
      `Percentages are relative to the base total${errorsNote(report) ? `; ${errorsNote(report)}` : ''}.`,
    ...(gate ? ['', gate.details] : []),
    ...(report.hint ? ['', hintMarkdown(report.hint, report, sources)] : []),
  ];
}

/** What the ± column and a `~` verdict mean, for a reader who never saw the text's Errors: line. */
function errorsNote(report: TopReport): string {
  if (report.errorModel === undefined || report.errorModel === 'exact' || report.errorModel === 'unknown') return '';
  const level = `${+(report.confidence * 100).toFixed(2)}%`;
  const from = report.errorModel === 'spread' ? ' from the spread between profiles' : '';
  // One profile has error bars but no verdicts (nothing changed).
  const verdict = report.kind === 'diff' ? `, and a \`~\` change is within ${from ? '' : 'sampling '}noise` : '';
  return `± is the ${level} interval${from}${verdict}`;
}
