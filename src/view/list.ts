import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { ListLine, ListReport, ListRoutine } from '../report/list.js';
import { criticalValue } from '../stats/difference.js';
import { signTone, type Column, type Tone } from './column.js';

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
