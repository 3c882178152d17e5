import { signedTotal } from '../analysis/aggregate.js';
import { FILTER_RULES, pickFilters, type SampleFilters } from '../analysis/filters.js';
import { evaluateGateOptions, GATE_RULES, type GateOptions, type Gates } from './gates.js';
import { GRANULARITIES, type Granularity, type SiteTable } from '../analysis/sites.js';
import { siteInlineMarks, type ProfileSide } from '../analysis/call-edges.js';
import { attributionHint } from './attribution.js';
import type { AttributionHint, TotalChange } from './top.js';
import { unionSide } from '../analysis/union-side.js';
import { sampledChange } from '../analysis/site-change.js';
import { analyzeSeries, fitLine, fitSlopeError, MIN_SNAPSHOTS, randomWalkSlopeFactor, VERDICTS, type Verdict } from '../analysis/trend.js';
import { unitFamily } from '../format/units.js';
import { ProfileError, quoteName } from '../model/errors.js';
import { checkOptions, numberIn, oneOf, sampleSelector, wholeNumber, type OptionRule } from '../model/options.js';
import type { Profile, ValueType } from '../model/profile.js';
import { findTypeByName, resolveSampleType, typeNames, type SampleTypeSelector } from '../model/sample-type.js';
import { compareStrings } from '../base/compare.js';
import { SeriesTable } from './trend-series.js';
import { checkConfidenceOption, combineModels, DEFAULT_CONFIDENCE, discoveries, siteTest, totalSide } from './significance.js';
import { sampleVariances, type SamplingModel } from '../analysis/sampling.js';
import { criticalValue } from '../stats/difference.js';

/** Which value of a site `trend` follows: its flat, or its cum. */
export type TrendValue = 'flat' | 'cum';

/** A rule per option: a new option does not type-check until it has one. */
const TREND_OPTIONS = {
  sampleIndex: sampleSelector,
  granularity: oneOf(GRANULARITIES),
  value: oneOf(['flat', 'cum']),
  nodeCount: wholeNumber(0),
  limit: numberIn(0, Infinity, true),
  overhead: numberIn(1, 100),
  confidence: numberIn(0.5, 1),
  ...FILTER_RULES,
  ...GATE_RULES,
} satisfies Record<keyof TrendOptions, OptionRule>;

/**
 * Options of `trend`: the sample type, granularity, value followed, row count, memory limit,
 * gate rules, and the filters.
 */
export interface TrendOptions extends SampleFilters, GateOptions {
  /** Sample type name or index; default: the last snapshot's default, else its last type. */
  readonly sampleIndex?: SampleTypeSelector;
  /** Default 'functions'. */
  readonly granularity?: Granularity;
  /**
   * 'flat' (default): what the site allocated itself, so a caller whose cum grows only because
   * a callee leaks is not a leak of its own; 'cum': with everything it calls.
   */
  readonly value?: TrendValue;
  /** How many rows to keep; 0 keeps all. Default 10. */
  readonly nodeCount?: number;
  /** A memory limit in bytes: project when the heap reaches it at the leaking sites' slope. */
  readonly limit?: number;
  /**
   * Process memory per byte of in-use heap, for `limit` (default 1: the heap alone). A Go process
   * with GOGC=100 holds about twice its live heap; legacy profiles' MemStats Sys is used when present.
   */
  readonly overhead?: number;
  /** Two-sided confidence of the verdicts and of the projection's interval, default 0.95 (`--confidence`). */
  readonly confidence?: number;
}

/** One site of `trend`: its value in every snapshot, the fitted slope, and its verdict. */
export interface TrendRow {
  /** The site, as TopRow.name: its function, or at `files` granularity its file (or `[binary]`/`<unknown>`). */
  readonly name: string;
  /** Source file; '' at `functions` granularity or when unknown. */
  readonly file: string;
  /** Source line at `lines` granularity, else 0. */
  readonly line: number;
  /** What the series looks like (see VERDICTS for the order rows are listed in). */
  readonly verdict: Verdict;
  /** The site's value in each snapshot, in time order. */
  readonly series: readonly number[];
  /** Least-squares slope per second (per snapshot when the report's slopePer is 'snapshot'). */
  readonly slope: number;
  /** The slope's least-squares standard error (too small for one process: residuals are correlated). */
  readonly slopeError: number;
  readonly r2: number;
  /** Last − first. */
  readonly net: number;
  /** 1σ sampling error of `net` under the one-process model (first → last); null when unknown. */
  readonly netError: number | null;
  /** Two-sided p-value that `net` is sampling noise, before correction; null when untested. */
  readonly pValue: number | null;
  /** `net` is beyond sampling noise (Benjamini–Hochberg across every site at the report's confidence); a leak needs it. */
  readonly significant: boolean | null;
  /** Intervals in which the value rose, and fell, of snapshots − 1. */
  readonly rose: number;
  readonly fell: number;
  /** Changes within this are sampling noise. */
  readonly noiseFloor: number;
  /** Δinuse_space ÷ Δalloc_space over the window; null without both types or new allocations. */
  readonly retained: number | null;
}

