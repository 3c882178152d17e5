import { scaledLabel } from '../format/units.js';
import type { ListLine, ListReport, ListRoutine } from '../report/list.js';
import { checkOptions, isFunction, isString, type OptionRule } from '../model/options.js';
import { columnsFor, type Column } from '../view/column.js';
import { SOURCES, STYLE } from './options.js';
import { listLineColumns, routineTotalColumns, TOTALS_ROWS } from '../view/list.js';
import { inlineMark } from '../view/top.js';
import { terminalSafe } from './escape-terminal-report.js';
import { PLAIN, type Style } from './style.js';
import { textTable } from './table.js';
import { errorNotes, sideLines, sideNotes, type Sources } from './text-top.js';

const LIST_TEXT_OPTIONS = { sources: SOURCES, style: STYLE, searchedRoots: isFunction, missingSourceHint: isString } satisfies Record<keyof ListTextOptions, OptionRule>;

/** Options of renderListText. */
export interface ListTextOptions {
  /** The profiles as the user named them, for the header. */
  readonly sources?: Sources;
  /** Colours for a terminal (ANSI) or none (PLAIN, the default). */
  readonly style?: Style;
  /** Where the caller looked for a file it did not find, for the note under that routine. */
  readonly searchedRoots?: (file: string) => readonly string[];
  /** How the caller's user makes it look elsewhere (the CLI names its flags), after that note. */
  readonly missingSourceHint?: string;
}

/**
 * The `list` report as text: per routine, its totals and then pprof's columns, `flat cum line:
 * source`, each value scaled on its own as `go tool pprof -list` does, `.` for zero.
 */
export function renderListText(unsafeReport: ListReport, options: ListTextOptions = {}): string {
  checkOptions(options, LIST_TEXT_OPTIONS);
  const { report, sources } = terminalSafe(unsafeReport, options.sources);
  const style = options.style ?? PLAIN;
  const out = listHeader(report, sources, style);
  for (const routine of report.routines) out.push('', ...routineBlock(report, routine, style, options));
  return out.join('\n') + '\n';
}

/** What is listed and against what (shared with the HTML report). */
export function listHeader(report: ListReport, sources: Sources | undefined, style: Style): string[] {
  const unit = report.sampleType.unit;
  const out = [style.strong(`Type: ${report.sampleType.type} (${unit})  ·  functions matching /${report.regex}/, by line`)];
  out.push(...sideLines(report.kind === 'diff' ? report : { base: null, current: report.current }, sources));
  const header = { ...report, granularity: 'lines' as const, sort: 'flat' as const, totalRows: report.testedLines ?? 0, total: null };
  out.push(...errorNotes(header, { value: 'the value before it', tested: ['changed line', 'changed lines'] }));
  out.push(...sideNotes(report));
  const filters = Object.entries(report.filters).map(([k, v]) => `--${k} ${v}`);
  if (filters.length > 0) out.push(`Filters:  ${filters.join(' ')}`);
  const of = report.kind === 'diff' ? 'relative to the base total' : 'of the profile total';
  const tested = report.testedRoutines;
  const verdicts = tested === null ? '' : `; a total's ~ is tested on its own, Benjamini–Hochberg over ${tested} changed ${tested === 1 ? 'routine' : 'routines'}`;
  out.push(`Percentages are ${of}, ${scaledLabel(report.percentOf, unit)}. A routine's totals sum its lines, as in pprof${verdicts}.`);
  return out;
}

function routineBlock(report: ListReport, routine: ListRoutine, style: Style, lookup: SourceLookupNotes): string[] {
  const title = `ROUTINE ${routine.name}${inlineMark(routine)}${routine.file ? ` in ${routine.file}` : ''}`;
  const out = [style.strong(title), ...routineNotes(routine, lookup)];
  return [...out, '', ...totals(report, routine, style), '', ...lineTable(report, shownLines(routine), style)];
}

/** What the notes under a routine say about a lookup (shared with the HTML report). */
export type SourceLookupNotes = Pick<ListTextOptions, 'searchedRoots' | 'missingSourceHint'>;

/** Where the source came from, or why it is missing and what was looked for (shared with the HTML report). */
export function routineNotes(routine: ListRoutine, { searchedRoots, missingSourceHint }: SourceLookupNotes = {}): string[] {
  if (routine.file === '') return ['The profile names no source file for this function.'];
  if (routine.resolvedFile === null) {
    const roots = searchedRoots?.(routine.file) ?? [];
    const name = routine.file.split(/[\\/]/).at(-1)!;
    const tail = name !== routine.file ? ` (or its tail, down to ${name})` : '';
    const where = roots.length > 0 ? `: looked for ${routine.file}${tail} under ${roots.join(', ')}` : '';
    return [`Source not found${where}; showing the lines with values.`, ...(missingSourceHint ? [missingSourceHint] : [])];
  }
  const out = [`Source: ${routine.resolvedFile}`];
  if (routine.lines.some((l) => l.source === null && hasValue(l))) {
    out.push('Some lines with values are not in that file: it may not be the source that was profiled.');
  }
  return out;
}

/** With the source, every line in the context; without it, only the lines with values. */
export function shownLines(routine: ListRoutine): readonly ListLine[] {
  return routine.resolvedFile !== null ? routine.lines : routine.lines.filter(hasValue);
}

function hasValue(l: ListLine): boolean {
  return l.flat !== 0 || l.cum !== 0;
}

function totals(report: ListReport, routine: ListRoutine, style: Style): string[] {
  return textTable(columnsFor(routineTotalColumns(report, routine), 'text'), TOTALS_ROWS, style);
}

/** pprof's layout: the values, then the line number (padded to the widest) and its source as one cell. */
function lineTable(report: ListReport, lines: readonly ListLine[], style: Style): string[] {
  const columns = columnsFor(listLineColumns(report), 'text');
  const width = String(lines[lines.length - 1]?.line ?? 0).length;
  const line = columns.find((c) => c.id === 'line')!;
  const source = columns.find((c) => c.id === 'source')!;
  const joined: Column<ListLine> = {
    id: 'source',
    header: '',
    align: 'left',
    format: (l, i) => `${line.format(l, i).padStart(width)}:${source.format(l, i)}`,
  };
  return textTable([...columns.filter((c) => c !== line && c !== source), joined], lines, style);
}
