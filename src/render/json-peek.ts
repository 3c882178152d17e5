import type { PeekReport } from '../report/peek.js';
import { SCHEMA_VERSION, sideToJson, stringifyReport } from './json-top.js';
import type { Sources } from './text-top.js';

/** The `peek` report as a JSON document: raw numbers in the sample type's base unit. */
export function peekToJson(report: PeekReport, sources?: Sources): object {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'peek',
    kind: report.kind,
    sampleType: report.sampleType,
    granularity: report.granularity,
    regex: report.regex,
    base: report.base ? sideToJson(report.base, sources?.base ?? sources?.current) : null, // a saved diff: one file holds both sides
    current: sideToJson(report.current, sources?.current),
    percentOf: report.percentOf,
    flatOfAll: report.flatOfAll,
    filters: report.filters,
    entries: report.entries,
  };
}

/**
 * The `peek` report as JSON text (peekToJson, indented, with a final newline); docs/json.md
 * documents every field.
 */
export function renderPeekJson(report: PeekReport, sources?: Sources): string {
  return stringifyReport(peekToJson(report, sources));
}
