import type { Verdict } from '../../analysis/trend.js';
import { scaledLabel } from '../../format/units.js';
import type { TrendReport, TrendRow } from '../../report/trend.js';
import { checkOptions, type OptionRule } from '../../model/options.js';
import { columnsFor } from '../../view/column.js';
import { SOURCE_LIST } from '../options.js';
import { CARD_OWN, trendColumns } from '../../view/trend.js';
import { PLAIN } from '../style.js';
import { gateLines } from '../text-top.js';
import { describeComparison, describeProjection, trendHintLines, trendSummary } from '../text-trend.js';
import { formatCaptureTime, formatInterval } from '../time.js';
import { linear, px, valueTicks } from './chart.js';
import { escapeHtml } from './escape.js';
import { htmlPage } from './page.js';
import { htmlCell } from './table.js';

/** Options of renderTrendHtml. */
export interface HtmlTrendOptions {
  /** The snapshots' sources as the user named them, in argument order. */
  readonly sources?: readonly string[];
}

const CHART = { width: 760, height: 280, left: 72, right: 24, top: 16, bottom: 40 };
const SPARK = { width: 220, height: 54, pad: 4 };

/**
 * The `trend` report as one HTML page: the total over time as a line chart (one point per
 * snapshot, the projection to --limit dashed), then a small chart per site with its verdict.
 */
export function renderTrendHtml(report: TrendReport, options: HtmlTrendOptions = {}): string {
  checkOptions(options, { sources: SOURCE_LIST } satisfies Record<keyof HtmlTrendOptions, OptionRule>);
  // The text report's summary, so both read the same.
  const summary = [...trendSummary(report, options.sources, PLAIN), ...gateLines(report.gates, PLAIN), ...(report.hints.length > 0 ? ['', ...trendHintLines(report, options.sources)] : [])];
  const body = `<main>
<section aria-labelledby="total-title"><h2 id="total-title">Total ${escapeHtml(report.sampleType.type)} over time</h2>
${totalChart(report)}
</section>
<section aria-labelledby="sites-title"><h2 id="sites-title">Sites: leaks first, each by slope</h2>
<p class="note">${escapeHtml(caption(report))}</p>
<div class="multiples">
${report.rows.map((row, i) => siteCard(report, row, i)).join('\n')}
</div>
</section>
</main>`;
  return htmlPage({ title: `heapdiff trend · ${report.sampleType.type}`, summary, body, css: TREND_CSS });
}

function caption(report: TrendReport): string {
  const shown = report.rows.length < report.totalRows ? `${report.rows.length} of ${report.totalRows}` : `all ${report.totalRows}`;
  const dots = dotRadius(report.snapshots.length, SPARK.width - 2 * SPARK.pad) > 0 ? 'dots are snapshots' : 'the line joins the snapshots';
  const scale = `Each chart runs from 0 to its own largest value; ${dots}.`;
  return `Showing ${shown} ${report.granularity} (${report.value} values). ${scale}`;
}

/** Seconds since the first snapshot, or the snapshot's position when capture times were unusable. */
function xOf(report: TrendReport): number[] {
  const first = report.snapshots[0]!.timeNanos;
  return report.snapshots.map((s, k) => (report.slopePer === 'snapshot' ? k : (s.timeNanos - first) / 1e9));
}

