import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { ListLine, ListReport, ListRoutine } from '../report/list.js';
import { PLAIN, bySign, type Style } from './style.js';
import { layoutTable, type Cell } from './table.js';
import type { Sources } from './text-top.js';

export interface ListTextOptions {
  readonly sources?: Sources;
  readonly style?: Style;
  /** Where the caller looked for a file it did not find, for the note under that routine. */
  readonly searchedRoots?: (file: string) => readonly string[];
}

/**
 * The `list` report as text: per routine, its totals and then pprof's columns, `flat cum line:
 * source`, each value scaled on its own as `go tool pprof -list` does, `.` for zero.
 */
export function renderListText(report: ListReport, options: ListTextOptions = {}): string {
  const style = options.style ?? PLAIN;
  const out = header(report, options.sources, style);
  for (const routine of report.routines) out.push('', ...routineBlock(report, routine, style, options.searchedRoots));
  return out.join('\n') + '\n';
}

function header(report: ListReport, sources: Sources | undefined, style: Style): string[] {
  const unit = report.sampleType.unit;
  const out = [style.strong(`Type: ${report.sampleType.type} (${unit})  ·  functions matching /${report.regex}/, by line`)];
  if (report.kind === 'diff') {
    out.push(`Base:     ${sources?.base ?? 'base'}`, `Current:  ${sources?.current ?? 'current'}`);
  } else {
    out.push(`Profile:  ${sources?.current ?? 'profile'}`);
  }
  const filters = Object.entries(report.filters).map(([k, v]) => `--${k} ${v}`);
  if (filters.length > 0) out.push(`Filters:  ${filters.join(' ')}`);
  const of = report.kind === 'diff' ? 'relative to the base total' : 'of the profile total';
  out.push(`Percentages are ${of}, ${scaledLabel(report.percentOf, unit)}. A routine's totals sum its lines, as in pprof.`);
  return out;
}

function routineBlock(report: ListReport, routine: ListRoutine, style: Style, searchedRoots?: (file: string) => readonly string[]): string[] {
  const out = [style.strong(`ROUTINE ${routine.name}${routine.file ? ` in ${routine.file}` : ''}`)];
  const withSource = routine.resolvedFile !== null;
  const hasValue = (l: ListLine) => l.flat !== 0 || l.cum !== 0;
  if (routine.file === '') {
    out.push('The profile names no source file for this function.');
  } else if (!withSource) {
    const roots = searchedRoots?.(routine.file) ?? [];
    out.push(`Source not found${roots.length > 0 ? ` under ${roots.join(', ')}` : ''}; showing the lines with values.`);
  } else {
    out.push(`Source: ${routine.resolvedFile}`);
    if (routine.lines.some((l) => l.source === null && hasValue(l))) {
      out.push('Some lines with values are not in that file: it may not be the source that was profiled.');
    }
  }
  const shown = withSource ? routine.lines : routine.lines.filter(hasValue);
  return [...out, '', ...totals(report, routine, style), '', ...lineTable(report, shown, style)];
}

function totals(report: ListReport, routine: ListRoutine, style: Style): string[] {
  const unit = report.sampleType.unit;
  if (routine.base === null) {
    const pct = (v: number) => percentage(v, report.percentOf).trim();
    return layoutTable(
      ['', 'total', '% of total'],
      [
        [{ text: 'flat' }, { text: scaledLabel(routine.flat, unit) }, { text: pct(routine.flat) }],
        [{ text: 'cum' }, { text: scaledLabel(routine.cum, unit) }, { text: pct(routine.cum) }],
      ],
      ['left', 'right', 'right'],
    );
  }
  const row = (key: 'flat' | 'cum'): Cell[] => [
    { text: key },
    { text: `${scaledLabel(routine.base![key], unit)} → ${scaledLabel(routine.current[key], unit)}` },
    { text: formatSigned(routine[key], unit), paint: (s) => bySign(style, routine[key], s) },
    { text: formatPercentSigned(routine[key], report.percentOf) ?? '' },
  ];
  const columns = ['', 'base → current', 'Δ', 'Δ% of base total'];
  return layoutTable(columns, [row('flat'), row('cum')], ['left', 'right', 'right', 'right']);
}

function lineTable(report: ListReport, lines: readonly ListLine[], style: Style): string[] {
  const unit = report.sampleType.unit;
  const diff = report.kind === 'diff';
  const value = (v: number): Cell => ({
    text: v === 0 ? '.' : diff ? formatSigned(v, unit) : scaledLabel(v, unit),
    paint: (s) => (diff ? bySign(style, v, s) : s),
  });
  const width = String(lines[lines.length - 1]?.line ?? 0).length;
  const rows = lines.map((l) => [value(l.flat), value(l.cum), { text: `${String(l.line).padStart(width)}:${l.source ?? ''}` }]);
  return layoutTable(diff ? ['Δflat', 'Δcum', ''] : ['flat', 'cum', ''], rows, ['right', 'right', 'left']);
}
