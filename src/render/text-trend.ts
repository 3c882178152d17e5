import { VERDICTS } from '../analysis/trend.js';
import { formatPercentSigned, formatSigned, goFixed, scaledLabel } from '../format/units.js';
import { criticalValue } from '../stats/difference.js';
import type { TrendReport } from '../report/trend.js';
import { SPARKLINE_WIDTH, sparkline } from '../format/sparkline.js';
import { checkOptions, type OptionRule } from '../model/options.js';
import { columnsFor } from '../view/column.js';
import { SOURCE_LIST, STYLE } from './options.js';
import { formatRetained, trendColumns } from '../view/trend.js';
import { terminalSafe } from './escape-terminal-report.js';
import { PLAIN, type Style } from './style.js';
import { textTable } from './table.js';
import { gateLines } from './text-top.js';
import { hintLine } from './hint.js';
import type { Sources } from './text-top.js';
import { formatCaptureTime, formatInterval } from './time.js';

/** Options of renderTrendText. */
export interface TrendTextOptions {
  /** The snapshots' sources as the user named them, in argument order. */
  readonly sources?: readonly string[];
  readonly style?: Style;
}

const HOUR = 3600;

/** The `trend` report as text: what was compared, the verdict counts, then one row per site. */
export function renderTrendText(unsafeReport: TrendReport, options: TrendTextOptions = {}): string {
  checkOptions(options, { sources: SOURCE_LIST, style: STYLE } satisfies Record<keyof TrendTextOptions, OptionRule>);
  const { report, sources } = terminalSafe(unsafeReport, options.sources);
  const style = options.style ?? PLAIN;
  const lines = [...trendSummary(report, sources, style), '', caption(report)];
  if (report.rows.length === 0) lines.push('(no samples)');
  else lines.push(...textTable(columnsFor(trendColumns(report), 'text'), report.rows, style));
  if (report.hints.length > 0) lines.push('', ...trendHintLines(report, sources));
  lines.push(...gateLines(report.gates, style));
  return lines.join('\n') + '\n';
}

/**
 * The attribution hint of each leak that is a helper, as `top` prints it; its `peek` command
 * compares the first snapshot with the last, the window the hint's growth is measured over.
 */
export function trendHintLines(report: TrendReport, sources: readonly string[] | undefined): string[] {
  return report.hints.map((hint) => hintLine(hint, { ...report, kind: 'diff' }, trendEnds(report, sources)));
}

/** The first and the last snapshot's sources: the pair a trend hint's `peek` compares. */
export function trendEnds(report: TrendReport, sources: readonly string[] | undefined): Sources | undefined {
  const first = report.snapshots[0]!;
  const last = report.snapshots[report.snapshots.length - 1]!;
  return sources ? { base: sources[first.index] ?? 'first.pb.gz', current: sources[last.index] ?? 'last.pb.gz' } : undefined;
}

/** The total change's `±` (one-process model, first → last) and `within noise`, as `top`'s Total: line. */
function totalBar(report: TrendReport): string {
  const { error, significant } = report.total;
  const bar = error ? ` ± ${scaledLabel(criticalValue(report.confidence) * error, report.sampleType.unit)}` : '';
  return `${bar}${significant ? '' : ', within noise'}`;
}

/** The total first → last with its change, `±` and `within noise`: `11.98MB → 69.14MB  (+57.16MB ± 1.2MB, +477%)`. */
export function describeTotal(report: TrendReport): string {
  const unit = report.sampleType.unit;
  const first = report.snapshots[0]!;
  const last = report.snapshots[report.snapshots.length - 1]!;
  const net = last.total - first.total;
  const rel = formatPercentSigned(net, first.total);
  return `${scaledLabel(first.total, unit)} → ${scaledLabel(last.total, unit)}  (${formatSigned(net, unit)}${totalBar(report)}${rel ? `, ${rel}` : ''})`;
}

/** What was compared, the totals and the verdict counts (shared with the HTML report). */
export function trendSummary(report: TrendReport, sources: readonly string[] | undefined, style: Style): string[] {
  const unit = report.sampleType.unit;
  const first = report.snapshots[0]!;
  const last = report.snapshots[report.snapshots.length - 1]!;
  const name = (s: typeof first) => sources?.[s.index] ?? `snapshot ${s.index + 1}`;
  const totals = report.snapshots.map((s) => s.total);
  const out = [
    style.strong(`Type: ${report.sampleType.type} (${unit})  ·  by ${report.granularity}  ·  ${report.value} values${report.exactCounts ? '  ·  exact counts (not sampled)' : ''}`),
    `Window:   ${describeWindow(report)}`,
    `First:    ${name(first)}`,
    `Last:     ${name(last)}`,
    `Total:    ${describeTotal(report)}  ${sparkline(totals)}`,
  ];
  // The ± of rows and total are then only bounds: say so, as top's Errors: line does.
  if (report.errorModel === 'bytes-bound') out.push('Errors:   no objects column, so each ± is an upper bound (R·bytes)');
  if (report.errorModel === 'unknown') out.push(`Errors:   unknown for ${report.sampleType.type} (sampled, but its sizes are missing): ± shows ?`);
  if (report.retained !== null) out.push(`Retained: ${formatRetained(report.retained)} of what was allocated over the window is still in use`);
  out.push(`Verdicts: ${describeVerdicts(report)}`);
  if (report.projection) out.push(`Limit:    ${describeProjection(report)}`, `Compared: ${describeComparison(report)}`);
  return out;
}

