import type { ProfileTotals, SiteErrors } from '../analysis/aggregate.js';
import { reportTable, sideErrors, sideTotals } from '../analysis/side-aggregate.js';
import { siteInlineMarks, type InlineMark, type ProfileSide } from '../analysis/call-edges.js';
import type { SamplingModel } from '../analysis/sampling.js';
import { asDiffIfMarked, isDiff, resolveDiffSampleType, type ProfileOrDiff } from '../analysis/diff.js';
import { FILTER_RULES, pickFilters, type SampleFilters } from '../analysis/filters.js';
import { GRANULARITIES, SiteTable, type Granularity } from '../analysis/sites.js';
import { truncatedStacks, type TruncatedStacks } from '../analysis/truncation.js';
import { checkOptions, isBoolean, numberIn, oneOf, sampleSelector, wholeNumber, type OptionRule } from '../model/options.js';
import type { Profile, ValueType } from '../model/profile.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import { compareStrings } from '../base/compare.js';
import { attributionHint } from './attribution.js';
import { leaders, smallest } from './select.js';
import { evaluateGateOptions, GATE_RULES, type GateOptions, type Gates } from './gates.js';
import { sampledChange } from '../analysis/site-change.js';
import { criticalValue } from '../stats/difference.js';
import { normalTwoSidedP } from '../stats/normal.js';
import { rejectCandidates, zTestCut } from '../stats/fdr.js';
import { changedSiteTests, kernelLeaders } from '../analysis/site-tests-kernel.js';
import {
  DEFAULT_CONFIDENCE,
  checkConfidenceOption,
  combineModels,
  discoveriesOfStatistics,
  looksLikeOneProcess,
  siteStatistic,
  siteStatistics,
  siteTest,
  totalSide,
  valueError,
} from './significance.js';

/** Which change ranks `top`'s rows: a site's flat, or its cum. */
export type SortOrder = 'flat' | 'cum';
export const SORT_ORDERS: readonly SortOrder[] = ['flat', 'cum'];

/**
 * Options of `top`: the sample type, granularity, order and length of the rows, the error
 * model, gate rules, and the filters.
 */
export interface TopOptions extends SampleFilters, GateOptions {
  /** Sample type name or index; default: the profile's default, else its last type. */
  readonly sampleIndex?: SampleTypeSelector;
  /** Default 'functions'. */
  readonly granularity?: Granularity;
  /** 'flat' (default): largest flat growth first; 'cum': largest cum growth first. */
  readonly sort?: SortOrder;
  /** How many rows to keep; 0 keeps all. Default 10. Gates (failOn, warnOn) read every row. */
  readonly nodeCount?: number;
  /** Two-sided confidence of error intervals and verdicts, default 0.95 (`--confidence`). */
  readonly confidence?: number;
  /**
   * The two profiles are snapshots of one process (`--same-process`): tighter error bars from
   * the alloc_* columns. Wrong for separate runs, where it understates the error.
   */
  readonly sameProcess?: boolean;
}

/** How a site changed between base and current. `present` is a site of a single profile. */
export type SiteStatus = 'new' | 'gone' | 'grew' | 'shrank' | 'present';

/**
 * A site's values on one side of the report: flat (allocated by the site itself) and cum (with
 * everything it calls), in the sample type's unit.
 */
export interface FlatCum {
  readonly flat: number;
  readonly cum: number;
  /**
   * Only when the side is a set of profiles (flat and cum are then per-profile means): how many
   * profiles, and the standard deviation between them (null with one profile: no spread to see).
   */
  readonly n?: number;
  readonly flatSd?: number | null;
  readonly cumSd?: number | null;
}

/**
 * One site of `top`: where it is, its change and each side's values, and whether the change is
 * beyond sampling noise.
 */
