import type { Gates } from '../report/gates.js';
import type { SideSummary, TopReport, TopRow } from '../report/top.js';
import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import { PLAIN, bySign, type Style } from './style.js';
import { layoutTable, type Align, type Cell } from './table.js';
import { describeGap, formatCaptureTime } from './time.js';

/** Where the report's profiles came from, as the user named them. */
export interface Sources {
  readonly base?: string;
  readonly current: string;
}

export interface TextOptions {
  readonly sources?: Sources;
  readonly style?: Style;
}

const NOUN = { functions: 'functions', lines: 'lines', files: 'files' } as const;

/** The `top` report as text: a header that says what is compared, then one row per site. */
export function renderTopText(report: TopReport, options: TextOptions = {}): string {
  const style = options.style ?? PLAIN;
  const unit = report.sampleType.unit;
  const lines = [...topHeader(report, options.sources, style), ''];
  lines.push(topCaption(report));
  if (report.rows.length > 0) {
    lines.push(...(report.kind === 'diff' ? diffTable(report, style) : profileTable(report)));
  } else {
    lines.push(report.kind === 'diff' ? '(no site changed)' : '(no samples)');
  }
  if (report.kind === 'diff') {
    const shownFlat = report.rows.reduce((sum, r) => sum + r.flat, 0);
    lines.push('', `These rows account for ${formatSigned(shownFlat, unit)} of flat change.`);
  }
  lines.push(...gateLines(report.gates, style));
  return lines.join('\n') + '\n';
}

/** The gate verdict and each breach, after a report's table. */
export function gateLines(gates: Gates | null, style: Style): string[] {
  if (!gates) return [];
  const { failOn, warnOn } = gates;
  const rules = failOn.rules.length + warnOn.rules.length;
  const verdict = !failOn.passed ? style.growth('FAILED') : warnOn.passed ? 'passed' : 'passed with warnings';
  return [
    '',
    `Gates: ${verdict} (${rules} rule${rules === 1 ? '' : 's'})`,
    ...failOn.breaches.map((b) => `  ${style.growth('✗')} ${b.message}`),
    ...warnOn.breaches.map((b) => `  ! ${b.message}`),
  ];
}

/** What is compared: type, sources, capture times, totals and filters (shared with the HTML report). */
export function topHeader(report: TopReport, sources: Sources | undefined, style: Style): string[] {
  const unit = report.sampleType.unit;
  const title = `Type: ${report.sampleType.type} (${unit})  ·  by ${report.granularity}`;
  const out = [style.strong(title)];
  const filters = Object.entries(report.filters).map(([k, v]) => `--${k} ${v}`);
  if (report.base === null) {
    out.push(`Profile:  ${sources?.current ?? 'profile'}  (${formatCaptureTime(report.current.timeNanos)})`);
    out.push(`Total:    ${scaledLabel(report.current.total, unit)}`);
  } else {
    const gap = describeGap(report.base.timeNanos, report.current.timeNanos);
    out.push(`Base:     ${sources?.base ?? 'base'}  (${meanOf(report.base)}${formatCaptureTime(report.base.timeNanos)})`);
    out.push(`Current:  ${sources?.current ?? 'current'}  (${meanOf(report.current)}${formatCaptureTime(report.current.timeNanos)}${gap ? `, ${gap}` : ''})`);
    const net = report.current.total - report.base.total;
    const rel = formatPercentSigned(net, report.base.total);
    out.push(
      `Total:    ${scaledLabel(report.base.total, unit)} → ${scaledLabel(report.current.total, unit)}  ` +
        `(${bySign(style, net, formatSigned(net, unit))}${rel ? `, ${rel} of base` : ''})`,
    );
  }
  out.push(...sideNotes(report));
  if (filters.length > 0) out.push(`Filters:  ${filters.join(' ')}`);
  return out;
}

/** A side of several profiles shows their per-profile mean, and says so. */
function meanOf(side: SideSummary): string {
  return side.profiles > 1 ? `mean of ${side.profiles} profiles, from ` : '';
}

/** MemStats keys shown in the header, with their units: the heap's size as the runtime saw it. */
const MEMSTATS: ReadonlyArray<[string, string]> = [
  ['HeapInuse', 'bytes'],
  ['HeapAlloc', 'bytes'],
  ['HeapSys', 'bytes'],
  ['Sys', 'bytes'],
  ['NumGC', 'count'],
];

/**
 * Header lines about what each side's numbers rest on: a legacy text profile's MemStats totals,
 * and stacks cut at Go's frame cap (shared by the top and list headers, text and HTML).
 */
