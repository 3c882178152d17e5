import { isDiff, type ProfileOrDiff } from '../analysis/diff.js';
import { compileRegex, FILTER_RULES, type SampleFilters } from '../analysis/filters.js';
import { ProfileError } from '../model/errors.js';
import type { SamplingModel } from '../analysis/sampling.js';
import { checkOptions, invalidOption, isBoolean, isFunction, numberIn, sampleSelector, type OptionRule } from '../model/options.js';
import type { ValueType } from '../model/profile.js';
import { addStartLines } from '../analysis/start-lines.js';
import { routineKey } from '../analysis/routine-ids.js';
import type { SampleTypeSelector } from '../model/sample-type.js';
import { compareStrings } from '../base/compare.js';
import { routineErrors, type RoutineError, type RoutineErrors } from './routine-errors.js';
import { top, type FlatCum, type SideSummary, type TopReport, type TopRow } from './top.js';

/** A source file as the caller found it: `path` says where, `lines[0]` is line 1. */
export interface SourceFile {
  readonly path: string;
  readonly lines: readonly string[];
}

/**
 * Finds the source of a file named in the profile: its text, or `{path, lines}` to say where it
 * was found; null (or undefined) when it cannot, or may not, be read.
 */
export type SourceReader = (file: string) => SourceFile | string | null | undefined;

/** Options of `list`: the sample type, how to read source files, the error model, and the filters. */
export interface ListOptions extends SampleFilters {
  /** Sample type name or index; default: the profile's default, else its last type. */
  readonly sampleIndex?: SampleTypeSelector;
  /** Without one, routines carry line numbers and values but no source text. */
  readonly readSource?: SourceReader;
  /** Two-sided confidence of error intervals and verdicts, default 0.95 (`--confidence`). */
  readonly confidence?: number;
  /** The two profiles are snapshots of one process (`--same-process`), as for `top`. */
  readonly sameProcess?: boolean;
}

/** One source line of a routine, as a row of pprof's `list`. */
export interface ListLine {
  /** The line number in the routine's file. */
  readonly line: number;
  /** Signed change, current − base (a single profile: its value). */
  readonly flat: number;
  readonly cum: number;
  readonly base: FlatCum | null;
  readonly current: FlatCum;
  /** The line's text; null when the source was not found or the line lies past its end. */
  readonly source: string | null;
  /**
   * 1σ sampling errors of `flat` and `cum` (of the change, for a diff), `top`'s at line
   * granularity; null for a line without values (pprof's context) or when errors are unknown.
   */
  readonly flatError: number | null;
  readonly cumError: number | null;
  /** Two-sided p-value (before correction) that flat's change is noise (cum's where flat's is 0); null for one profile. */
  readonly pValue: number | null;
  /**
   * The change is beyond sampling noise, after Benjamini–Hochberg across every changed line of the
   * profile (after filters), as `top` at line granularity; null for one profile and lines without values.
   */
  readonly significant: boolean | null;
}

/** One function in one file, as pprof's `list` prints a ROUTINE block. */
export interface ListRoutine {
  readonly name: string;
  /** As named in the profile ('' when the profile has no file for the function). */
  readonly file: string;
  /** Where the reader found the source; null when it did not. */
  readonly resolvedFile: string | null;
  /** Function.start_line from the profile; 0 when the producer did not record it (Go < 1.20). */
  readonly startLine: number;
  /**
   * Sums over the routine's lines, as pprof's ROUTINE header: a sample that passes through two
   * lines of the function (recursion, or two call sites on one stack) counts in both, so `cum`
   * can exceed what the function holds. Kept so the numbers equal `go tool pprof -list`.
   */
  readonly flat: number;
  readonly cum: number;
  readonly base: FlatCum | null;
  readonly current: FlatCum;
  /** Every call into every line of the routine is an inlined call (text: `(inline)`). */
  readonly inline: boolean;
  readonly lines: readonly ListLine[];
  /**
   * 1σ sampling errors of the header's `flat` and `cum` (of the change, for a diff), computed from
   * the samples: flat's over the routine's leaf samples; cum's with each sample counted as often
   * as the header counts it (m distinct lines of the routine on its stack: m²·its variance), not
   * the sum of the lines' errors. For sets, the spread of the per-profile totals (as a row of
   * `topOfSets`, scaled by t/z). Null when errors are unknown.
   */
  readonly flatError: number | null;
  readonly cumError: number | null;
  /** Two-sided p-value that the header's flat change is noise (cum's where flat's is 0); null for one profile. */
  readonly pValue: number | null;
  /**
   * The header's change is beyond sampling noise, after Benjamini–Hochberg across every changed
   * routine of the profile after filters (as lines are across lines); null for one profile.
   */
  readonly significant: boolean | null;
}