/** One input profile, in time order; `index` is its position among the arguments. */
export interface TrendSnapshot {
  readonly index: number;
  readonly timeNanos: number;
  /** Signed Σ of the sample type over all samples (before filters): the heap for inuse_space. */
  readonly total: number;
  readonly period: number;
}

/** When memory reaches `limit` if the leaking sites keep their slope (trend's `limit` option). */
export interface TrendProjection {
  readonly limit: number;
  /** The total in the last snapshot. */
  readonly heap: number;
  /**
   * What is compared with the limit: `memstats` (the last snapshot's MemStats Sys, all memory the
   * Go runtime holds: legacy text profiles) or `heap` (the sampled in-use heap × overhead).
   */
  readonly basis: 'heap' | 'memstats';
  /** Process memory per byte of in-use heap; the leaks' growth is counted this many times. */
  readonly overhead: number;
  /** The memory compared with the limit now: MemStats Sys, or heap × overhead. */
  readonly memory: number;
  /** The in-use heap at which the memory reaches the limit (the limit itself when overhead is 1 without MemStats). */
  readonly heapLimit: number;
  /**
   * The slope of what the leaking sites hold together. By flat: their slopes summed. By cum
   * (`value: 'cum'`): the slope of their combined cum, each sample once, since a leaking caller's
   * cum already holds its leaking callee's and their slopes summed would count it twice.
   */
  readonly rate: number;
  /**
   * 1σ error of `rate` (null when nothing leaks): the larger of its sampling error under the
   * one-process model (the leaks' first → last errors, spread over the fit as a random walk) and
   * the fit's own error of the leaks' summed series, each scaled so that z times it (1.96 at 95 %)
   * is the interval's half-width (the fit's uses Student's t with n − 2 degrees of freedom).
   */
  readonly rateError: number | null;
  /** `rate`'s interval at the report's confidence; null when nothing leaks. */
  readonly rateLow: number | null;
  readonly rateHigh: number | null;
  /** Seconds (or snapshots) after the last snapshot; 0 when already over, null when nothing leaks. */
  readonly after: number | null;
  /**
   * `after`'s interval, from `rateHigh` (soonest) and `rateLow` (latest); `afterHigh` is null when
   * `rateLow` ≤ 0: at that confidence the limit may never be reached. Both null when nothing leaks.
   */
  readonly afterLow: number | null;
  readonly afterHigh: number | null;
  /** When, if the snapshots had capture times. */
  readonly atNanos: number | null;
}

/**
 * What `trend` returns: each site's series across the snapshots with its verdict, leaks first,
 * and the projection to a memory limit, for any renderer.
 */
export interface TrendReport {
  readonly sampleType: ValueType;
  readonly granularity: Granularity;
  readonly value: TrendValue;
  /** 'snapshot' when capture times were missing or equal and argument order was used. */
  readonly slopePer: 'second' | 'snapshot';
  /**
   * True when the period is 1, every event recorded (goroutine and other count profiles, or a heap
   * profile with MemProfileRate = 1): the values are exact and there is no noise floor.
   */
  readonly exactCounts: boolean;
  /** How the first and last snapshots' sampling errors were modelled (the weaker one), as `top`'s. */
  readonly errorModel: SamplingModel;
  /** Confidence of the verdicts and of the projection's interval. */
  readonly confidence: number;
  readonly snapshots: readonly TrendSnapshot[];
  /** Δinuse_space ÷ Δalloc_space of the whole heap; null without both types. */
  readonly retained: number | null;
  /** How many sites got each verdict (all of them, not only the rows kept). */
  readonly verdicts: Readonly<Record<Verdict, number>>;
  /** Leaks first, then by verdict (see VERDICTS), each by |slope|. */
  readonly rows: readonly TrendRow[];
  readonly totalRows: number;
  readonly projection: TrendProjection | null;
  /**
   * The whole heap's change first → last (all samples, before filters) with its sampling error
   * under the one-process model and its verdict, as a row's `net`; `error` null when unknown.
   */
  readonly total: TotalChange;
  readonly warnings: readonly string[];
  readonly filters: SampleFilters;
  /** Results of failOn/warnOn rules (total and site change first → last, and `leaks`); null without rules. */
  readonly gates: Gates | null;
  /**
   * One per `leak` row kept that is inlined into its callers or a known allocation helper: its
   * caller whose edge into it grew most from the first snapshot to the last (as `top`'s hint).
   */
  readonly hints: readonly AttributionHint[];
}

