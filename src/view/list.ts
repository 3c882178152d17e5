import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { ListLine, ListReport, ListRoutine } from '../report/list.js';
import { criticalValue } from '../stats/difference.js';
import { signTone, type Column, type Tone } from './column.js';

/** A routine's totals table has one row per measure. */
export type TotalsRow = 'flat' | 'cum';
export const TOTALS_ROWS: readonly TotalsRow[] = ['flat', 'cum'];

/**
 * A routine's totals: value and share for one profile; base → current, Δ and Δ% for a diff. Each
 * value is followed by its interval (`±`) when the routine has errors, and a diff's flat row by
 * `~` when the routine's change is within sampling noise (its Δ dimmed), as its lines are.
 */
export function routineTotalColumns(report: ListReport, routine: ListRoutine): Column<TotalsRow>[] {
  const unit = report.sampleType.unit;
  const measure: Column<TotalsRow> = { id: 'measure', header: '', align: 'left', format: (key) => key };
  if (routine.base === null) {
    return [
      measure,
      { id: 'total', header: 'total', align: 'right', format: (key) => scaledLabel(routine[key], unit) },
      ...totalInterval(report, routine),
      { id: 'percent', header: '% of total', align: 'right', format: (key) => percentage(routine[key], report.percentOf).trim() },
    ];
  }
  const base = routine.base;
  const noise = routine.significant === false;
  return [
    measure,
    { id: 'baseToCurrent', header: 'base → current', align: 'right', format: (key) => `${scaledLabel(base[key], unit)} → ${scaledLabel(routine.current[key], unit)}` },
    { id: 'delta', header: 'Δ', align: 'right', format: (key) => formatSigned(routine[key], unit), tone: (key) => (noise ? 'muted' : signTone(routine[key])) },
    ...totalInterval(report, routine),
    ...(noise ? [{ id: 'noise', header: '', align: 'left', format: (key: TotalsRow) => (key === verdictKey(routine) ? '~' : ''), tone: () => 'muted' } satisfies Column<TotalsRow>] : []),
    { id: 'percent', header: 'Δ% of base total', align: 'right', format: (key) => formatPercentSigned(routine[key], report.percentOf) ?? '' },
  ];
}

/** The total the routine's verdict tests: flat's change, or cum's where flat's is 0 (as a line's). */
function verdictKey(routine: ListRoutine): TotalsRow {
  return routine.flat !== 0 ? 'flat' : 'cum';
}

/** `±` of a routine's total: blank for a zero total; none when not sampled or not computed (sets). */
function totalInterval(report: ListReport, routine: ListRoutine): Column<TotalsRow>[] {
  if (report.errorModel === 'exact' || (routine.flatError === null && routine.cumError === null)) return [];
  const unit = report.sampleType.unit;
  const z = criticalValue(report.confidence);
  return [
    {
      id: 'interval',
      header: '±',
      align: 'right',
      format: (key) => {
        const e = key === 'flat' ? routine.flatError : routine.cumError;
        return routine[key] === 0 ? '' : e === null ? '?' : scaledLabel(z * e, unit);
      },
    },
  ];
}

/**
 * A routine's source lines, pprof's `flat cum line source`, each value scaled on its own and `.`
 * for zero, each followed by its interval (`±`) and, for a diff, `~` on a change within sampling
 * noise (its values dimmed). The text report writes `line` and `source` as one `  27:text` cell, as
 * pprof does.
 */
export function listLineColumns(report: ListReport): Column<ListLine>[] {
  const diff = report.kind === 'diff';
  const value = (v: number) => listValue(report, v);
  const tone = (v: (l: ListLine) => number) => (diff ? { tone: (l: ListLine) => changeTone(l, v(l)) } : {});
  return [
    { id: 'flat', header: diff ? 'Δflat' : 'flat', align: 'right', format: (l) => value(l.flat), ...tone((l) => l.flat) },
    ...intervalColumn(report, 'flat'),
    { id: 'cum', header: diff ? 'Δcum' : 'cum', align: 'right', format: (l) => value(l.cum), ...tone((l) => l.cum) },
    ...intervalColumn(report, 'cum'),
    ...noiseColumn(report),
    { id: 'line', header: 'line', align: 'right', format: (l) => String(l.line) },
    { id: 'source', header: 'source', align: 'left', format: (l) => l.source ?? '' },
  ];
}

/** A within-noise line reads dimmed: its change tone gives way to `muted`. */
function changeTone(l: ListLine, value: number): Tone | undefined {
  return l.significant === false ? 'muted' : signTone(value);
}

/**
 * `±` after a value: the half-width of its interval at the report's confidence, blank where the
 * value is `.` and `?` when errors are unknown; none when the profiles are not sampled (every
 * number exact).
 */
function intervalColumn(report: ListReport, key: 'flat' | 'cum'): Column<ListLine>[] {
  if (report.errorModel === 'exact') return [];
  const unit = report.sampleType.unit;
  const z = criticalValue(report.confidence);
  const error = (l: ListLine) => (key === 'flat' ? l.flatError : l.cumError);
  return [
    {
      id: `${key}Interval`,
      header: '±',
      align: 'right',
      format: (l) => {
        const e = error(l);
        return l[key] === 0 ? '' : e === null ? '?' : scaledLabel(z * e, unit);
      },
    },
  ];
}

/** `~` on a diff's line whose change is within sampling noise (benchstat's mark, as top's `grew~`). */
function noiseColumn(report: ListReport): Column<ListLine>[] {
  // Only when some line needs it: a blank column would widen every line for nothing.
  if (!report.routines.some((r) => r.lines.some((l) => l.significant === false))) return [];
  return [{ id: 'noise', header: '', align: 'left', format: (l) => (l.significant === false ? '~' : ''), tone: () => 'muted' }];
}

/** A line's value as pprof's -list prints it: `.` for zero, signed for a diff. */
export function listValue(report: ListReport, v: number): string {
  return v === 0 ? '.' : report.kind === 'diff' ? formatSigned(v, report.sampleType.unit) : scaledLabel(v, report.sampleType.unit);
}
