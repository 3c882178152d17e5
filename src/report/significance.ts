import { profileTotals, type ProfileTotals, type SiteErrors } from '../analysis/aggregate.js';
import { SMALL_COUNT, correctedVarianceOf, sampleVariances, type SamplingModel } from '../analysis/sampling.js';
import { sampledChange, sampledStatistic, type SampledSide } from '../analysis/site-change.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { zStatistic, type DifferenceTest } from '../stats/difference.js';
import { benjaminiHochberg, zTestRejections } from '../stats/fdr.js';

/** Default two-sided confidence of intervals and verdicts (`--confidence`). */
export const DEFAULT_CONFIDENCE = 0.95;

export function checkConfidenceOption(confidence: number): number {
  if (!(confidence >= 0.5 && confidence < 1)) {
    throw new ProfileError('invalid option', `confidence must be at least 0.5 and below 1 (e.g. 0.95), not ${confidence}`);
  }
  return confidence;
}

/** The weaker of two sides' models: any 'unknown' side makes errors unknown; a bound stays a bound. */
export function combineModels(a: SamplingModel, b: SamplingModel): SamplingModel {
  const rank: SamplingModel[] = ['unknown', 'bytes-bound', 'bytes', 'counts', 'exact'];
  return rank[Math.min(rank.indexOf(a), rank.indexOf(b))]!;
}

/** One side of site `s` as the sampling model sees it (flat or cum). */
export function sideOf(e: SiteErrors, s: number, key: 'flat' | 'cum'): SampledSide {
  const alloc = key === 'flat' ? e.flatAlloc : e.cumAlloc;
  return {
    value: e[key][s] ?? 0,
    variance: (key === 'flat' ? e.flatVariance : e.cumVariance)?.[s] ?? 0,
    rawCount: (key === 'flat' ? e.flatCount : e.cumCount)?.[s] ?? 0,
    alloc: alloc === null ? null : (alloc[s] ?? 0),
  };
}

/** The change of one site between two sides, or null when the sampling cannot be modelled. */
export function siteTest(base: SiteErrors, current: SiteErrors, s: number, key: 'flat' | 'cum', confidence: number, sameProcess: boolean): DifferenceTest | null {
  if (base.model === 'unknown' || current.model === 'unknown') return null;
  return sampledChange(sideOf(base, s, key), sideOf(current, s, key), { confidence, sameProcess });
}

/**
 * `siteTest`'s statistic alone (its p-value is normalTwoSidedP of it; NaN when the sampling
 * cannot be modelled), with no object made: a report ranks thousands of sites (every changed
 * one), so the sides are scratch objects refilled.
 */
export function siteStatistic(base: SiteErrors, current: SiteErrors, s: number, key: 'flat' | 'cum', sameProcess: boolean): number {
  if (base.model === 'unknown' || current.model === 'unknown') return NaN;
  return sampledStatistic(fillSide(SCRATCH[0], base, s, key), fillSide(SCRATCH[1], current, s, key), sameProcess);
}

/**
 * `siteStatistic` of many sites in one loop (`sites[i]` tested on cum where `cumKey[i]` is 1): a
 * report tests thousands of sites once per process, and a long loop is compiled while it runs
 * (on-stack replacement) where a call chain per site mostly runs uncompiled. The one-process
 * model, and any number a profile could not hold, take `siteStatistic` per site.
 */
export function siteStatistics(base: SiteErrors, current: SiteErrors, sites: readonly number[], cumKey: Uint8Array, sameProcess: boolean): Float64Array {
  const out = new Float64Array(sites.length);
  if (base.model === 'unknown' || current.model === 'unknown') return out.fill(NaN);
  const perSite = sameProcess && base.flatAlloc !== null && current.flatAlloc !== null;
  const zeros = new Float64Array(Math.max(base.flat.length, current.flat.length));
  const column = (c: Float64Array | null) => c ?? zeros;
  const [bfv, bcv, bfk, bck] = [base.flatVariance, base.cumVariance, base.flatCount, base.cumCount].map(column) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [cfv, ccv, cfk, cck] = [current.flatVariance, current.cumVariance, current.flatCount, current.cumCount].map(column) as [Float64Array, Float64Array, Float64Array, Float64Array];
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i]!;
    const cum = cumKey[i] === 1;
    if (perSite) {
      out[i] = siteStatistic(base, current, s, cum ? 'cum' : 'flat', sameProcess);
      continue;
    }
    const change = (cum ? current.cum[s]! : current.flat[s]!) - (cum ? base.cum[s]! : base.flat[s]!);
    const variance = correctedVarianceOf(cum ? bcv[s]! : bfv[s]!, cum ? bck[s]! : bfk[s]!, cum ? ccv[s]! : cfv[s]!, cum ? cck[s]! : cfk[s]!);
    const checked = Number.isFinite(change) && Number.isFinite(variance) && variance >= 0;
    out[i] = checked ? zStatistic(change, variance) : siteStatistic(base, current, s, cum ? 'cum' : 'flat', sameProcess);
  }
  return out;
}

