import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { ListLine, ListReport, ListRoutine } from '../report/list.js';
import { signTone, type Column } from './column.js';

/** A routine's totals table has one row per measure. */
export type TotalsRow = 'flat' | 'cum';
export const TOTALS_ROWS: readonly TotalsRow[] = ['flat', 'cum'];

/** A routine's totals: value and share for one profile; base → current, Δ and Δ% for a diff. */
export function routineTotalColumns(report: ListReport, routine: ListRoutine): Column<TotalsRow>[] {
  const unit = report.sampleType.unit;
  const measure: Column<TotalsRow> = { id: 'measure', header: '', align: 'left', format: (key) => key };
  if (routine.base === null) {
    return [
      measure,
      { id: 'total', header: 'total', align: 'right', format: (key) => scaledLabel(routine[key], unit) },
      { id: 'percent', header: '% of total', align: 'right', format: (key) => percentage(routine[key], report.percentOf).trim() },
    ];
  }
  const base = routine.base;
  return [
    measure,
    { id: 'baseToCurrent', header: 'base → current', align: 'right', format: (key) => `${scaledLabel(base[key], unit)} → ${scaledLabel(routine.current[key], unit)}` },
    { id: 'delta', header: 'Δ', align: 'right', format: (key) => formatSigned(routine[key], unit), tone: (key) => signTone(routine[key]) },
    { id: 'percent', header: 'Δ% of base total', align: 'right', format: (key) => formatPercentSigned(routine[key], report.percentOf) ?? '' },
  ];
}

/**
 * A routine's source lines, pprof's `flat cum line source`, each value scaled on its own and `.`
 * for zero. The text report writes `line` and `source` as one `  27:text` cell, as pprof does.
 */
export function listLineColumns(report: ListReport): Column<ListLine>[] {
  const diff = report.kind === 'diff';
  const value = (v: number) => listValue(report, v);
  return [
    { id: 'flat', header: diff ? 'Δflat' : 'flat', align: 'right', format: (l) => value(l.flat), ...(diff ? { tone: (l: ListLine) => signTone(l.flat) } : {}) },
    { id: 'cum', header: diff ? 'Δcum' : 'cum', align: 'right', format: (l) => value(l.cum), ...(diff ? { tone: (l: ListLine) => signTone(l.cum) } : {}) },
    { id: 'line', header: 'line', align: 'right', format: (l) => String(l.line) },
    { id: 'source', header: 'source', align: 'left', format: (l) => l.source ?? '' },
  ];
}

/** A line's value as pprof's -list prints it: `.` for zero, signed for a diff. */
export function listValue(report: ListReport, v: number): string {
  return v === 0 ? '.' : report.kind === 'diff' ? formatSigned(v, report.sampleType.unit) : scaledLabel(v, report.sampleType.unit);
}