export function describeWindow(report: TrendReport): string {
  const n = report.snapshots.length;
  if (report.slopePer === 'snapshot') return `${n} snapshots, in argument order (capture times missing or equal)`;
  const first = report.snapshots[0]!.timeNanos;
  const last = report.snapshots[n - 1]!.timeNanos;
  return `${n} snapshots over ${formatInterval(last - first)}, ${formatCaptureTime(first)} → ${formatCaptureTime(last)}`;
}

/** "3 leak, 1 sawtooth, 5 plateau": every verdict that occurs, in report order. */
export function describeVerdicts(report: TrendReport): string {
  const parts = VERDICTS.filter((v) => report.verdicts[v] > 0).map((v) => `${report.verdicts[v]} ${v}`);
  return parts.length > 0 ? parts.join(', ') : 'no sites';
}

export function describeProjection(report: TrendReport): string {
  const p = report.projection!;
  const unit = report.sampleType.unit;
  const limit = scaledLabel(p.limit, unit);
  const now = `${p.basis === 'memstats' ? 'MemStats Sys' : p.overhead === 1 ? 'the heap' : 'heap × overhead'} is ${scaledLabel(p.memory, unit)}`;
  if (p.after === 0) return `${limit} already reached: ${now}`;
  if (p.after === null) return `${limit} not projected: no site leaks (${now})`;
  const perSnapshot = report.slopePer === 'snapshot';
  const span = (after: number) => (perSnapshot ? goFixed(after, 1) : formatInterval(after * 1e9));
  const level = `${+(report.confidence * 100).toFixed(2)}%`;
  // Ends that read the same (4s to 4s) say nothing the estimate does not.
  const range =
    p.afterLow === null
      ? ''
      : p.afterHigh === null
        ? ` (${level}: from ${span(p.afterLow)}, or never: the leaks' rate may be 0)`
        : span(p.afterLow) === span(p.afterHigh)
          ? ''
          : ` (${level}: ${span(p.afterLow)} to ${span(p.afterHigh)})`;
  const z = criticalValue(report.confidence);
  if (perSnapshot) {
    const bar = p.rateError === null ? '' : ` ± ${scaledLabel(z * p.rateError, unit)}`;
    return `${limit} reached in about ${span(p.after)} snapshots${range} at the leaks' ${formatSigned(p.rate, unit)}${bar} per snapshot`;
  }
  const bar = p.rateError === null ? '' : ` ± ${scaledLabel(z * p.rateError * HOUR, unit)}/h`;
  const at = p.atNanos === null ? '' : `, around ${formatCaptureTime(p.atNanos)}`;
  return `${limit} reached in about ${span(p.after)}${range} at the leaks' ${formatSigned(p.rate * HOUR, unit)}/h${bar}${at}`;
}

/** What the projection compares with the limit, so nobody mistakes the sampled heap for the process. */
export function describeComparison(report: TrendReport): string {
  const p = report.projection!;
  const memory = scaledLabel(p.memory, report.sampleType.unit);
  if (p.basis === 'memstats') {
    return `the last snapshot's MemStats Sys (${memory}, all memory the Go runtime holds) with the limit${p.overhead === 1 ? '' : `; each leaked heap byte counts ${p.overhead}×`}`;
  }
  if (p.overhead === 1) return 'the sampled in-use heap with the limit, not the whole process: a Go process holds about 2× its live heap with GOGC=100 (--overhead 2)';
  return `the in-use heap × ${p.overhead} (--overhead), ${memory}, with the limit`;
}

function caption(report: TrendReport): string {
  const noun = report.granularity;
  const count = report.rows.length < report.totalRows ? `Top ${report.rows.length} of ${report.totalRows}` : `All ${report.totalRows}`;
  const n = report.snapshots.length;
  const bars = n > SPARKLINE_WIDTH ? `\nEach of the ${SPARKLINE_WIDTH} bars of a trend is the mean of about ${Math.round(n / SPARKLINE_WIDTH)} snapshots.` : '';
  return `${count} ${noun}: leaks first, then ${VERDICTS.slice(1).join(', ')}; each by slope.${bars}`;
}