/** What `list` returns: the routines matching the regex, with their lines' values, for any renderer. */
export interface ListReport {
  readonly kind: 'diff' | 'profile';
  readonly sampleType: ValueType;
  readonly regex: string;
  readonly base: SideSummary | null;
  readonly current: SideSummary;
  /** The denominator of every percentage, as in `top` and pprof. */
  readonly percentOf: number;
  readonly filters: SampleFilters;
  /** Sorted by function name, then file. */
  readonly routines: readonly ListRoutine[];
  /** Confidence of intervals and verdicts. */
  readonly confidence: number;
  readonly sameProcess: boolean;
  /** How errors were modelled, as in `top` (the weaker side's model for a diff; `spread` for sets). */
  readonly errorModel: SamplingModel | 'spread';
  /** The profiles look like two snapshots of one process (the header suggests --same-process). */
  readonly looksLikeOneProcess: boolean;
  /**
   * How many lines the verdicts were corrected over (Benjamini–Hochberg): every changed line of the
   * profile after filters, not only the listed ones. So a line's verdict is `top -g lines`'s and
   * does not depend on the regex: narrowing it (often to a function top just showed) cannot make a
   * line significant. Null for one profile (no verdicts).
   */
  readonly testedLines: number | null;
  /** How many routines the headers' verdicts were corrected over: every changed routine of the profile (or sets) after filters; null for one profile. */
  readonly testedRoutines: number | null;
}

/** pprof shows this many lines of context before the first and after the last sampled line. */
const MARGIN = 5;

/**
 * The source lines behind each function whose name matches `regex` (unanchored, name only), with
 * the flat and cum of every line, the numbers `go tool pprof -list` prints. The values are `top`'s
 * at line granularity, so a line whose change is zero does not exist here either.
 */
export function list(input: ProfileOrDiff, regex: string, options: ListOptions = {}): ListReport {
  checkOptions(options, {
    sampleIndex: sampleSelector,
    readSource: isFunction,
    confidence: numberIn(0.5, 1),
    sameProcess: isBoolean,
    ...FILTER_RULES,
  } satisfies Record<keyof ListOptions, OptionRule>);
  if (typeof regex !== 'string') throw invalidOption('regex', 'a string', regex);
  const { readSource, ...sampleOptions } = options;
  const report = top(input, { ...sampleOptions, granularity: 'lines', nodeCount: 0 });
  const headers = routineErrors(input, { ...sampleOptions, confidence: report.confidence, sameProcess: report.sameProcess });
  return listOfTop(report, regex, startLines(input), readSource, headers);
}

/**
 * The routines of a `top` report by lines whose function matches `regex`: what `list` shows of two
 * profiles and `listOfSets` of two sets of them (a line's values are then per-profile means).
 */
export function listOfTop(
  report: TopReport,
  regex: string,
  starts: ReadonlyMap<string, number>,
  readSource: SourceReader | undefined,
  headers: RoutineErrors | null = null,
): ListReport {
  const matcher = compileRegex(regex, 'the function regex');
  const groups = new Map<string, TopRow[]>();
  for (const row of report.rows) {
    if (!matcher.test(row.name)) continue;
    const key = routineKey(row.name, row.file);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  if (groups.size === 0) throw new ProfileError('selecting functions', `no function matches /${regex}/`);

  const sources = new Map<string, SourceFile | null>();
  const sourceOf = (file: string): SourceFile | null => {
    if (file === '' || !readSource) return null;
    if (!sources.has(file)) sources.set(file, asSourceFile(file, readSource(file)));
    return sources.get(file)!;
  };
  const zero = report.kind === 'diff' ? { flat: 0, cum: 0 } : null;
  const routines = [...groups.values()]
    .map((rows) => {
      const { name, file } = rows[0]!;
      const header = headers?.of(name, file) ?? { flatError: null, cumError: null, pValue: null, significant: null };
      return routine(rows, starts.get(routineKey(name, file)) ?? 0, sourceOf(file), zero, header);
    })
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.file, b.file));

  return {
    kind: report.kind,
    sampleType: report.sampleType,
    regex,
    base: report.base,
    current: report.current,
    percentOf: report.percentOf,
    filters: report.filters,
    routines,
    confidence: report.confidence,
    sameProcess: report.sameProcess,
    errorModel: report.errorModel,
    looksLikeOneProcess: report.looksLikeOneProcess,
    testedLines: report.kind === 'diff' ? report.totalRows : null,
    testedRoutines: headers?.tested ?? null,
  };
}

