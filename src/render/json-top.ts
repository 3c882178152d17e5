import type { SideSummary, TopReport } from '../report/top.js';
import type { Sources } from './text-top.js';

/** Bumped only when a field is renamed or removed; adding fields keeps the version. */
export const SCHEMA_VERSION = 1;

/** Where one side of a report came from: the provenance every JSON report carries. */
export function sideToJson(s: SideSummary, source: string | undefined) {
  return {
    source: source ?? null,
    timeNanos: s.timeNanos,
    time: s.timeNanos === 0 ? null : new Date(Math.round(s.timeNanos / 1e6)).toISOString(),
    total: s.total,
    period: s.period,
    periodType: s.periodType ?? null,
  };
}

/** The `top` report as a JSON document: raw numbers in the sample type's base unit. */
export function topToJson(report: TopReport, sources?: Sources): object {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'top',
    kind: report.kind,
    sampleType: report.sampleType,
    granularity: report.granularity,
    sort: report.sort,
    base: report.base ? sideToJson(report.base, sources?.base) : null,
    current: sideToJson(report.current, sources?.current),
    percentOf: report.percentOf,
    filters: report.filters,
    totalRows: report.totalRows,
    rows: report.rows,
    gates: report.gates,
  };
}

export function renderTopJson(report: TopReport, sources?: Sources): string {
  // JSON has no Infinity: a new site's percentage growth becomes null.
  return JSON.stringify(topToJson(report, sources), (_, v) => (v === Infinity || v === -Infinity ? null : v), 2) + '\n';
}