type MutableSide = { -readonly [K in keyof SampledSide]: SampledSide[K] };
const SCRATCH: [MutableSide, MutableSide] = [
  { value: 0, variance: 0, rawCount: 0, alloc: null },
  { value: 0, variance: 0, rawCount: 0, alloc: null },
];

/** `sideOf` written into `out`. */
function fillSide(out: MutableSide, e: SiteErrors, s: number, key: 'flat' | 'cum'): SampledSide {
  const flat = key === 'flat';
  const alloc = flat ? e.flatAlloc : e.cumAlloc;
  out.value = e[key][s] ?? 0;
  out.variance = (flat ? e.flatVariance : e.cumVariance)?.[s] ?? 0;
  out.rawCount = (flat ? e.flatCount : e.cumCount)?.[s] ?? 0;
  out.alloc = alloc === null ? null : (alloc[s] ?? 0);
  return out;
}

/**
 * The 1σ error of one profile's value: its sampling variance plus the small-count correction of
 * one raw sample's variance (see sampling.ts), or null when it cannot be modelled.
 */
export function valueError(e: SiteErrors, s: number, key: 'flat' | 'cum'): number | null {
  if (e.model === 'unknown') return null;
  const side = sideOf(e, s, key);
  if (!(side.rawCount > 0)) return Math.sqrt(side.variance);
  const u = side.variance / side.rawCount;
  return Math.sqrt(side.variance + (u * SMALL_COUNT) / (SMALL_COUNT + side.rawCount));
}

/**
 * Benjamini–Hochberg at q = 1 − confidence over every tested row. Rows with no p-value (errors
 * unknown) are significant: nothing says they are noise, and gates keep their old meaning.
 */
export function discoveries(pValues: readonly (number | null)[], confidence: number): boolean[] {
  const { rejected } = benjaminiHochberg(Float64Array.from(pValues, (p) => p ?? NaN), 1 - confidence);
  for (let i = 0; i < rejected.length; i++) if (pValues[i] === null) rejected[i] = true;
  return rejected;
}

/**
 * `discoveries` of two-sided z tests given by their statistics (NaN where a row has none): the
 * same verdicts, with p-values computed only where Benjamini–Hochberg could reject them.
 */
export function discoveriesOfStatistics(statistics: Float64Array, confidence: number): boolean[] {
  return zTestRejections(statistics, 1 - confidence, true);
}

/** The whole profile's signed total with its variance, raw samples and alloc total (for --same-process). */
export function totalSide(
  profile: Profile,
  typeIndex: number,
  totals: ProfileTotals = profileTotals(profile, typeIndex),
  // A report that aggregated the side has its model (SiteErrors.model) already.
  model: SamplingModel = sampleVariances(profile, typeIndex).model,
): { model: SamplingModel; side: SampledSide } {
  return { model, side: { value: totals.signed, variance: totals.variance, rawCount: totals.rawCount, alloc: totals.alloc } };
}

/**
 * Whether two profiles look like snapshots of one process: capture times increase and every
 * site's cumulative alloc_* value (and the total) never decreases. A longer run of the same
 * program looks the same, so this only suggests --same-process; it never switches it on.
 */
export function looksLikeOneProcess(base: SiteErrors, current: SiteErrors, baseTime: number, currentTime: number): boolean {
  if (base.flatAlloc === null || current.flatAlloc === null) return false;
  if (!(baseTime > 0 && currentTime > baseTime)) return false;
  let totalBase = 0;
  let totalCurrent = 0;
  for (let s = 0; s < current.flatAlloc.length; s++) {
    const b = base.flatAlloc[s] ?? 0;
    const c = current.flatAlloc[s] ?? 0;
    if (c < b) return false;
    totalBase += b;
    totalCurrent += c;
  }
  return totalCurrent > totalBase;
}