/**
 * How every allocation site moves across three or more snapshots of one process: slope, fit,
 * monotonicity, retained fraction and a verdict per site (see analysis/trend.ts for the rules).
 */
export function trend(profiles: readonly Profile[], options: TrendOptions = {}): TrendReport {
  checkOptions(options, TREND_OPTIONS);
  const nodeCount = options.nodeCount ?? 10;
  const confidence = checkConfidenceOption(options.confidence ?? DEFAULT_CONFIDENCE);
  if (profiles.length < MIN_SNAPSHOTS) {
    throw new ProfileError('comparing profiles', `a trend needs at least ${MIN_SNAPSHOTS} snapshots, got ${profiles.length}`);
  }
  const { ordered, indexOrder, times, timed } = orderSnapshots(profiles);
  const warnings: string[] = [];
  if (!timed) {
    warnings.push('capture times are missing or equal: snapshots are taken in argument order, and slopes are per snapshot, not per second');
  }
  const last = ordered[ordered.length - 1]!;
  const sampleType = last.sampleTypes[resolveSampleType(last, options.sampleIndex)]!;
  const typeIndex = typeAcross(ordered, indexOrder, sampleType);
  const counter = sampleType.type.startsWith('alloc_');
  if (counter) {
    warnings.push(`${sampleType.type} counts allocations, not memory held: slopes are allocation rates, and no site is called a leak`);
  }
  if (options.limit !== undefined) checkLimit(options.limit, sampleType, counter);
  else if (options.overhead !== undefined) throw new ProfileError('invalid option', 'an overhead applies to a memory limit: give the limit too');
  const periods = ordered.map((p) => p.period);
  const period = Math.max(...periods);
  if (Math.min(...periods) !== period) {
    warnings.push(`the sampling period changed between snapshots (${Math.min(...periods)} to ${period}): values are not comparable; the noise floor uses the largest`);
  }

  const granularity = options.granularity ?? 'functions';
  const value = options.value ?? 'flat';
  const filters = pickFilters(options);
  const table = new SeriesTable(ordered, { granularity, value, filters, mainType: sampleType.type });
  // Not sampled (goroutine counts, say): every change is real, so nothing is judged against heap noise.
  const exactCounts = period === 1;
  const rows = siteRows(table, sampleType, times, { period: exactCounts ? 0 : period, unit: last.periodType?.unit, counter }, value, confidence).sort(byVerdictThenSlope);

  const snapshots = ordered.map((p, k) => ({
    index: indexOrder[k]!,
    timeNanos: p.timeNanos,
    total: signedTotal(p, typeIndex[k]!),
    period: p.period,
  }));
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, rows.filter((r) => r.verdict === v).length])) as Record<Verdict, number>;
  const kept = nodeCount > 0 ? rows.slice(0, nodeCount) : rows;
  const ends: ProfileSide[] = [0, ordered.length - 1].map((k) => ({ profile: ordered[k]!, typeIndex: typeIndex[k]! }));
  const total = totalChange(ends, confidence);
  return {
    sampleType,
    granularity,
    value,
    slopePer: timed ? 'second' : 'snapshot',
    exactCounts,
    errorModel: combineModels(sampleVariances(ordered[0]!, typeIndex[0]!).model, sampleVariances(last, typeIndex[typeIndex.length - 1]!).model),
    confidence,
    snapshots,
    retained: heapRetained(ordered),
    verdicts,
    rows: kept,
    totalRows: rows.length,
    projection:
      options.limit === undefined
        ? null
        : project(options.limit, options.overhead ?? 1, rows, snapshots, ordered.at(-1)!.memStats, {
            timed,
            times,
            confidence,
            combined: value === 'cum' ? (leaks) => combinedCum(leaks, ordered, typeIndex, table.sites, filters, confidence) : null,
          }),
    total,
    warnings,
    filters,
    gates: evaluateGateOptions(options, () => ({
      sampleType,
      baseTotal: snapshots[0]!.total,
      currentTotal: snapshots[snapshots.length - 1]!.total,
      confidence,
      total: { error: total.error, significant: total.significant },
      sites: rows.map((r) => ({ name: r.name, file: r.file, line: r.line, flat: r.net, baseFlat: r.series[0]!, error: r.netError, significant: r.significant ?? true })),
      leaks: verdicts.leak,
    })),
    hints: leakHints(kept, ends, table.sites, filters),
  };
}