export interface TopRow {
  /**
   * The function (at `lines`, the function the line is in). At `files` granularity the file
   * instead, and for frames without one the binary's row, `[binary]` (`<unknown>` when the
   * profile has no mapping), as pprof -files names them.
   */
  readonly name: string;
  /** Source file; '' at `functions` granularity, for the `files` row of frames without one, or when unknown. */
  readonly file: string;
  /** Source line (`lines` granularity only, else 0). */
  readonly line: number;
  /** Signed change, current − base (a single profile: its value). */
  readonly flat: number;
  /** Signed change of cum, with everything the site calls (a single profile: its value). */
  readonly cum: number;
  /** The site's values in the base; null for a single profile. */
  readonly base: FlatCum | null;
  /** The site's values in the current profile (the only one, for a single profile). */
  readonly current: FlatCum;
  /** Whether the site is new, gone, grew or shrank (`present` for a single profile). */
  readonly status: SiteStatus;
  /** Every call into this site is an inlined call, as pprof marks a row `(inline)`. */
  readonly inline: boolean;
  /** Some calls into this site are inlined and some are not: pprof's `(partial-inline)`. */
  readonly partialInline: boolean;
  /**
   * 1σ sampling error of `flat` and `cum` (of the change, for a diff), in the sample type's unit;
   * 0 for profiles that are not sampled; null when the sampling cannot be modelled.
   */
  readonly flatError: number | null;
  readonly cumError: number | null;
  /**
   * Two-sided p-value (before correction) that the sort key's change is sampling noise (where
   * that change is 0, the other key's); null for one profile or unknown errors.
   */
  readonly pValue: number | null;
  /**
   * The sort key's change is beyond sampling noise at the report's confidence, after
   * Benjamini–Hochberg across every changed site (after filters, before the row cut); null for
   * one profile.
   */
  readonly significant: boolean | null;
}

/** The net change of the whole profile (all samples, before filters) and its verdict. */
export interface TotalChange {
  readonly change: number;
  /** 1σ sampling error of `change`; null when it cannot be modelled. */
  readonly error: number | null;
  readonly pValue: number | null;
  readonly significant: boolean;
}

/** What one side of the report was: a single profile's, or the base's and current's. */
export interface SideSummary {
  /** How many profiles the side is; above 1, totals and row values are per-profile means. */
  readonly profiles: number;
  readonly timeNanos: number;
  /** Signed Σ of the sample type over all samples: the heap size for inuse_space. */
  readonly total: number;
  readonly period: number;
  readonly periodType: ValueType | undefined;
  /** Samples whose stacks reach Go's frame cap, so their outer callers are missing; null when none look cut. */
  readonly truncatedStacks: TruncatedStacks | null;
  /** The MemStats trailer of a legacy text profile (Profile.memStats); null for protobuf. */
  readonly memStats: Readonly<Record<string, number>> | null;
}

/**
 * What `top` returns: the sites ranked by growth (or by value, for one profile), each side's
 * summary, and the gates' verdict, for any renderer.
 */
export interface TopReport {
  /** 'diff' for two profiles (or sets), 'profile' for one. */
  readonly kind: 'diff' | 'profile';
  /** The sample type every value is of (inuse_space in bytes, say). */
  readonly sampleType: ValueType;
  /** How frames were grouped into rows. */
  readonly granularity: Granularity;
  /** The change that ranks the rows. */
  readonly sort: SortOrder;
  /** The base side's summary; null for one profile. */
  readonly base: SideSummary | null;
  /** The current side's summary (the only profile's, for one). */
  readonly current: SideSummary;
  /**
   * The denominator of every percentage, as in pprof: Σ|v| of the base for a diff (of both when
   * the base is empty), of the profile otherwise. Taken before filters.
   */
  readonly percentOf: number;
  /** The sites kept, largest growth of the sort key first (largest value, for one profile). */
  readonly rows: readonly TopRow[];
  /** Rows before `nodeCount` cut the list. */
  readonly totalRows: number;
  /**
   * A diff's largest decreases that `nodeCount` cut from `rows` (up to as many), most negative
   * first: with the arguments swapped, or after a fix, they would otherwise sit below zero-change rows.
   */
  readonly decreases?: readonly TopRow[];
  readonly filters: SampleFilters;
  /** Gate results when rules were given, else null. */
  readonly gates: Gates | null;
  /** Confidence of intervals and verdicts. */
  readonly confidence: number;
  /** Whether the one-process error model was asked for. */
  readonly sameProcess: boolean;
  /**
   * How errors were modelled (the weaker side's model for a diff); see analysis/sampling.ts.
   * 'spread': a side is a set of profiles, whose spread between profiles gives the error.
   */
  readonly errorModel: SamplingModel | 'spread';
  /** Sides of sets tested pair by pair (`--paired`); absent otherwise. */
  readonly paired?: boolean;
  /** The net change with its error and verdict; null for one profile. */
  readonly total: TotalChange | null;
  /** The profiles look like two snapshots of one process (a hint to suggest --same-process). */
  readonly looksLikeOneProcess: boolean;
  /**
   * When the site that grew most (by flat) is an inlined helper or a known allocation helper of
   * the Go or Node runtime, its caller that grew most: where the leak more likely is. Else null.
   */
  readonly hint: AttributionHint | null;
}

