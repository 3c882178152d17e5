import { siteLabel, type Granularity } from '../analysis/sites.js';
import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { FlatCum, TopReport, TopRow } from '../report/top.js';
import { criticalValue } from '../stats/difference.js';
import { signTone, type Column, type Tone } from './column.js';

/** One row's noun at a granularity: the site column's title. */
export function siteNoun(granularity: Granularity): string {
  return granularity === 'functions' ? 'function' : granularity === 'lines' ? 'line' : 'file';
}

/**
 * The `top` report's columns, for a diff (changes, then base → current) or a single profile
 * (pprof's flat flat% sum% cum cum%). Every renderer of `top` reads them from here.
 */
export function topColumns(report: TopReport): Column<TopRow>[] {
  return report.kind === 'diff' ? diffColumns(report) : profileColumns(report);
}

/** A within-noise row reads dimmed: its change tone gives way to `muted`. */
function changeTone(r: TopRow, value: number): Tone | undefined {
  return r.significant === false ? 'muted' : signTone(value);
}

/**
 * The `±` column: the half-width of the interval at the report's confidence (95 % by default)
 * around the sort key's value; absent when the profiles are not sampled (every number exact);
 * blank where neither side has a sample of the key.
 */
function intervalColumn(report: TopReport): Column<TopRow>[] {
  if (report.errorModel === 'exact') return [];
  const unit = report.sampleType.unit;
  const z = criticalValue(report.confidence);
  const error = (r: TopRow) => (report.sort === 'cum' ? r.cumError : r.flatError);
  return [
    {
      id: 'interval',
      header: '±',
      align: 'right',
      format: (r) => {
        const e = error(r);
        // No samples of the key on either side (a caller's flat): nothing was measured, and an
        // error of 0 would claim the value is known to be 0 (absent is not zero); blank, as list's.
        if (e === 0 && (r.base?.[report.sort] ?? 0) === 0 && r.current[report.sort] === 0) return '';
        return e === null ? '?' : scaledLabel(z * e, unit);
      },
      sort: [{ key: 'interval', value: (r) => error(r) ?? Infinity }],
    },
  ];
}

/** `grew`, or `grew~` when the change is within sampling noise (benchstat's `~`). */
function statusText(r: TopRow): string {
  return r.significant === false ? `${r.status}~` : r.status;
}

function diffColumns(report: TopReport): Column<TopRow>[] {
  const unit = report.sampleType.unit;
  const key = report.sort;
  const pct = (v: number) => formatPercentSigned(v, report.percentOf) ?? '';
  const flat: Column<TopRow>[] = [
    { id: 'flat', header: 'Δflat', align: 'right', format: (r) => formatSigned(r.flat, unit), tone: (r) => changeTone(r, r.flat), sort: [{ key: 'flat', value: (r) => r.flat }] },
    ...(key === 'flat' ? intervalColumn(report) : []),
    { id: 'flatPercent', header: 'Δflat%', align: 'right', format: (r) => pct(r.flat), outputs: ['text', 'html'] },
  ];
  const cum: Column<TopRow>[] = [
    { id: 'cum', header: 'Δcum', align: 'right', format: (r) => formatSigned(r.cum, unit), tone: (r) => changeTone(r, r.cum), sort: [{ key: 'cum', value: (r) => r.cum }] },
    ...(key === 'cum' ? intervalColumn(report) : []),
    { id: 'cumPercent', header: 'Δcum%', align: 'right', format: (r) => pct(r.cum), outputs: ['text', 'html'] },
  ];
  return [
    ...flat,
    ...cum,
    {
      id: 'baseToCurrent',
      header: `${key}: base → current`,
      align: 'right',
      format: (r) => `${scaledLabel(r.base?.[key] ?? 0, unit)} → ${scaledLabel(r.current[key], unit)}`,
      sort: [
        { key: 'base', label: 'base', value: (r) => r.base?.[key] ?? 0 },
        { key: 'current', label: 'current', value: (r) => r.current[key] },
      ],
    },
    ...spreadColumn(report),
    {
      id: 'change',
      header: 'change',
      align: 'left',
      format: statusText,
      tone: (r) => (r.significant === false ? 'muted' : r.status === 'new' || r.status === 'grew' ? 'growth' : 'shrink'),
    },
    siteColumn(report),
  ];
}

/**
 * When a side is a set of profiles: the spread between its profiles (standard deviation of the
 * sort key), base → current, with each side's n in the header; `–` for a side of one profile,
 * which has no spread to show.
 */
function spreadColumn(report: TopReport): Column<TopRow>[] {
  const { base, current } = report;
  if (base === null || (base.profiles < 2 && current.profiles < 2)) return [];
  const unit = report.sampleType.unit;
  const key = report.sort;
  const sd = (side: FlatCum | null) => {
    const value = key === 'cum' ? side?.cumSd : side?.flatSd;
    return value === null || value === undefined ? '–' : scaledLabel(value, unit);
  };
  return [
    {
      id: 'spread',
      header: `${key} sd, n=${base.profiles} → ${current.profiles}`,
      align: 'right',
      format: (r) => `${sd(r.base)} → ${sd(r.current)}`,
    },
  ];
}

function profileColumns(report: TopReport): Column<TopRow>[] {
  const unit = report.sampleType.unit;
  const pct = (v: number) => percentage(v, report.percentOf).trim();
  // sum%: the running total of flat down the rows, as pprof prints it.
  const running: number[] = [];
  report.rows.reduce((sum, r) => (running.push(sum + r.flat), sum + r.flat), 0);
  return [
    { id: 'flat', header: 'flat', align: 'right', format: (r) => scaledLabel(r.flat, unit), sort: [{ key: 'flat', value: (r) => r.flat }] },
    ...(report.sort === 'flat' ? intervalColumn(report) : []),
    { id: 'flatPercent', header: 'flat%', align: 'right', format: (r) => pct(r.flat), outputs: ['text', 'html'] },
    { id: 'sumPercent', header: 'sum%', align: 'right', format: (_, i) => pct(running[i]!), outputs: ['text', 'html'] },
    { id: 'cum', header: 'cum', align: 'right', format: (r) => scaledLabel(r.cum, unit), sort: [{ key: 'cum', value: (r) => r.cum }] },
    ...(report.sort === 'cum' ? intervalColumn(report) : []),
    { id: 'cumPercent', header: 'cum%', align: 'right', format: (r) => pct(r.cum), outputs: ['text', 'html'] },
    siteColumn(report),
  ];
}

function siteColumn(report: TopReport): Column<TopRow> {
  return {
    id: 'site',
    header: siteNoun(report.granularity),
    align: 'left',
    format: (r) => siteLabel(r) + inlineMark(r),
    code: true,
    sort: [{ key: 'name', value: siteLabel }],
  };
}

/** pprof's marks after a name: ` (inline)` when every call into the site is inlined, ` (partial-inline)` when some are. */
export function inlineMark(site: { readonly inline: boolean; readonly partialInline?: boolean }): string {
  return site.inline ? ' (inline)' : site.partialInline ? ' (partial-inline)' : '';
}
