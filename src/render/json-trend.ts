import type { TrendReport } from '../report/trend.js';
import { SCHEMA_VERSION, isoTime, stringifyReport } from './json-top.js';

/**
 * The `trend` report as a JSON document: raw numbers in the sample type's base unit, rows in the
 * text's order (leaks first, by slope), and where each snapshot came from.
 */
export function trendToJson(report: TrendReport, sources?: readonly string[]): object {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'trend',
    sampleType: report.sampleType,
    granularity: report.granularity,
    value: report.value,
    slopePer: report.slopePer,
    exactCounts: report.exactCounts,
    errorModel: report.errorModel,
    confidence: report.confidence,
    snapshots: report.snapshots.map((s) => ({
      source: sources?.[s.index] ?? null,
      argumentIndex: s.index,
      timeNanos: s.timeNanos,
      time: isoTime(s.timeNanos),
      total: s.total,
      period: s.period,
    })),
    total: report.total,
    retained: report.retained,
    verdicts: report.verdicts,
    projection: report.projection,
    warnings: report.warnings,
    filters: report.filters,
    totalRows: report.totalRows,
    rows: report.rows,
    gates: report.gates,
    hints: report.hints,
  };
}

/**
 * The `trend` report as JSON text (trendToJson, indented, with a final newline); docs/json.md
 * documents every field.
 */
export function renderTrendJson(report: TrendReport, sources?: readonly string[]): string {
  return stringifyReport(trendToJson(report, sources));
}
