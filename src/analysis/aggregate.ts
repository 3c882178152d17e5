import type { Profile } from '../model/profile.js';
import { kernelAccumulate, kernelErrorColumns, kernelTotals } from './aggregate-kernel.js';
import { frameFilterBits, isHidden, keepsSample, type SampleFilters } from './filters.js';
import { sampleVariances, type SampleVariances, type SamplingModel } from './sampling.js';
import type { SiteTable } from './sites.js';

/** Flat and cum per site of one profile (or one side of a diff), indexed by site id. */
export interface SiteValues {
  readonly flat: Float64Array;
  readonly cum: Float64Array;
}

export interface AggregateInput {
  readonly profile: Profile;
  readonly typeIndex: number;
  readonly sites: SiteTable;
  readonly filters?: SampleFilters;
}

/** Flat and cum of extra per-sample columns (variances, raw counts), from the same pass. */
export interface SiteColumns extends SiteValues {
  /** extraFlat[j][site], extraCum[j][site]: column j summed like the values (flat: leaf; cum: once per sample). */
  readonly extraFlat: readonly Float64Array[];
  readonly extraCum: readonly Float64Array[];
}

/**
 * One pass over the samples, as pprof builds its graph: a sample's value goes to the flat of its
 * leaf-most (kept) frame and to the cum of every site on its stack once, however often the site
 * recurs. No per-sample allocation: a stamp array replaces pprof's per-sample "seen" set.
 */
export function aggregate(input: AggregateInput): SiteValues {
  const { profile, typeIndex, sites } = input;
  const frameSite = sites.siteOfFrames(profile);
  const bits = frameFilterBits(profile, input.filters ?? {});
  if (bits === null) {
    const fromKernel = kernelAccumulate(profile, frameSite, sites.size, typeIndex);
    if (fromKernel !== null) return fromKernel;
  }
  const out = { flat: new Float64Array(sites.size), cum: new Float64Array(sites.size) };
  const seen = new Int32Array(sites.size).fill(-1);
  if (bits === null) accumulate(profile, typeIndex, frameSite, out, seen);
  else accumulateFiltered(profile, typeIndex, frameSite, out, seen, bits, Boolean(input.filters?.focus));
  return out;
}

/**
 * `aggregate` plus extra per-sample columns (indexed by sample, e.g. each sample's variance)
 * summed into flat and cum by the same rules in the same pass. A sample counts when its value
 * or any extra column is non-zero. Any number of columns, with filters: a loop over columns per frame.
 */
function aggregateColumnsFiltered(input: AggregateInput, extra: readonly Float64Array[]): SiteColumns {
  const { profile, typeIndex, sites } = input;
  const frameSite = sites.siteOfFrames(profile);
  const bits = frameFilterBits(profile, input.filters ?? {});
  const hasFocus = Boolean(input.filters?.focus);
  const flat = new Float64Array(sites.size);
  const cum = new Float64Array(sites.size);
  const extraFlat = extra.map(() => new Float64Array(sites.size));
  const extraCum = extra.map(() => new Float64Array(sites.size));
  const seen = new Int32Array(sites.size).fill(-1);
  const { count, stackStart, stackFrames, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  const m = extra.length;
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + typeIndex]!;
    let any = v !== 0;
    for (let j = 0; j < m && !any; j++) any = extra[j]![i] !== 0;
    if (!any) continue;
    const start = stackStart[i]!;
    const end = stackStart[i + 1]!;
    if (bits !== null && !keepsSample(stackFrames.subarray(start, end), bits, hasFocus)) continue;
    let leaf = true;
    for (let k = start; k < end; k++) {
      const frame = stackFrames[k]!;
      if (bits !== null && isHidden(bits, frame)) continue;
      const site = frameSite[frame]!;
      if (leaf) {
        flat[site]! += v;
        for (let j = 0; j < m; j++) extraFlat[j]![site]! += extra[j]![i]!;
        leaf = false;
      }
      if (seen[site] !== i) {
        seen[site] = i;
        cum[site]! += v;
        for (let j = 0; j < m; j++) extraCum[j]![site]! += extra[j]![i]!;
      }
    }
  }
  return { flat, cum, extraFlat, extraCum };
}

/**
 * The loop without filters, kept apart so it stays small: it runs over every frame of every stack.
 * The kernel (aggregate-kernel.ts) runs it instead where there is WebAssembly; this is its oracle.
 */