/**
 * The whole heap first → last under the one-process model (as rows are tested): snapshots of one
 * process share their surviving sampled objects.
 */
function totalChange(ends: readonly ProfileSide[], confidence: number): TotalChange {
  const [first, last] = ends.map((e) => totalSide(e.profile, e.typeIndex)) as [ReturnType<typeof totalSide>, ReturnType<typeof totalSide>];
  const change = last.side.value - first.side.value;
  if (first.model === 'unknown' || last.model === 'unknown') return { change, error: null, pValue: null, significant: true };
  const test = sampledChange(first.side, last.side, { confidence, sameProcess: true });
  return { change, error: test.standardError, pValue: test.pValue, significant: test.pValue <= 1 - confidence };
}

/** The attribution hint of every leak row that is an inlined or allocation helper, over first → last. */
function leakHints(rows: readonly TrendRow[], ends: readonly ProfileSide[], sites: SiteTable, filters: SampleFilters): AttributionHint[] {
  const leaks = rows.filter((r) => r.verdict === 'leak');
  if (leaks.length === 0) return [];
  const marks = siteInlineMarks(ends, sites, filters);
  const hints: AttributionHint[] = [];
  for (const r of leaks) {
    const hint = attributionHint(r, marks[sites.idOf(r.name, r.file, r.line)] === 'inline', ends, sites, filters);
    if (hint) hints.push(hint);
  }
  return hints;
}

interface Sampling {
  readonly period: number;
  /** The period's unit (bytes for Go and Node heap profiles). */
  readonly unit: string | undefined;
  /** An alloc_* type: it always climbs, so steady growth is an allocation rate, not a leak. */
  readonly counter: boolean;
}

/** One row per site that holds anything of the sample type in some snapshot. */
function siteRows(table: SeriesTable, sampleType: ValueType, times: readonly number[], sampling: Sampling, value: TrendValue, confidence: number): TrendRow[] {
  const { sites } = table;
  const rows: TrendRow[] = [];
  const pValues: (number | null)[] = [];
  for (let site = 0; site < sites.size; site++) {
    const series = table.series(sampleType.type, site)!;
    if (series.every((v) => v === 0)) continue;
    const period = periodInUnit(table, sampleType, sampling, site, series);
    const { verdict, slope, r2, net, rose, fell, noiseFloor } = analyzeSeries(times, series, period);
    const inuse = table.series('inuse_space', site);
    const alloc = table.series('alloc_space', site);
    // First → last under the one-process model: snapshots of one process share their surviving
    // samples, so consecutive residuals are correlated and the fit's own error would be too small.
    // An alloc_* counter's change is its new allocations alone, sampled anew (site-change.ts).
    const test = table.ends ? siteTest(table.ends[0], table.ends[1], site, value, confidence, true) : null;
    pValues.push(test && net !== 0 ? test.pValue : null);
    rows.push({
      name: sites.names[site]!,
      file: sites.files[site]!,
      line: sites.lines[site]!,
      verdict: sampling.counter && verdict === 'leak' ? 'growing' : verdict,
      series,
      slope,
      slopeError: fitSlopeError(times, series, slope),
      r2,
      net,
      netError: test ? test.standardError : null,
      pValue: test ? test.pValue : null,
      significant: null,
      rose,
      fell,
      noiseFloor,
      retained: inuse && alloc ? retainedFraction(inuse, alloc) : null,
    });
  }
  // A leak needs growth beyond sampling noise, corrected across every site (Benjamini–Hochberg).
  const verdicts = discoveries(pValues, confidence);
  return rows.map((r, i) => {
    const significant = pValues[i] === null ? r.netError === null || r.net !== 0 : verdicts[i]!;
    return { ...r, significant, verdict: r.verdict === 'leak' && !significant ? 'noise' : r.verdict };
  });
}

/**
 * Snapshots by capture time, and each one's time in seconds since the first; in argument order,
 * one unit apart, when a time is missing or two are equal.
 */