function totalChart(report: TrendReport): string {
  const unit = report.sampleType.unit;
  const xs = xOf(report);
  const totals = report.snapshots.map((s) => s.total);
  const xLast = xs[xs.length - 1]!;
  const p = report.projection;
  const projected = p !== null && p.after !== null && p.after > 0;
  // The axis reaches past the window by at most its own length, and up to the limit only when
  // it is near: a limit far away is drawn as a line leaving the chart, named in the legend.
  const xMax = projected ? xLast + Math.min(p.after!, Math.max(xLast, 1)) : xLast;
  const top = Math.max(...totals, 0);
  // The chart is of the heap, so the limit is drawn where the heap makes the memory reach it.
  const yMax = p !== null && p.heapLimit <= top * 3 ? Math.max(top, p.heapLimit) : top;
  const ticks = valueTicks(yMax, unit);
  const yTop = ticks[ticks.length - 1]!.value;
  const { width, height, left, right, top: pad, bottom } = CHART;
  const x = linear(0, xMax, left, width - right);
  const y = linear(0, yTop, height - bottom, pad);

  const grid = ticks
    .map((t) => `<line class="grid" x1="${left}" x2="${width - right}" y1="${px(y(t.value))}" y2="${px(y(t.value))}"/><text class="tick" x="${left - 6}" y="${px(y(t.value) + 4)}" text-anchor="end">${escapeHtml(t.label)}</text>`)
    .join('');
  // Labels at round steps of time (or of snapshots), as many as fit the axis without touching.
  const xLabels = timeTicks(report, xMax, (width - right - left) / X_LABEL_PX)
    .map((v) => `<text class="tick" x="${px(x(v))}" y="${height - bottom + 16}" text-anchor="middle">${escapeHtml(xLabel(report, v))}</text>`)
    .join('');
  const line = `<polyline class="total" points="${xs.map((v, k) => `${px(x(v))},${px(y(totals[k]!))}`).join(' ')}"/>`;
  const points = report.snapshots
    .map((s, k) => {
      const when = s.timeNanos === 0 ? `snapshot ${s.index + 1}` : formatCaptureTime(s.timeNanos);
      return `<circle class="snapshot" cx="${px(x(xs[k]!))}" cy="${px(y(s.total))}" r="${dotRadius(xs.length, width - right - left)}"><title>${escapeHtml(`${when}: ${scaledLabel(s.total, unit)}`)}</title></circle>`;
    })
    .join('');
  let projection = '';
  if (p !== null) {
    const named = `limit ${scaledLabel(p.limit, unit)}${p.heapLimit === p.limit ? '' : ` (heap ${scaledLabel(p.heapLimit, unit)})`}`;
    const limitY = p.heapLimit >= 0 && p.heapLimit <= yTop ? `<line class="limit" x1="${left}" x2="${width - right}" y1="${px(y(p.heapLimit))}" y2="${px(y(p.heapLimit))}"/><text class="limit-label" x="${width - right}" y="${px(y(p.heapLimit) - 5)}" text-anchor="end">${escapeHtml(named)}</text>` : '';
    let toward = '';
    if (projected) {
      // Clip the straight line to the limit at the chart's right and top edges.
      const [x0, y0, x1, y1] = [xLast, p.heap, xLast + p.after!, p.heapLimit];
      const t = Math.min(1, (xMax - x0) / (x1 - x0), y1 > y0 ? (yTop - y0) / (y1 - y0) : 1);
      toward = `<line class="projection" x1="${px(x(x0))}" y1="${px(y(y0))}" x2="${px(x(x0 + (x1 - x0) * t))}" y2="${px(y(y0 + (y1 - y0) * t))}"/>`;
    }
    projection = limitY + toward;
  }
  const axis = report.slopePer === 'snapshot' ? 'snapshot (argument order)' : 'time since the first snapshot';
  const label = `Total ${report.sampleType.type} at each of ${report.snapshots.length} snapshots`;
  const svg = `<svg id="total-chart" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(label)}">
${grid}<line class="axis" x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}"/>${xLabels}
<text class="axis-label" x="${px((left + width - right) / 2)}" y="${height - 4}" text-anchor="middle">${axis}</text>
${projection}${line}${points}
</svg>`;
  const note = p === null ? '' : `<p class="legend-line"><span class="key projection"></span> ${escapeHtml(projectionNote(report))}</p>`;
  return svg + note;
}

function projectionNote(report: TrendReport): string {
  // The text report's "Limit:" line, so both say the same.
  return `projection: ${describeProjection(report)}; compares ${describeComparison(report)}`;
}

/** Room one x label needs, gap included: `+1h30m` in the 11px monospace of the ticks. */
const X_LABEL_PX = 72;

/** Steps a time axis labels at, in seconds; snapshots are counted in 1, 2, 5 × 10^k. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Values from 0 to `xMax` at the smallest round step that gives at most `fit` labels. */
export function timeTicks(report: TrendReport, xMax: number, fit: number): number[] {
  const most = Math.max(2, Math.floor(fit));
  let step: number;
  if (report.slopePer === 'snapshot') {
    step = 1;
    for (let power = 1; xMax / step + 1 > most; power *= 10) step = [1, 2, 5].map((m) => m * power).find((s) => xMax / s + 1 <= most) ?? 10 * power;
  } else {
    step = TIME_STEPS.find((s) => xMax / s + 1 <= most) ?? Math.ceil(xMax / (most - 1) / 86400) * 86400;
  }
  const ticks: number[] = [];
  for (let v = 0; v <= xMax + step * 1e-9; v += step) ticks.push(v);
  return ticks;
}

function xLabel(report: TrendReport, v: number): string {
  if (report.slopePer === 'snapshot') return `#${Math.round(v) + 1}`;
  return v === 0 ? '0' : `+${formatInterval(v * 1e9)}`;
}