function accumulate(profile: Profile, typeIndex: number, frameSite: Int32Array, { flat, cum }: SiteValues, seen: Int32Array): void {
  const { count, stackStart, stackFrames, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + typeIndex]!;
    const start = stackStart[i]!;
    const end = stackStart[i + 1]!;
    if (v === 0 || start === end) continue;
    flat[frameSite[stackFrames[start]!]!]! += v;
    for (let k = start; k < end; k++) {
      const site = frameSite[stackFrames[k]!]!;
      if (seen[site] !== i) {
        seen[site] = i;
        cum[site]! += v;
      }
    }
  }
}

function accumulateFiltered(
  profile: Profile,
  typeIndex: number,
  frameSite: Int32Array,
  { flat, cum }: SiteValues,
  seen: Int32Array,
  bits: Uint8Array,
  hasFocus: boolean,
): void {
  const { count, stackStart, stackFrames, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + typeIndex]!;
    if (v === 0) continue;
    const start = stackStart[i]!;
    const end = stackStart[i + 1]!;
    if (!keepsSample(stackFrames.subarray(start, end), bits, hasFocus)) continue;
    let leaf = true;
    for (let k = start; k < end; k++) {
      const frame = stackFrames[k]!;
      if (isHidden(bits, frame)) continue;
      const site = frameSite[frame]!;
      if (leaf) {
        flat[site]! += v;
        leaf = false;
      }
      if (seen[site] !== i) {
        seen[site] = i;
        cum[site]! += v;
      }
    }
  }
}

/**
 * pprof's report total: Σ|v| over every sample, before filters. Percentages of a diff are
 * relative to the base's, so they read as "relative to the base".
 */