function orderSnapshots(profiles: readonly Profile[]): { ordered: Profile[]; indexOrder: number[]; times: number[]; timed: boolean } {
  const order = timeOrder(profiles);
  const indexOrder = order ?? profiles.map((_, i) => i);
  const ordered = indexOrder.map((i) => profiles[i]!);
  const times = order === null ? ordered.map((_, k) => k) : ordered.map((p) => (p.timeNanos - ordered[0]!.timeNanos) / 1e9);
  return { ordered, indexOrder, times, timed: order !== null };
}

/** Argument indices sorted by capture time, or null when a time is missing or two are equal. */
function timeOrder(profiles: readonly Profile[]): number[] | null {
  const times = profiles.map((p) => p.timeNanos);
  if (times.some((t) => t <= 0) || new Set(times).size !== times.length) return null;
  return profiles.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
}

/** The chosen type's index in every snapshot, matched by name (producers order types differently). */
function typeAcross(ordered: readonly Profile[], indexOrder: readonly number[], sampleType: ValueType): number[] {
  return ordered.map((profile, k) => {
    const index = findTypeByName(profile, sampleType.type);
    const which = `snapshot ${indexOrder[k]! + 1} (in argument order)`;
    if (index < 0) {
      throw new ProfileError('selecting sample type', `${which} has no sample type ${quoteName(sampleType.type)}: it has ${typeNames(profile)}`);
    }
    const unit = profile.sampleTypes[index]!.unit;
    if (unit !== sampleType.unit) {
      throw new ProfileError('comparing profiles', `sample type ${quoteName(sampleType.type)} is in ${quoteName(unit)} in ${which} but in ${quoteName(sampleType.unit)} in the last one`);
    }
    return index;
  });
}

/** The whole heap's retained fraction, before filters; null without both types. */
function heapRetained(ordered: readonly Profile[]): number | null {
  const inuse = ordered.map((p) => findTypeByName(p, 'inuse_space'));
  const alloc = ordered.map((p) => findTypeByName(p, 'alloc_space'));
  if ([...inuse, ...alloc].some((t) => t < 0)) return null;
  const totals = (types: number[]) => ordered.map((p, k) => signedTotal(p, types[k]!));
  return retainedFraction(totals(inuse), totals(alloc));
}

/** Δinuse ÷ Δalloc, first → last: what share of the allocations made over the window is still held. */
function retainedFraction(inuse: readonly number[], alloc: readonly number[]): number | null {
  const allocated = alloc[alloc.length - 1]! - alloc[0]!;
  return allocated > 0 ? (inuse[inuse.length - 1]! - inuse[0]!) / allocated : null;
}

/**
 * The sampling period in the series' unit. Bytes: the period itself. Objects: a period of bytes
 * is about period ÷ (the site's mean object size) objects, from the matching `_space` type; 0 (no
 * floor) when that is unknown.
 */