export function sideNotes(report: Pick<TopReport, 'base' | 'current' | 'sampleType'>): string[] {
  const sides = (report.base === null ? [['', report.current]] : [['base', report.base], ['current', report.current]]) as Array<[string, SideSummary]>;
  const out: string[] = [];
  const withStats = sides.filter(([, s]) => s.memStats !== null);
  if (withStats.length > 0) {
    const stats = (s: SideSummary, key: string) => s.memStats?.[key];
    const parts = MEMSTATS.filter(([key]) => withStats.some(([, s]) => stats(s, key) !== undefined)).map(
      ([key, unit]) => `${key} ${withStats.map(([, s]) => (stats(s, key) === undefined ? 'n/a' : scaledLabel(stats(s, key)!, unit))).join(' → ')}`,
    );
    const which = withStats.length < sides.length ? ` (${withStats[0]![0]})` : '';
    out.push(`MemStats${which}: ${parts.join(', ')}`);
  }
  for (const [name, side] of sides) {
    const cut = side.truncatedStacks;
    if (cut === null) continue;
    const count = `${cut.samples} sample${cut.samples === 1 ? '' : 's'}`;
    out.push(
      `Stacks:   ${name ? `${name}: ` : ''}${count} (${percentage(cut.share, 1).trim()} of ${report.sampleType.type}) reach Go's ` +
        `${cut.depth}-frame stack limit, so outer callers' cum is understated`,
    );
  }
  return out;
}

export function topCaption(report: TopReport): string {
  const noun = NOUN[report.granularity];
  const count =
    report.rows.length < report.totalRows ? `Top ${report.rows.length} of ${report.totalRows}` : `All ${report.totalRows}`;
  const denominator = scaledLabel(report.percentOf, report.sampleType.unit);
  if (report.kind === 'profile') {
    return `${count} ${noun}, by ${report.sort}. Percentages are of the profile total (${denominator}).`;
  }
  const order = report.sort === 'cum' ? 'largest cum growth first' : 'largest flat growth first';
  return `${count} changed ${noun}, ${order}. Percentages are relative to the base total (${denominator}).`;
}

/** The name column: pprof's printable name for the granularity. */
export function siteLabel(row: TopRow): string {
  if (row.file !== '' && row.line > 0) return `${row.name} ${row.file}:${row.line}`;
  return row.name || row.file;
}

/** The table's column titles, alignment and cell texts, shared by the text and HTML reports. */
export function topTable(report: TopReport): { header: string[]; align: Align[]; rows: string[][] } {
  return report.kind === 'diff' ? diffCells(report) : profileCells(report);
}

function diffTable(report: TopReport, style: Style): string[] {
  const { header, align, rows } = diffCells(report);
  const painted = rows.map((texts, i) => {
    const r = report.rows[i]!;
    const paints: Record<number, (s: string) => string> = {
      0: (s) => bySign(style, r.flat, s),
      2: (s) => bySign(style, r.cum, s),
      5: (s) => bySign(style, r.status === 'new' || r.status === 'grew' ? 1 : -1, s),
    };
    return texts.map((text, c): Cell => (paints[c] ? { text, paint: paints[c] } : { text }));
  });
  return layoutTable(header, painted, align);
}

function diffCells(report: TopReport): { header: string[]; align: Align[]; rows: string[][] } {
  const unit = report.sampleType.unit;
  const key = report.sort;
  const pct = (v: number) => formatPercentSigned(v, report.percentOf) ?? '';
  const rows = report.rows.map((r) => [
    formatSigned(r.flat, unit),
    pct(r.flat),
    formatSigned(r.cum, unit),
    pct(r.cum),
    `${scaledLabel(r.base?.[key] ?? 0, unit)} → ${scaledLabel(r.current[key], unit)}`,
    r.status,
    siteLabel(r),
  ]);
  return {
    header: ['Δflat', 'Δflat%', 'Δcum', 'Δcum%', `${key}: base → current`, 'change', NOUN[report.granularity].replace(/s$/, '')],
    align: ['right', 'right', 'right', 'right', 'right', 'left', 'left'],
    rows,
  };
}

function profileTable(report: TopReport): string[] {
  const { header, align, rows } = profileCells(report);
  return layoutTable(header, rows.map((texts) => texts.map((text) => ({ text }))), align);
}

function profileCells(report: TopReport): { header: string[]; align: Align[]; rows: string[][] } {
  const unit = report.sampleType.unit;
  let running = 0;
  const rows = report.rows.map((r) => {
    running += r.flat;
    return [
      scaledLabel(r.flat, unit),
      percentage(r.flat, report.percentOf).trim(),
      percentage(running, report.percentOf).trim(),
      scaledLabel(r.cum, unit),
      percentage(r.cum, report.percentOf).trim(),
      siteLabel(r),
    ];
  });
  return {
    header: ['flat', 'flat%', 'sum%', 'cum', 'cum%', NOUN[report.granularity].replace(/s$/, '')],
    align: ['right', 'right', 'right', 'right', 'right', 'left'],
    rows,
  };
}
