import type { SideSummary, TopReport } from '../report/top.js';
import type { Sources } from './text-top.js';
import { escapeJsonText } from '../format/escape-json.js';

/**
 * Bumped only when a field is renamed or removed or changes meaning; adding fields keeps the
 * version. 2: gates count only growth beyond sampling noise (CHANGELOG.md).
 */
export const SCHEMA_VERSION = 2;

/** A capture time as ISO 8601 UTC, or null when the profile has none. */
export function isoTime(timeNanos: number): string | null {
  return timeNanos === 0 ? null : new Date(Math.round(timeNanos / 1e6)).toISOString();
}

/** JSON has no Infinity: a new site's percentage growth becomes null. Strings are spelled log-safe (escapeJsonText). */
export function stringifyReport(doc: object): string {
  return escapeJsonText(JSON.stringify(doc, (_, v) => (v === Infinity || v === -Infinity ? null : v), 2)) + '\n';
}

/** Where one side of a report came from: the provenance every JSON report carries. */
export function sideToJson(s: SideSummary, source: string | undefined) {
  return {
    source: source ?? null,
    profiles: s.profiles,
    timeNanos: s.timeNanos,
    time: isoTime(s.timeNanos),
    total: s.total,
    period: s.period,
    periodType: s.periodType ?? null,
    truncatedStacks: s.truncatedStacks,
    memStats: s.memStats,
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
    base: report.base ? sideToJson(report.base, sources?.base ?? sources?.current) : null, // a saved diff: one file holds both sides
    current: sideToJson(report.current, sources?.current),
    percentOf: report.percentOf,
    filters: report.filters,
    confidence: report.confidence,
    sameProcess: report.sameProcess,
    errorModel: report.errorModel,
    paired: report.paired ?? false,
    looksLikeOneProcess: report.looksLikeOneProcess,
    total: report.total,
    totalRows: report.totalRows,
    rows: report.rows,
    gates: report.gates,
    hint: report.hint,
  };
}

/**
 * The `top` report as JSON text (topToJson, indented, with a final newline); docs/json.md
 * documents every field.
 */
export function renderTopJson(report: TopReport, sources?: Sources): string {
  return stringifyReport(topToJson(report, sources));
}