function periodInUnit(
  table: SeriesTable,
  sampleType: ValueType,
  { period, unit }: Sampling,
  site: number,
  series: readonly number[],
): number {
  if (sampleType.unit === unit) return period;
  const space = sampleType.type.endsWith('_objects') ? table.series(sampleType.type.replace(/_objects$/, '_space'), site) : null;
  const bytes = space ? sum(space) : 0;
  return bytes > 0 ? (period * sum(series)) / bytes : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function checkLimit(limit: number, sampleType: ValueType, counter: boolean): void {
  if (!(limit > 0) || !Number.isFinite(limit)) {
    throw new ProfileError('invalid option', `a memory limit must be a size > 0, not ${limit}`);
  }
  if (counter || unitFamily(sampleType.unit) !== 'bytes') {
    throw new ProfileError('invalid option', `a memory limit is projected on memory in use, not on ${quoteName(sampleType.type)}: use inuse_space`);
  }
}

/**
 * When the process's memory reaches `limit` if the leaking sites keep their slope and nothing else
 * moves. The memory is the runtime's own count (MemStats Sys) when the profile has one, else the
 * in-use heap × overhead; each leaked byte of heap costs `overhead` bytes of memory.
 */
function project(
  limit: number,
  overhead: number,
  rows: readonly TrendRow[],
  snapshots: readonly TrendSnapshot[],
  memStats: Readonly<Record<string, number>> | undefined,
  { timed, times, confidence, combined }: { timed: boolean; times: readonly number[]; confidence: number; combined: ((leaks: readonly TrendRow[]) => LeakGrowth) | null },
): TrendProjection {
  const last = snapshots[snapshots.length - 1]!;
  const heap = last.total;
  const leaks = rows.filter((r) => r.verdict === 'leak');
  // By flat the leaks' samples are disjoint: their series and first → last errors simply add.
  const growth: LeakGrowth | null =
    leaks.length === 0
      ? null
      : combined
        ? combined(leaks)
        : {
            series: times.map((_, k) => leaks.reduce((sum, r) => sum + r.series[k]!, 0)),
            netVariance: leaks.reduce((sum, r) => sum + (r.netError ?? 0) ** 2, 0),
          };
  const rate = growth === null ? 0 : fitLine(times, growth.series).slope;
  const sys = memStats?.['Sys'];
  const basis = sys !== undefined && sys > 0 ? 'memstats' : 'heap';
  const memory = basis === 'memstats' ? sys! : heap * overhead;
  const heapLimit = heap + (limit - memory) / overhead;
  const over = memory >= limit;
  const after = over ? 0 : rate > 0 ? (heapLimit - heap) / rate : null;
  const atNanos = after !== null && timed ? last.timeNanos + after * 1e9 : null;
  const rateError = growth !== null ? leakRateError(growth, rate, times, confidence) : null;
  const z = criticalValue(confidence);
  const rateLow = rateError === null ? null : rate - z * rateError;
  const rateHigh = rateError === null ? null : rate + z * rateError;
  // The soonest time comes from the fastest rate in the interval, the latest from the slowest.
  const afterLow = over ? 0 : after === null ? null : (heapLimit - heap) / rateHigh!;
  const afterHigh = over ? 0 : after === null || !(rateLow! > 0) ? null : (heapLimit - heap) / rateLow!;
  return { limit, heap, basis, overhead, memory, heapLimit, rate, rateError, rateLow, rateHigh, after, afterLow, afterHigh, atNanos };
}

/** What the leaking sites hold together in each snapshot, and the sampling variance of its first → last change. */
interface LeakGrowth {
  readonly series: readonly number[];
  readonly netVariance: number;
}

/**
 * The leaks' combined cum, each sample once, per snapshot, and its first → last sampling variance
 * under the one-process model (as a row's netError): a union of the leaking sites, not a sum.
 */
function combinedCum(
  leaks: readonly TrendRow[],
  ordered: readonly Profile[],
  typeIndex: readonly number[],
  sites: SiteTable,
  filters: SampleFilters,
  confidence: number,
): LeakGrowth {
  const ids = new Map<string, number>();
  for (let s = 0; s < sites.size; s++) ids.set(`${sites.names[s]}\0${sites.files[s]}\0${sites.lines[s]}`, s);
  const member = new Uint8Array(sites.size);
  for (const r of leaks) {
    const s = ids.get(`${r.name}\0${r.file}\0${r.line}`);
    if (s !== undefined) member[s] = 1;
  }
  const sides = ordered.map((profile, k) => unionSide(profile, typeIndex[k]!, sites, member, filters, 'cum'));
  const known = leaks.every((r) => r.netError !== null);
  const net = known ? sampledChange(sides[0]!, sides.at(-1)!, { confidence, sameProcess: true }) : null;
  return { series: sides.map((side) => side.value), netVariance: net ? net.standardError ** 2 : 0 };
}

/**
 * 1σ error of the leaks' rate. Two sources, and the larger is used (each as the half-width at
 * `confidence` ÷ z): sampling, from the leaks' first → last error spread over the fit as the random
 * walk one process's sampling is (randomWalkSlopeFactor); and the fit's own error of the leaks'
 * combined series, with Student's t on n − 2 degrees of freedom, which also sees a rate that
 * wanders for reasons other than sampling.
 */
function leakRateError({ series, netVariance }: LeakGrowth, rate: number, times: readonly number[], confidence: number): number {
  const sampling = Math.sqrt(netVariance * randomWalkSlopeFactor(times));
  const fit = fitSlopeError(times, series, rate);
  const z = criticalValue(confidence);
  return Math.max(sampling, (criticalValue(confidence, times.length - 2) * fit) / z);
}

/** Leaks first, each verdict by |slope|; explicit tie-breaks keep the order identical run to run. */
function byVerdictThenSlope(a: TrendRow, b: TrendRow): number {
  return (
    VERDICTS.indexOf(a.verdict) - VERDICTS.indexOf(b.verdict) ||
    Math.abs(b.slope) - Math.abs(a.slope) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.file, b.file) ||
    a.line - b.line
  );
}