export function absoluteTotal(profile: Profile, typeIndex: number): number {
  const { count, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  let total = 0;
  for (let i = 0; i < count; i++) total += Math.abs(values[i * stride + typeIndex]!);
  return total;
}

/** Signed Σv: the heap's size for a heap profile. */
export function signedTotal(profile: Profile, typeIndex: number): number {
  const { count, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  let total = 0;
  for (let i = 0; i < count; i++) total += values[i * stride + typeIndex]!;
  return total;
}

/** Every whole-profile number a report prints about one side, from one pass over the samples (before filters). */
export interface ProfileTotals {
  /** Σv (signedTotal). */
  readonly signed: number;
  /** Σ|v| (absoluteTotal). */
  readonly absolute: number;
  /** Σ of the samples' sampling variances and raw counts (0 when the model has none). */
  readonly variance: number;
  readonly rawCount: number;
  /** Σ|alloc_*| of the type's alloc_* column (allocColumn), null when it has none. */
  readonly alloc: number | null;
  /** The most frames of a sample with a value (truncatedStacks' depth test). */
  readonly deepest: number;
}

/**
 * signedTotal, absoluteTotal, the variance sums and the deepest stack in one pass: each is
 * summed in sample order as its own function sums it, so the numbers are the same, and a cold
 * process runs one loop instead of five per profile.
 */
export function profileTotals(profile: Profile, typeIndex: number): ProfileTotals {
  const { variance, rawCount } = sampleVariances(profile, typeIndex);
  const allocType = allocColumn(profile, typeIndex);
  let sums = summedAlready.get(profile)?.get(typeIndex);
  if (sums === undefined) {
    sums = new Float64Array(6);
    if (!kernelTotals(profile, typeIndex, allocType, variance, rawCount, sums)) sumTotals(profile, typeIndex, allocType, variance, rawCount, sums);
  }
  return { signed: sums[0]!, absolute: sums[1]!, variance: sums[2]!, rawCount: sums[3]!, alloc: allocType >= 0 ? sums[4]! : null, deepest: sums[5]! };
}

/**
 * profileTotals' sums that errorColumns' kernel pass made along (same samples, same order, same
 * operations: the numbers kernelTotals gives), by profile and sample type: a report aggregates a
 * side and then asks for its totals, and the pass need not copy the samples in twice.
 */
const summedAlready = new WeakMap<Profile, Map<number, Float64Array>>();

/**
 * profileTotals' loop where there is no WebAssembly (the kernel's sumTotals runs it otherwise,
 * and this is its oracle), alone in its function (it runs once per profile: see sumErrorColumns),
 * summing into `out` (signed, absolute, variance, raw count, alloc, deepest) as it goes: code
 * after the loop would be code the compiled loop never ran.
 */
function sumTotals(profile: Profile, typeIndex: number, allocType: number, variances: Float64Array | null, rawCounts: Float64Array | null, out: Float64Array): void {
  const { count, stackStart, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + typeIndex]!;
    out[0]! += v;
    out[1]! += Math.abs(v);
    if (variances !== null) {
      out[2]! += variances[i]!;
      out[3]! += rawCounts![i]!;
    }
    if (allocType >= 0) out[4]! += Math.abs(values[i * stride + allocType]!);
    if (v !== 0) out[5] = Math.max(out[5]!, stackStart[i + 1]! - stackStart[i]!);
  }
}

/** Per-site values with their sampling variances and raw sample counts (see sampling.ts). */
export interface SiteErrors extends SiteValues {
  readonly model: SamplingModel;
  readonly period: number;
  /** Σ of the per-sample variances: over the site's leaf samples (flat), once per sample on its stack (cum). Null for 'exact'/'unknown'. */
  readonly flatVariance: Float64Array | null;
  readonly cumVariance: Float64Array | null;
  /** Raw (unscaled) samples behind flat and cum. */
  readonly flatCount: Float64Array | null;
  readonly cumCount: Float64Array | null;
  /**
   * For `--same-process`: the cumulative alloc_* column matching an inuse_* type (for an alloc_*
   * type, its own column), summed the same way; null when the profile has none or the type is
   * neither.
   */
  readonly flatAlloc: Float64Array | null;
  readonly cumAlloc: Float64Array | null;
}

/** `aggregate` and the sampling variance of every site's flat and cum, in one pass. */
export function aggregateWithError(input: AggregateInput): SiteErrors {
  const sampling = sampleVariances(input.profile, input.typeIndex);
  const allocType = allocColumn(input.profile, input.typeIndex);
  const model = { model: sampling.model, period: sampling.period };
  if (sampling.variance === null && allocType < 0) {
    return { ...aggregate(input), ...model, flatVariance: null, cumVariance: null, flatCount: null, cumCount: null, flatAlloc: null, cumAlloc: null };
  }
  if (frameFilterBits(input.profile, input.filters ?? {}) === null) return { ...model, ...errorColumns(input, sampling, allocType) };
  const extra: Float64Array[] = [];
  if (sampling.variance !== null) extra.push(sampling.variance, sampling.rawCount!);
  if (allocType >= 0) extra.push(allocPartner(input.profile, allocType));
  const out = aggregateColumnsFiltered(input, extra);
  const v = sampling.variance !== null;
  const a = allocType >= 0 ? extra.length - 1 : -1;
  return {
    ...model,
    flat: out.flat,
    cum: out.cum,
    flatVariance: v ? out.extraFlat[0]! : null,
    cumVariance: v ? out.extraCum[0]! : null,
    flatCount: v ? out.extraFlat[1]! : null,
    cumCount: v ? out.extraCum[1]! : null,
    flatAlloc: a >= 0 ? out.extraFlat[a]! : null,
    cumAlloc: a >= 0 ? out.extraCum[a]! : null,
  };
}

type ErrorColumns = Omit<SiteErrors, 'model' | 'period'>;

/**
 * The common case (no filters): by the WebAssembly kernel (aggregate-kernel.ts) where there is
 * WebAssembly, else (and as the kernel's test oracle) as one tight loop over every frame of every
 * stack: the value, variance, raw count and alloc_* value of a site sit side by side in one
 * array, so a frame costs one lookup and four adds in one cache line (separate arrays measured a
 * third slower on the fat pair). Missing columns add zeros. Alloc values are read in place, not
 * copied per sample.
 */
function errorColumns(input: AggregateInput, sampling: SampleVariances, allocType: number): ErrorColumns {
  const { profile, typeIndex, sites } = input;
  // First: mapping the profile's frames may add sites.
  const frameSite = sites.siteOfFrames(profile);
  const size = sites.size;
  const totals = new Float64Array(6);
  const fromKernel = kernelErrorColumns(profile, frameSite, size, typeIndex, allocType, sampling.variance, sampling.rawCount, totals);
  if (fromKernel !== null) {
    let byType = summedAlready.get(profile);
    if (byType === undefined) summedAlready.set(profile, (byType = new Map()));
    byType.set(typeIndex, totals);
    return fromKernel;
  }
  const zeros = sampling.variance === null ? new Float64Array(profile.samples.count) : null;
  const flat4 = new Float64Array(4 * size);
  const cum4 = new Float64Array(4 * size);
  const columns = { value: typeIndex, alloc: allocType, variance: sampling.variance ?? zeros!, rawCount: sampling.rawCount ?? zeros! };
  sumErrorColumns(profile, frameSite, columns, flat4, cum4);
  return splitColumns(flat4, cum4, size, sampling.variance !== null, allocType >= 0);
}

/**
 * errorColumns' loop, alone in its function: it runs once per profile, compiled while it runs
 * (on-stack replacement), and code after a loop that never ran before that compile throws the
 * compiled code away (V8 deoptimizes at the first operation it has no feedback for), after
 * which the function is compiled again. Every test in the loop is evaluated from the first
 * sample for the same reason: a branch first taken late would do the same.
 */
function sumErrorColumns(
  profile: Profile,
  frameSite: Int32Array,
  columns: { readonly value: number; readonly alloc: number; readonly variance: Float64Array; readonly rawCount: Float64Array },
  flat4: Float64Array,
  cum4: Float64Array,
): void {
  const { count, stackStart, stackFrames, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  const { value, alloc, variance, rawCount } = columns;
  const seen = new Int32Array(flat4.length / 4).fill(-1);
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + value]!;
    const x0 = variance[i]!;
    const x1 = rawCount[i]!;
    const x2 = alloc >= 0 ? Math.abs(values[i * stride + alloc]!) : 0;
    const start = stackStart[i]!;
    const end = stackStart[i + 1]!;
    // All zero (the extra columns are never negative), or no stack: nothing to add.
    if (Math.abs(v) + x0 + x1 + x2 === 0 || start === end) continue;
    const leaf = 4 * frameSite[stackFrames[start]!]!;
    flat4[leaf]! += v;
    flat4[leaf + 1]! += x0;
    flat4[leaf + 2]! += x1;
    flat4[leaf + 3]! += x2;
    for (let k = start; k < end; k++) {
      const site = frameSite[stackFrames[k]!]!;
      if (seen[site] === i) continue;
      seen[site] = i;
      const at = 4 * site;
      cum4[at]! += v;
      cum4[at + 1]! += x0;
      cum4[at + 2]! += x1;
      cum4[at + 3]! += x2;
    }
  }
}