/** Dots while they stay apart; past that the line alone (a dot per snapshot would be a smear). */
function dotRadius(points: number, plotWidth: number): number {
  return points <= plotWidth / 12 ? 4 : 0;
}

function siteCard(report: TrendReport, row: TrendRow, index: number): string {
  // The card draws the series, the verdict and the site itself; every other column is a fact.
  const columns = columnsFor(trendColumns(report), 'html');
  const site = columns.find((c) => c.id === 'site')!;
  const facts = columns
    .filter((c) => !CARD_OWN.includes(c.id))
    .map((c) => `<div><dt>${escapeHtml(c.header)}</dt>${htmlCell(c, row, index, 'dd')}</div>`)
    .join('');
  return `<article class="site ${verdictClass(row.verdict)}">
<h3 class="mono">${escapeHtml(site.format(row, index))}</h3>
<p><span class="verdict">${escapeHtml(row.verdict)}</span></p>
${sparkChart(report, row)}
<dl>${facts}</dl>
</article>`;
}

function sparkChart(report: TrendReport, row: TrendRow): string {
  const xs = xOf(report);
  const { width, height, pad } = SPARK;
  const low = Math.min(0, ...row.series);
  const high = Math.max(0, ...row.series);
  const x = linear(xs[0]!, xs[xs.length - 1]!, pad, width - pad);
  const y = linear(low, high, height - pad, pad);
  const points = row.series.map((v, k) => `${px(x(xs[k]!))},${px(y(v))}`);
  const r = dotRadius(row.series.length, width - 2 * pad) === 0 ? 0 : 2.2;
  const dots = row.series.map((v, k) => `<circle cx="${px(x(xs[k]!))}" cy="${px(y(v))}" r="${r}"><title>${escapeHtml(scaledLabel(v, report.sampleType.unit))}</title></circle>`);
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`${row.verdict}: ${row.series.map((v) => scaledLabel(v, report.sampleType.unit)).join(', ')}`)}"><line class="base" x1="${pad}" x2="${width - pad}" y1="${px(y(0))}" y2="${px(y(0))}"/><polyline points="${points.join(' ')}"/>${dots.join('')}</svg>`;
}

function verdictClass(verdict: Verdict): string {
  if (verdict === 'leak' || verdict === 'growing') return `v-${verdict} up`;
  return verdict === 'shrinking' ? 'v-shrinking down' : `v-${verdict}`;
}

const TREND_CSS = `
.chart { max-width: 100%; height: auto; display: block; }
.chart .grid { stroke: #e3e3e3; }
.chart .axis { stroke: #777; }
.chart .tick, .chart .axis-label, .chart .limit-label { font: 11px var(--mono); fill: #444; }
.chart .limit-label { fill: var(--growth); }
.chart polyline.total { fill: none; stroke: var(--ink); stroke-width: 2; }
.chart circle.snapshot { fill: #fff; stroke: var(--ink); stroke-width: 2; }
.chart .limit { stroke: var(--growth); stroke-dasharray: 2 3; }
.chart .projection { stroke: var(--growth); stroke-width: 2; stroke-dasharray: 6 4; }
.legend-line { margin: 4px 0 0; }
.key.projection { display: inline-block; width: 28px; border-top: 2px dashed var(--growth); vertical-align: middle; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; }
.site { border: 1px solid var(--line); border-left: 5px solid #999; border-radius: 4px; padding: 8px 10px; }
.site h3 { font-size: 12px; margin: 0 0 4px; overflow-wrap: anywhere; }
.site p { margin: 0 0 4px; }
.site .verdict { display: inline-block; padding: 0 7px; border-radius: 3px; font: 600 11px/18px system-ui, sans-serif; text-transform: uppercase; background: #e4e4e4; color: var(--ink); }
.site.up { border-left-color: var(--growth); }
.site.v-leak .verdict { background: var(--growth); color: #fff; }
.site.v-growing .verdict { background: var(--growth-soft); color: #7a0f1e; }
.site.down { border-left-color: var(--shrink); }
.site.v-shrinking .verdict { background: var(--shrink-soft); color: #14406e; }
.spark { display: block; width: 100%; height: auto; max-width: 260px; }
.spark polyline { fill: none; stroke: var(--ink); stroke-width: 1.5; }
.site.up .spark polyline { stroke: var(--growth); }
.site.down .spark polyline { stroke: var(--shrink); }
.spark circle { fill: currentColor; }
.spark .base { stroke: #ccc; }
.site dl { display: grid; grid-template-columns: repeat(3, auto); gap: 2px 10px; margin: 6px 0 0; font-size: 12px; }
.site dt { color: var(--muted); }
.site dd { margin: 0; font-family: var(--mono); }
`;
