import type { Profile } from '../model/profile.js';
import { kernelBytesModel } from './aggregate-kernel.js';

/**
 * How uncertain a profile's numbers are, from the profile itself (see README "How sure is this
 * number?" and /docs: sampling-statistics). Every sampled value is an estimate; this gives each
 * pprof sample's variance so a site's variance is a sum over its samples, like its value.
 *
 * - 'bytes': heap profiles sampled by bytes with period R (Go: period_type space/bytes; V8 and
 *   @datadog/pprof write inuse_space/bytes or space/bytes, period 32768 in testdata/node). The
 *   runtime samples an object of size Z with p = 1 − e^(−Z/R) and writes unbiased values
 *   (objects o = k/p, bytes b = o·Z for k raw samples). With Z = b/o from the objects column:
 *   Var(b) = b·Z·e^(−Z/R)/(1 − e^(−Z/R)) (≈ R·b for small objects, → 0 once Z ≫ R), and
 *   Var(o) = o·e^(−Z/R)/(1 − e^(−Z/R)); raw samples k = o·p.
 * - 'bytes-bound': sampled by bytes, but the objects column that gives Z is missing: the bound
 *   Var(b) ≤ R·b (exact for small objects, too large for big ones).
 * - 'counts': samples taken every `period` units (CPU: period_type cpu/nanoseconds): raw samples
 *   are Poisson, so Var(v) = v·period for a value in the period's unit, Var(count) = count.
 * - 'exact': not sampled (period 0 or 1: goroutine, a period-less profile): no sampling error.
 * - 'unknown': a sampled column whose variance cannot be derived (an objects column without a
 *   space column); errors are not available.
 */
export type SamplingModel = 'bytes' | 'bytes-bound' | 'counts' | 'exact' | 'unknown';

/** sampleVariances' answer: the sampling model of one sample type and each sample's variance under it. */
export interface SampleVariances {
  readonly model: SamplingModel;
  /** The sampling period (R for heap profiles), 0 when not sampled. */
  readonly period: number;
  /** Per pprof sample: the variance of its value of the chosen type; null for 'exact' and 'unknown'. */
  readonly variance: Float64Array | null;
  /** Per pprof sample: the raw (unscaled) sample count behind it, k; null for 'exact' and 'unknown'. */
  readonly rawCount: Float64Array | null;
}

/** Each profile's variances by sample type: a report asks for them per site and for the total. */
const computed = new WeakMap<Profile, Map<number, SampleVariances>>();

/** The per-sample sampling variance of sample type `typeIndex` of `profile` (shared: read, never write). */
export function sampleVariances(profile: Profile, typeIndex: number): SampleVariances {
  let byType = computed.get(profile);
  if (byType === undefined) computed.set(profile, (byType = new Map()));
  let variances = byType.get(typeIndex);
  if (variances === undefined) byType.set(typeIndex, (variances = computeVariances(profile, typeIndex)));
  return variances;
}

function computeVariances(profile: Profile, typeIndex: number): SampleVariances {
  const R = profile.period;
  const periodType = profile.periodType;
  const type = profile.sampleTypes[typeIndex]!;
  const n = profile.samples.count;
  if (!(R > 1) || periodType === undefined) return { model: 'exact', period: 0, variance: null, rawCount: null };
  const stride = profile.sampleTypes.length;
  const values = profile.samples.values;
  if (periodType.unit !== 'bytes') {
    // Sampled every R units of something (time): Poisson counts of raw samples.
    if (type.unit !== periodType.unit && type.unit !== 'count') return { model: 'unknown', period: R, variance: null, rawCount: null };
    const perSample = type.unit === periodType.unit ? R : 1;
    const variance = new Float64Array(n);
    const rawCount = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = Math.abs(values[i * stride + typeIndex]!);
      variance[i] = v * perSample;
      rawCount[i] = v / perSample;
    }
    return { model: 'counts', period: R, variance, rawCount };
  }
  const isBytes = type.unit === 'bytes';
  const partner = findPartner(profile, typeIndex, isBytes);
  if (partner < 0) {
    if (!isBytes) return { model: 'unknown', period: R, variance: null, rawCount: null };
    const variance = new Float64Array(n);
    const rawCount = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const b = Math.abs(values[i * stride + typeIndex]!);
      variance[i] = R * b;
      rawCount[i] = b / R;
    }
    return { model: 'bytes-bound', period: R, variance, rawCount };
  }
  const variance = new Float64Array(n);
  const rawCount = new Float64Array(n);
  const [bytesAt, objectsAt] = isBytes ? [typeIndex, partner] : [partner, typeIndex];
  if (!kernelBytesModel(profile, bytesAt, objectsAt, isBytes, variance, rawCount)) bytesModel(profile, bytesAt, objectsAt, isBytes, variance, rawCount);
  return { model: 'bytes', period: R, variance, rawCount };
}