/** The side-by-side sums of errorColumns as SiteErrors' columns, in one pass over the sites. */
function splitColumns(flat4: Float64Array, cum4: Float64Array, size: number, hasVariance: boolean, hasAlloc: boolean): ErrorColumns {
  const out = {
    flat: new Float64Array(size),
    cum: new Float64Array(size),
    flatVariance: new Float64Array(size),
    cumVariance: new Float64Array(size),
    flatCount: new Float64Array(size),
    cumCount: new Float64Array(size),
    flatAlloc: new Float64Array(size),
    cumAlloc: new Float64Array(size),
  };
  for (let s = 0, at = 0; s < size; s++, at += 4) {
    out.flat[s] = flat4[at]!;
    out.cum[s] = cum4[at]!;
    out.flatVariance[s] = flat4[at + 1]!;
    out.cumVariance[s] = cum4[at + 1]!;
    out.flatCount[s] = flat4[at + 2]!;
    out.cumCount[s] = cum4[at + 2]!;
    out.flatAlloc[s] = flat4[at + 3]!;
    out.cumAlloc[s] = cum4[at + 3]!;
  }
  return {
    flat: out.flat,
    cum: out.cum,
    flatVariance: hasVariance ? out.flatVariance : null,
    cumVariance: hasVariance ? out.cumVariance : null,
    flatCount: hasVariance ? out.flatCount : null,
    cumCount: hasVariance ? out.cumCount : null,
    flatAlloc: hasAlloc ? out.flatAlloc : null,
    cumAlloc: hasAlloc ? out.cumAlloc : null,
  };
}

/** The alloc_* column `t` as |values| per sample (the filtered path's extra column). */
function allocPartner(profile: Profile, t: number): Float64Array {
  const stride = profile.sampleTypes.length;
  const out = new Float64Array(profile.samples.count);
  for (let i = 0; i < out.length; i++) out[i] = Math.abs(profile.samples.values[i * stride + t]!);
  return out;
}

/**
 * The index of the cumulative alloc_* column behind a sample type: the alloc_* twin of an inuse_*
 * type (same unit), an alloc_* type itself (its counters only climb within one process), else −1.
 */
export function allocColumn(profile: Profile, typeIndex: number): number {
  const type = profile.sampleTypes[typeIndex]!;
  if (type.type.startsWith('alloc_')) return typeIndex;
  if (!type.type.startsWith('inuse_')) return -1;
  const wanted = 'alloc_' + type.type.slice('inuse_'.length);
  return profile.sampleTypes.findIndex((x) => x.type === wanted && x.unit === type.unit);
}
