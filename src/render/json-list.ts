import type { ListReport } from '../report/list.js';
import { SCHEMA_VERSION, sideToJson, stringifyReport } from './json-top.js';
import type { Sources } from './text-top.js';

/** The `list` report as a JSON document: raw numbers in the sample type's base unit. */
export function listToJson(report: ListReport, sources?: Sources): object {
  return {
    schemaVersion: SCHEMA_VERSION,
    command: 'list',
    kind: report.kind,
    sampleType: report.sampleType,
    regex: report.regex,
    base: report.base ? sideToJson(report.base, sources?.base ?? sources?.current) : null, // a saved diff: one file holds both sides
    current: sideToJson(report.current, sources?.current),
    percentOf: report.percentOf,
    filters: report.filters,
    confidence: report.confidence,
    sameProcess: report.sameProcess,
    errorModel: report.errorModel,
    looksLikeOneProcess: report.looksLikeOneProcess,
    testedLines: report.testedLines,
    testedRoutines: report.testedRoutines,
    routines: report.routines,
  };
}

/**
 * The `list` report as JSON text (listToJson, indented, with a final newline); docs/json.md
 * documents every field.
 */
export function renderListJson(report: ListReport, sources?: Sources): string {
  return stringifyReport(listToJson(report, sources));
}