/**
 * The 'bytes' model's variance and raw count of every sample, of the bytes column (`isBytes`) or
 * the objects column, where there is no WebAssembly (the kernel's bytesModel, in
 * aggregate-kernel.ts, runs it otherwise; this is its oracle). The columns are read in place,
 * not copied; the loop is alone in its function because it runs once per profile: the compile
 * that makes it fast while it runs, and again when the next profile calls it, covers nothing else.
 */
function bytesModel(profile: Profile, bytesAt: number, objectsAt: number, isBytes: boolean, variance: Float64Array, rawCount: Float64Array): void {
  const R = profile.period;
  const stride = profile.sampleTypes.length;
  const values = profile.samples.values;
  for (let i = 0; i < variance.length; i++) {
    const bytes = Math.abs(values[i * stride + bytesAt]!);
    const objects = Math.abs(values[i * stride + objectsAt]!);
    // Both answers are computed for every sample and one is kept: a rare branch (first taken
    // late) would discard the loop's compiled code.
    const x = bytes / objects / R; // Z/R
    const oddsMissed = 1 / Math.expm1(x); // e^(−x)/(1 − e^(−x))
    const modelled = isBytes ? bytes * (bytes / objects) * oddsMissed : objects * oddsMissed;
    const modelledCount = -objects * Math.expm1(-x);
    // Inconsistent columns (bytes without objects): the small-object bound.
    const inconsistent = objects === 0 || bytes === 0;
    variance[i] = inconsistent ? (isBytes ? R * bytes : objects) : modelled;
    rawCount[i] = inconsistent ? (isBytes ? bytes / R : objects) : modelledCount;
  }
}

/** The objects column for a bytes column (inuse_space → inuse_objects, space → objects) or back. */
function findPartner(profile: Profile, typeIndex: number, isBytes: boolean): number {
  const name = profile.sampleTypes[typeIndex]!.type;
  const [from, to, unit] = isBytes ? ['space', 'objects', 'count'] : ['objects', 'space', 'bytes'];
  if (!name.endsWith(from)) return -1;
  const wanted = name.slice(0, -from.length) + to;
  return profile.sampleTypes.findIndex((t) => t.type === wanted && t.unit === unit);
}

/**
 * One side of a site, as the sampling model sees it: the value, its variance and the raw samples
 * behind it (Σ over the site's pprof samples).
 */
export interface SampledValue {
  readonly value: number;
  readonly variance: number;
  readonly rawCount: number;
}

/** Below about this many raw samples the plain variance is too optimistic; the correction fades past it. */
export const SMALL_COUNT = 10;

/**
 * The variances to test two independent sides of one site with, current − base. The plug-in
 * variance of a side with few samples is too small exactly when its estimate is too low (and 0
 * for a side with no samples), so the normal interval undercovers (~63 % at one expected sample).
 * Each side gets a small-count correction of one raw sample's variance u (pooled over both sides,
 * so an absent side borrows the object sizes of the other), fading as samples accumulate:
 * u·SMALL_COUNT/(SMALL_COUNT + k), k the raw samples of both sides. Checked by simulation
 * (src/analysis/calibration.test.ts): ≥ 93 % coverage below 10 samples, 93–97 % above.
 */
export function correctedVariances(base: SampledValue, current: SampledValue): { base: number; current: number } {
  const extra = smallCountExtra(base.variance, current.variance, base.rawCount + current.rawCount);
  return { base: base.variance + extra, current: current.variance + extra };
}

/** The sum of `correctedVariances`, base + current, with no object made: the variance a test of the change reads. */
export function correctedVariance(base: SampledValue, current: SampledValue): number {
  return correctedVarianceOf(base.variance, base.rawCount, current.variance, current.rawCount);
}

/** `correctedVariance` of the sides' numbers, for loops over thousands of sites that read them from columns. */
export function correctedVarianceOf(baseVariance: number, baseRawCount: number, currentVariance: number, currentRawCount: number): number {
  const extra = smallCountExtra(baseVariance, currentVariance, baseRawCount + currentRawCount);
  return baseVariance + extra + (currentVariance + extra);
}

/** The variance each side gets added for its few samples (k raw samples on both sides); 0 when there are none. */
function smallCountExtra(baseVariance: number, currentVariance: number, k: number): number {
  if (!(k > 0)) return 0;
  const u = (baseVariance + currentVariance) / k;
  return (u * SMALL_COUNT) / (SMALL_COUNT + k);
}