/** What a reader returned, as one shape; anything else is the caller's mistake, said plainly. */
function asSourceFile(file: string, found: unknown): SourceFile | null {
  if (found === null || found === undefined) return null;
  // A file's text: a final newline ends the last line rather than starting an empty one.
  if (typeof found === 'string') return { path: file, lines: found.replace(/\r?\n$/, '').split(/\r?\n/) };
  const { path, lines } = found as Partial<SourceFile>;
  if (typeof path === 'string' && Array.isArray(lines)) return { path, lines };
  throw new ProfileError('invalid option', `readSource(${JSON.stringify(file)}) must return the file's text, {path, lines} or null`);
}

function routine(rows: readonly TopRow[], startLine: number, source: SourceFile | null, zero: FlatCum | null, header: RoutineError): ListRoutine {
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const numbers = shownLines(rows[0]!.file === '' ? [] : [...byLine.keys()], startLine, source);
  // A sampled line outside the context (past the end of a stale source file, or line 0) is still
  // shown, so the lines always add up to the header.
  const inRange = new Set(numbers);
  for (const line of byLine.keys()) if (!inRange.has(line)) numbers.push(line);
  numbers.sort((a, b) => a - b);

  const lines = numbers.map((line): ListLine => {
    const row = byLine.get(line);
    const text = source?.lines[line - 1] ?? null;
    if (!row) {
      return { line, flat: 0, cum: 0, base: zero, current: { flat: 0, cum: 0 }, source: text, flatError: null, cumError: null, pValue: null, significant: null };
    }
    return {
      line,
      flat: row.flat,
      cum: row.cum,
      base: row.base,
      current: row.current,
      source: text,
      flatError: row.flatError,
      cumError: row.cumError,
      pValue: row.pValue,
      significant: row.significant,
    };
  });
  const sum = (pick: (r: TopRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
  return {
    name: rows[0]!.name,
    file: rows[0]!.file,
    resolvedFile: source?.path ?? null,
    startLine,
    flat: sum((r) => r.flat),
    cum: sum((r) => r.cum),
    base: zero === null ? null : { flat: sum((r) => r.base!.flat), cum: sum((r) => r.base!.cum) },
    current: { flat: sum((r) => r.current.flat), cum: sum((r) => r.current.cum) },
    inline: rows.every((r) => r.inline),
    lines,
    ...header,
  };
}

/**
 * pprof's context range: from the function's start line (else 5 before the first sampled line)
 * to 5 after the last, at least line 1, and no further than the end of the file when it is known.
 * Without the file, only the 5 lines around each sampled line: they have no text to show, and
 * nothing else bounds a range a profile's line numbers could stretch over billions of lines.
 */
function shownLines(sampled: readonly number[], startLine: number, source: SourceFile | null): number[] {
  if (sampled.length === 0) return [];
  const sorted = [...sampled].sort((a, b) => a - b);
  const out: number[] = [];
  if (source === null) {
    for (const at of sorted) {
      for (let line = Math.max(1, at - MARGIN, (out.at(-1) ?? 0) + 1); line <= at + MARGIN; line++) out.push(line);
    }
    return out;
  }
  const start = Math.max(1, startLine !== 0 ? startLine : sorted[0]! - MARGIN);
  const end = Math.min(sorted.at(-1)! + MARGIN, source.lines.length);
  for (let line = start; line <= end; line++) out.push(line);
  return out;
}

/** (function, file) → Function.start_line, from the current profile first, then the base. */
function startLines(input: ProfileOrDiff): Map<string, number> {
  const out = new Map<string, number>();
  for (const profile of isDiff(input) ? [input.current, input.base] : [input]) addStartLines(out, profile);
  return out;
}
