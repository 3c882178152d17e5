import { VERDICTS, type Verdict } from '../analysis/trend.js';
import { formatPercentSigned, formatSigned, goFixed, scaledLabel } from '../format/units.js';
import type { TrendReport, TrendRow } from '../report/trend.js';
import { sparkline } from './sparkline.js';
import { PLAIN, type Style } from './style.js';
import { layoutTable, type Align, type Cell } from './table.js';
import { terminalSafe } from './escape-terminal-report.js';
import { gateLines } from './text-top.js';
import { formatCaptureTime, formatInterval } from './time.js';

export interface TrendTextOptions {
  /** The snapshots' sources as the user named them, in argument order. */
  readonly sources?: readonly string[];
  readonly style?: Style;
}

const NOUN = { functions: 'function', lines: 'line', files: 'file' } as const;
const HOUR = 3600;

/** The `trend` report as text: what was compared, the verdict counts, then one row per site. */
export function renderTrendText(unsafeReport: TrendReport, options: TrendTextOptions = {}): string {
  const { report, sources } = terminalSafe(unsafeReport, options.sources);
  const style = options.style ?? PLAIN;
  const { header, align } = trendColumns(report);
  const lines = [...summaryLines(report, sources, style), '', caption(report)];
  if (report.rows.length === 0) lines.push('(no samples)');
  else {
    const rows: Cell[][] = report.rows.map((row) =>
      trendCells(report, row).map((text, c) => (c === 1 ? { text, paint: (s: string) => paintVerdict(style, row.verdict, s) } : { text })),
    );
    lines.push(...layoutTable(header, rows, align));
  }
  lines.push(...gateLines(report.gates, style));
  return lines.join('\n') + '\n';
}

function summaryLines(report: TrendReport, sources: readonly string[] | undefined, style: Style): string[] {
  const unit = report.sampleType.unit;
  const first = report.snapshots[0]!;
  const last = report.snapshots[report.snapshots.length - 1]!;
  const name = (s: typeof first) => sources?.[s.index] ?? `snapshot ${s.index + 1}`;
  const totals = report.snapshots.map((s) => s.total);
  const net = last.total - first.total;
  const rel = formatPercentSigned(net, first.total);
  const out = [
    style.strong(`Type: ${report.sampleType.type} (${unit})  ·  by ${report.granularity}  ·  ${report.value} values`),
    `Window:   ${describeWindow(report)}`,
    `First:    ${name(first)}`,
    `Last:     ${name(last)}`,
    `Total:    ${scaledLabel(first.total, unit)} → ${scaledLabel(last.total, unit)}  (${formatSigned(net, unit)}${rel ? `, ${rel}` : ''})  ${sparkline(totals)}`,
  ];
  if (report.retained !== null) out.push(`Retained: ${formatRetained(report.retained)} of what was allocated over the window is still in use`);
  out.push(`Verdicts: ${describeVerdicts(report)}`);
  if (report.projection) out.push(`Limit:    ${describeProjection(report)}`);
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
  if (p.after === 0) return `${limit} already reached: the heap is ${scaledLabel(p.heap, unit)}`;
  if (p.after === null) return `${limit} not projected: no site leaks (the heap is ${scaledLabel(p.heap, unit)})`;
  if (report.slopePer === 'snapshot') {
    return `${limit} reached in about ${goFixed(p.after, 1)} snapshots at the leaks' ${formatSigned(p.rate, unit)} per snapshot`;
  }
  const at = p.atNanos === null ? '' : `, around ${formatCaptureTime(p.atNanos)}`;
  return `${limit} reached in about ${formatInterval(p.after * 1e9)} at the leaks' ${formatSigned(p.rate * HOUR, unit)}/h${at}`;
}

/** Column titles and alignment, shared by the text and Markdown tables. */
export function trendColumns(report: TrendReport): { header: string[]; align: Align[] } {
  const per = report.slopePer === 'snapshot' ? 'slope/snapshot' : 'slope/h';
  return {
    header: ['trend', 'verdict', per, 'R²', 'rose', 'retained', `${report.value}: first → last`, NOUN[report.granularity]],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  };
}

export function trendCells(report: TrendReport, row: TrendRow): string[] {
  const unit = report.sampleType.unit;
  const perShown = report.slopePer === 'snapshot' ? 1 : HOUR;
  const first = row.series[0]!;
  const last = row.series[row.series.length - 1]!;
  return [
    sparkline(row.series),
    row.verdict,
    formatSigned(row.slope * perShown, unit),
    goFixed(row.r2, 2),
    `${row.rose}/${row.series.length - 1}`,
    row.retained === null ? 'n/a' : formatRetained(row.retained),
    `${scaledLabel(first, unit)} → ${scaledLabel(last, unit)}`,
    trendSiteName(row),
  ];
}

/** pprof's printable name for the granularity: `fn`, `fn file:line`, or `file`. */
export function trendSiteName(row: TrendRow): string {
  if (row.file !== '' && row.line > 0) return `${row.name} ${row.file}:${row.line}`;
  return row.name || row.file;
}

function caption(report: TrendReport): string {
  const noun = `${NOUN[report.granularity]}s`;
  const count = report.rows.length < report.totalRows ? `Top ${report.rows.length} of ${report.totalRows}` : `All ${report.totalRows}`;
  return `${count} ${noun}: leaks first, then ${VERDICTS.slice(1).join(', ')}; each by slope.`;
}

function formatRetained(fraction: number): string {
  const percent = goFixed(fraction * 100, 0);
  return `${percent === '-0' ? '0' : percent}%`;
}

function paintVerdict(style: Style, verdict: Verdict, text: string): string {
  if (verdict === 'leak') return style.strong(style.growth(text));
  if (verdict === 'growing') return style.growth(text);
  if (verdict === 'shrinking') return style.shrink(text);
  return verdict === 'noise' ? style.dim(text) : text;
}