/** Points past a helper at its caller; `peek` on `site` shows every caller. */
export interface AttributionHint {
  readonly site: SiteKey;
  /**
   * 'inline': every call into the site is inlined; 'helper': it is in ALLOCATION_HELPERS; 'wait':
   * goroutines wait there (WAITING_FUNCTIONS: a goroutine profile's leaf).
   */
  readonly reason: 'inline' | 'helper' | 'wait';
  /**
   * The caller named, the first above the site that is not itself a helper or a wait (followed up
   * by the largest growth: runtime.gopark ← runtime.chanrecv ← runtime.chanrecv1 ← main.serve).
   */
  readonly caller: SiteKey;
  /** The function the caller calls, when it is not `site` itself (the hint followed a chain); `peek` shows it. */
  readonly via?: SiteKey;
  /** How much the caller's edge into the site grew (a single profile: its value). */
  readonly change: number;
}

/** A site's identity as rows carry it. */
export interface SiteKey {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

/** A rule per option: a new option does not type-check until it has one. */
export const TOP_OPTIONS = {
  sampleIndex: sampleSelector,
  granularity: oneOf(GRANULARITIES),
  sort: oneOf(SORT_ORDERS),
  nodeCount: wholeNumber(0),
  confidence: numberIn(0.5, 1),
  sameProcess: isBoolean,
  ...FILTER_RULES,
  ...GATE_RULES,
} satisfies Record<keyof TopOptions, OptionRule>;


/**
 * Ranks allocation sites. For a diff, by growth: flat and cum are current − base with pprof's
 * rules (`go tool pprof -top -nodefraction=0 -diff_base` prints the same numbers); sites whose
 * change is zero are left out, as pprof drops them.
 */
export function top(profileOrDiff: ProfileOrDiff, options: TopOptions = {}): TopReport {
  checkOptions(options, TOP_OPTIONS);
  const input = asDiffIfMarked(profileOrDiff);
  const granularity = options.granularity ?? 'functions';
  const sort = options.sort ?? 'flat';
  const nodeCount = options.nodeCount ?? 10;
  const filters: SampleFilters = pickFilters(options);
  const confidence = checkConfidenceOption(options.confidence ?? DEFAULT_CONFIDENCE);
  const sameProcess = options.sameProcess ?? false;
  // The base's table when the CLI made it while waiting for the other side (side-aggregate.ts).
  const sites = (isDiff(input) ? reportTable(input.base, granularity) : undefined) ?? new SiteTable(granularity);

  let rows: SiteRows;
  let sides: ProfileSide[];
  let head: Pick<TopReport, 'kind' | 'sampleType' | 'base' | 'current' | 'percentOf' | 'errorModel' | 'total' | 'looksLikeOneProcess'>;
  if (isDiff(input)) {
    const types = resolveDiffSampleType(input, options.sampleIndex);
    // Both sides' sites first, so the base's columns cover the current's sites too: reads past
    // the end of a typed array (the base's, for a site only the current has) are slow.
    sites.siteOfFrames(input.base);
    sites.siteOfFrames(input.current);
    // A side the CLI's helper thread aggregated already is taken over (side-aggregate.ts).
    const base = sideErrors({ profile: input.base, typeIndex: types.base, sites, filters });
    const current = sideErrors({ profile: input.current, typeIndex: types.current, sites, filters });
    sides = [{ profile: input.base, typeIndex: types.base }, { profile: input.current, typeIndex: types.current }];
    rows = diffRows(sites, base, current, sort, confidence, sameProcess);
    const sums = [sideTotals(input.base, types.base), sideTotals(input.current, types.current)] as const;
    const totals = [totalSide(input.base, types.base, sums[0], base.model), totalSide(input.current, types.current, sums[1], current.model)] as const;
    const errorModel = combineModels(totals[0].model, totals[1].model);
    const net = errorModel === 'unknown' ? null : sampledChange(totals[0].side, totals[1].side, { confidence, sameProcess });
    head = {
      kind: 'diff',
      sampleType: types.sampleType,
      base: summarize(input.base, types.base, sums[0]),
      current: summarize(input.current, types.current, sums[1]),
      percentOf: sums[0].absolute > 0 ? sums[0].absolute : sums[1].absolute,
      errorModel,
      total: {
        change: totals[1].side.value - totals[0].side.value,
        error: net ? net.standardError : null,
        pValue: net ? net.pValue : null,
        significant: net ? net.pValue <= 1 - confidence : true,
      },
      looksLikeOneProcess: looksLikeOneProcess(base, current, input.base.timeNanos, input.current.timeNanos),
    };
  } else {
    const typeIndex = resolveSampleType(input, options.sampleIndex);
    const values = sideErrors({ profile: input, typeIndex, sites, filters });
    const sums = sideTotals(input, typeIndex);
    sides = [{ profile: input, typeIndex }];
    rows = profileRows(sites, values);
    head = {
      kind: 'profile',
      sampleType: input.sampleTypes[typeIndex]!,
      base: null,
      current: summarize(input, typeIndex, sums),
      percentOf: sums.absolute,
      errorModel: values.model,
      total: null,
      looksLikeOneProcess: false,
    };
  }
  // Rows are made (and ordered) only as far as the report needs them: the kept ones, the largest
  // decreases past them and the one the hint reads; every row only for gates or --nodecount 0.
  const order = rowOrder(rows, sites, sort);
  const count = rows.site.length;
  const indices = () => {
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = i;
    return out;
  };
  const gated = Boolean(options.failOn?.length || options.warnOn?.length);
  const sorted = nodeCount === 0 || gated ? indices().sort(order) : null;
  const keptAt = nodeCount === 0 ? sorted! : sorted ? sorted.slice(0, nodeCount) : smallest(leadingRows(sort === 'cum' ? rows.cum : rows.flat, nodeCount, indices), nodeCount, order);
  const decreasesAt = head.kind === 'diff' && nodeCount > 0 ? largestDecreasesAt(rows, keptAt, nodeCount, sort, order) : [];
  const grewAt = largestGrowthAt(rows, sites);
  const wanted = new Uint8Array(sites.size);
  for (const i of [...keptAt, ...decreasesAt, ...(grewAt >= 0 ? [grewAt] : [])]) wanted[rows.site[i]!] = 1;
  // Inline marks cost a walk over every call edge into a marked site: only these rows get them.
  const marks = siteInlineMarks(sides, sites, filters, wanted);
  const marked = (i: number): TopRow => withMark(rows.row(i), marks[rows.site[i]!] ?? null);
  const hint = grewAt < 0 ? null : attributionHint(rows.row(grewAt), marks[rows.site[grewAt]!] === 'inline', sides, sites, filters);
  return {
    ...head,
    granularity,
    sort,
    rows: keptAt.map(marked),
    totalRows: count,
    decreases: decreasesAt.map(marked),
    filters,
    confidence,
    sameProcess,
    gates: evaluateGateOptions(options, () => ({
      sampleType: head.sampleType,
      baseTotal: head.base?.total ?? null,
      currentTotal: head.current.total,
      confidence,
      total: head.total === null ? null : { error: head.total.error, significant: head.total.significant },
      // Gates read flat; its verdict is the row's when flat is the sort key, else flat's own.
      sites: sorted!.map((i) => rows.row(i)).map((r) => ({
        name: r.name,
        file: r.file,
        line: r.line,
        flat: r.flat,
        baseFlat: r.base?.flat ?? null,
        error: r.flatError,
        significant: sort === 'flat' ? (r.significant ?? true) : flatSignificant(r, confidence),
      })),
    })),
    hint,
  };
}

/**
 * `leaders` of every row by `key`: by the site tests kernel where the column is its (a diff's),
 * else over `indices()`.
 */
function leadingRows(key: ArrayLike<number>, k: number, indices: () => number[]): ArrayLike<number> & Iterable<number> {
  return (key instanceof Float64Array ? kernelLeaders(key, k) : null) ?? leaders(indices(), key, k);
}

/** The row that grew most by flat (in `byFlat` order), or -1 if none grew. */
function largestGrowthAt(rows: SiteRows, sites: SiteTable): number {
  // byFlat leads with flat: only rows at the largest flat need the full comparison, and the
  // kernel lists those (leaders of one, ties included) without a loop here over every row.
  const atMost = rows.flat instanceof Float64Array ? kernelLeaders(rows.flat, 1) : null;
  if (atMost !== null) {
    if (atMost.length === 0 || !(rows.flat[atMost[0]!]! > 0)) return -1;
    const order = rowOrder(rows, sites, 'flat');
    let grew = -1;
    for (const i of atMost) if (grew < 0 || order(i, grew) < 0) grew = i;
    return grew;
  }
  let most = 0;
  for (let i = 0; i < rows.site.length; i++) if (rows.flat[i]! > most) most = rows.flat[i]!;
  if (!(most > 0)) return -1;
  const order = rowOrder(rows, sites, 'flat');
  let grew = -1;
  for (let i = 0; i < rows.site.length; i++) if (rows.flat[i] === most && (grew < 0 || order(i, grew) < 0)) grew = i;
  return grew;
}

/** `largestDecreases` over rows not yet made: those past the kept ones, as row indices. */
function largestDecreasesAt(rows: SiteRows, keptAt: readonly number[], count: number, sort: SortOrder, order: (a: number, b: number) => number): number[] {
  const value = sort === 'cum' ? rows.cum : rows.flat;
  const kept = new Set(keptAt);
  const candidates: number[] = [];
  const { significantRows } = rows;
  if (significantRows !== undefined) {
    // Only the significant rows can be candidates: a few, not every changed site.
    for (let j = 0; j < significantRows.length; j++) {
      const i = significantRows[j]!;
      if (value[i]! < 0 && !kept.has(i)) candidates.push(i);
    }
  } else {
    for (let i = 0; i < rows.site.length; i++) {
      // A decrease within sampling noise is not a change that could be pushed out of view.
      if (value[i]! < 0 && rows.significant[i] !== false && !kept.has(i)) candidates.push(i);
    }
  }
  return smallest(leaders(candidates, value, count, true), count, (a, b) => value[a]! - value[b]! || order(a, b));
}

/**
 * The rows past the first `shown` that decreased (by the sort's value) beyond sampling noise, most
 * negative first, at most `count`.
 */
export function largestDecreases(rows: readonly TopRow[], shown: number, sort: SortOrder, count = shown): TopRow[] {
  const value = (r: TopRow) => (sort === 'cum' ? r.cum : r.flat);
  const order = sort === 'cum' ? byCum : byFlat;
  return rows
    .slice(shown)
    // A decrease within sampling noise is not a change that could be pushed out of view.
    .filter((r) => value(r) < 0 && r.significant !== false)
    .sort((a, b) => value(a) - value(b) || order(a, b))
    .slice(0, count);
}

function summarize(profile: Profile, typeIndex: number, totals: ProfileTotals): SideSummary {
  return {
    profiles: 1,
    timeNanos: profile.timeNanos,
    total: totals.signed,
    period: profile.period,
    periodType: profile.periodType,
    truncatedStacks: truncatedStacks(profile, typeIndex, totals.deepest),
    memStats: profile.memStats ?? null,
  };
}

function withMark(r: TopRow, mark: InlineMark): TopRow {
  const inline = mark === 'inline';
  const partialInline = mark === 'partial-inline';
  return r.inline === inline && r.partialInline === partialInline ? r : { ...r, inline, partialInline };
}

export function siteRow(sites: SiteTable, site: number, mark: InlineMark, fields: Omit<TopRow, 'name' | 'file' | 'line' | 'inline' | 'partialInline'>): TopRow {
  return {
    name: sites.names[site]!,
    file: sites.files[site]!,
    line: sites.lines[site]!,
    ...fields,
    inline: mark === 'inline',
    partialInline: mark === 'partial-inline',
  };
}

/**
 * The changed sites of a report as columns, in site order; a row's object (without inline marks)
 * is made when asked for, once.
 */
interface SiteRows {
  readonly site: ArrayLike<number>;
  readonly flat: ArrayLike<number>;
  readonly cum: ArrayLike<number>;
  /** The row's verdict; null for one profile. */
  readonly significant: readonly (boolean | null)[];
  /** Where known without a scan: the rows whose verdict is true (any order). */
  readonly significantRows?: readonly number[];
  row(i: number): TopRow;
}

function lazyRows(columns: Omit<SiteRows, 'row'>, make: (i: number) => TopRow): SiteRows {
  const made: TopRow[] = [];
  return { ...columns, row: (i) => (made[i] ??= make(i)) };
}

/** `byFlat` or `byCum` on row indices, ties last by site order (as a stable sort of the rows). */
function rowOrder(rows: SiteRows, sites: SiteTable, sort: SortOrder): (a: number, b: number) => number {
  const [first, second] = sort === 'cum' ? [rows.cum, rows.flat] : [rows.flat, rows.cum];
  return (a, b) => {
    const x = rows.site[a]!;
    const y = rows.site[b]!;
    return (
      first[b]! - first[a]! ||
      second[b]! - second[a]! ||
      compareStrings(sites.names[x]!, sites.names[y]!) ||
      compareStrings(sites.files[x]!, sites.files[y]!) ||
      sites.lines[x]! - sites.lines[y]! ||
      a - b
    );
  };
}

function profileRows(sites: SiteTable, values: SiteErrors): SiteRows {
  const columns = { site: [] as number[], flat: [] as number[], cum: [] as number[], significant: [] as null[] };
  for (let s = 0; s < sites.size; s++) {
    const flat = values.flat[s] ?? 0;
    const cum = values.cum[s] ?? 0;
    if (flat === 0 && cum === 0) continue;
    columns.site.push(s);
    columns.flat.push(flat);
    columns.cum.push(cum);
    columns.significant.push(null);
  }
  return lazyRows(columns, (i) => {
    const s = columns.site[i]!;
    const flat = columns.flat[i]!;
    const cum = columns.cum[i]!;
    return siteRow(sites, s, null, {
      flat,
      cum,
      base: null,
      current: { flat, cum },
      status: 'present',
      flatError: valueError(values, s, 'flat'),
      cumError: valueError(values, s, 'cum'),
      pValue: null,
      significant: null,
    });
  });
}

/**
 * The sites whose flat or cum changed, as columns, and whether each is tested on cum: the sort
 * key's change, or where that is 0 (a caller with no flat of its own) the other one, which is the
 * change its status describes. A loop alone in its function, so the compile that makes it fast
 * while it runs covers nothing else.
 */
function changedSites(size: number, base: SiteErrors, current: SiteErrors, sort: SortOrder) {
  const columns = { site: [] as number[], flat: [] as number[], cum: [] as number[], significant: [] as readonly boolean[] };
  const cumKeys = new Uint8Array(size);
  const cumSort = sort === 'cum';
  for (let s = 0; s < size; s++) {
    // Sites the current side added after the base was aggregated are missing there: zero.
    const flat = (current.flat[s] ?? 0) - (base.flat[s] ?? 0);
    const cum = (current.cum[s] ?? 0) - (base.cum[s] ?? 0);
    if (flat === 0 && cum === 0) continue;
    cumKeys[columns.site.length] = cumSort !== ((cumSort ? cum : flat) === 0) ? 1 : 0;
    columns.site.push(s);
    columns.flat.push(flat);
    columns.cum.push(cum);
  }
  return { columns, cumKeys };
}

/**
 * Every changed site's test statistic on the sort key (Benjamini–Hochberg ranks every site);
 * whole tests, with their errors, only for the rows made.
 */
function diffRows(sites: SiteTable, base: SiteErrors, current: SiteErrors, sort: SortOrder, confidence: number, sameProcess: boolean): SiteRows {
  const { columns, tested } = changedSiteRows(sites.size, base, current, sort, confidence, sameProcess);
  return lazyRows(columns, (i) => {
    const s = columns.site[i]!;
    const b = { flat: base.flat[s] ?? 0, cum: base.cum[s] ?? 0 };
    const c = { flat: current.flat[s] ?? 0, cum: current.cum[s] ?? 0 };
    const flat = c.flat - b.flat;
    const cum = c.cum - b.cum;
    const flatTest = siteTest(base, current, s, 'flat', confidence, sameProcess);
    const cumTest = siteTest(base, current, s, 'cum', confidence, sameProcess);
    return siteRow(sites, s, null, {
      flat,
      cum,
      base: b,
      current: c,
      status: statusOf(b, c, flat, cum),
      flatError: flatTest ? flatTest.standardError : null,
      cumError: cumTest ? cumTest.standardError : null,
      pValue: Number.isNaN(tested[i]!) ? null : normalTwoSidedP(tested[i]!),
      significant: columns.significant[i]!,
    });
  });
}

/** changedSites with each row's statistic and verdict: by the WebAssembly kernel where it takes the sides, else in JavaScript. */
function changedSiteRows(size: number, base: SiteErrors, current: SiteErrors, sort: SortOrder, confidence: number, sameProcess: boolean) {
  // The one-process model tests each site its own way (siteStatistics): JavaScript only.
  const perSite = sameProcess && base.flatAlloc !== null && current.flatAlloc !== null;
  const kernel = perSite ? null : changedSiteTests(size, base, current, sort === 'cum');
  if (kernel === null) {
    const { columns, cumKeys } = changedSites(size, base, current, sort);
    const tested = siteStatistics(base, current, columns.site, cumKeys, sameProcess);
    return { columns: { ...columns, significant: discoveriesOfStatistics(tested, confidence) }, tested };
  }
  const { site, flat, cum, fallback } = kernel;
  const cumSort = sort === 'cum';
  for (const i of fallback) {
    const onCum = cumSort !== ((cumSort ? cum[i]! : flat[i]!) === 0);
    kernel.statistics[i] = siteStatistic(base, current, site[i]!, onCum ? 'cum' : 'flat', sameProcess);
  }
  // discoveriesOfStatistics: rows without a statistic are significant, the rest as Benjamini–Hochberg says.
  const q = 1 - confidence;
  const { rows, tests, statistics } = kernel.candidates(zTestCut(q));
  const significant = new Array<boolean>(site.length).fill(false);
  for (const i of fallback) if (Number.isNaN(statistics[i]!)) significant[i] = true;
  rejectCandidates(statistics, rows, tests, q, significant);
  // Every true verdict is a fallback's or a candidate's: the rows to scan for decreases.
  const significantRows: number[] = [];
  for (const i of fallback) if (Number.isNaN(statistics[i]!)) significantRows.push(i);
  for (const i of rows) if (significant[i]) significantRows.push(i);
  return { columns: { site, flat, cum, significant, significantRows }, tested: statistics };
}

/** A flat verdict for gates when rows were sorted (and corrected) by cum: the uncorrected test. */
function flatSignificant(r: TopRow, confidence: number): boolean {
  if (r.flatError === null) return true;
  if (r.flatError === 0) return r.flat !== 0;
  return Math.abs(r.flat / r.flatError) > criticalValue(confidence);
}

export function statusOf(b: FlatCum, c: FlatCum, flat: number, cum: number): SiteStatus {
  if (b.flat === 0 && b.cum === 0) return 'new';
  if (c.flat === 0 && c.cum === 0) return 'gone';
  return (flat !== 0 ? flat : cum) > 0 ? 'grew' : 'shrank';
}

/** Largest growth first; explicit tie-breaks keep the output identical run to run. */
export function byFlat(a: TopRow, b: TopRow): number {
  return b.flat - a.flat || b.cum - a.cum || byIdentity(a, b);
}

export function byCum(a: TopRow, b: TopRow): number {
  return b.cum - a.cum || b.flat - a.flat || byIdentity(a, b);
}

function byIdentity(a: TopRow, b: TopRow): number {
  return compareStrings(a.name, b.name) || compareStrings(a.file, b.file) || a.line - b.line;
}
