import type { Profile } from '../model/profile.js';
import { isHidden, keepsSample, type SampleFilters } from './filters.js';
import { sampleWalk } from './sample-walk.js';
import type { SamplingModel } from './sampling.js';
import type { SampledSide } from './site-change.js';
import type { SiteTable } from './sites.js';

/**
 * A routine of `list` (one function in one file) as the sampling model sees its header: flat and
 * cum with their variances, raw samples and alloc_* values, one entry per routine id.
 */
export interface RoutineSides {
  readonly model: SamplingModel;
  readonly flat: readonly SampledSide[];
  readonly cum: readonly SampledSide[];
}

/**
 * The sampling variance of each routine's header, from the samples (not from its lines' errors).
 * The header is pprof's: flat sums the routine's lines' flat, and a sample has one leaf, so flat's
 * variance is the sum over its leaf samples. Cum sums the lines' cum, so a sample with m distinct
 * lines of the routine on its stack (recursion, two call sites on one stack) is counted m times:
 * its value m·v, its variance m²·V. With m ≤ 1 (no recursion) that is each sample once. Summing
 * the lines' variances instead would give m·V and understate the error of a recursive routine.
 *
 * `routineOf[site]` is the routine of each line site of `sites` (-1: none wanted); sites the
 * table gains while mapping this profile's frames belong to no routine.
 */
export function routineSides(profile: Profile, typeIndex: number, sites: SiteTable, routineOf: Int32Array, routines: number, filters: SampleFilters): RoutineSides {
  const { sampling, frameSite, bits, hasFocus, allocType, stride } = sampleWalk(profile, typeIndex, sites, filters);
  const { count, stackStart, stackFrames, values } = profile.samples;
  // Columns per routine: value, variance, raw count, alloc; flat and cum.
  const flat = new Float64Array(4 * routines);
  const cum = new Float64Array(4 * routines);
  const seenSite = new Int32Array(routineOf.length).fill(-1);
  const seenRoutine = new Int32Array(routines).fill(-1);
  const lines = new Int32Array(routines);
  const touched: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = values[i * stride + typeIndex]!;
    const variance = sampling.variance?.[i] ?? 0;
    const raw = sampling.rawCount?.[i] ?? 0;
    const alloc = allocType >= 0 ? Math.abs(values[i * stride + allocType]!) : 0;
    if (v === 0 && variance === 0 && alloc === 0) continue;
    const start = stackStart[i]!;
    const end = stackStart[i + 1]!;
    if (bits !== null && !keepsSample(stackFrames.subarray(start, end), bits, hasFocus)) continue;
    let leaf = true;
    for (let k = start; k < end; k++) {
      const frame = stackFrames[k]!;
      if (isHidden(bits, frame)) continue;
      const site = frameSite[frame]!;
      const r = site < routineOf.length ? routineOf[site]! : -1;
      if (leaf) {
        leaf = false;
        if (r >= 0) add(flat, r, v, variance, raw, alloc);
      }
      if (r < 0 || seenSite[site] === i) continue;
      seenSite[site] = i;
      if (seenRoutine[r] !== i) {
        seenRoutine[r] = i;
        lines[r] = 0;
        touched.push(r);
      }
      lines[r]!++;
    }
    for (const r of touched) {
      const m = lines[r]!;
      add(cum, r, m * v, m * m * variance, m * raw, m * alloc);
    }
    touched.length = 0;
  }
  const hasAlloc = allocType >= 0;
  const sides = (four: Float64Array): SampledSide[] =>
    Array.from({ length: routines }, (_, r) => ({
      value: four[4 * r]!,
      variance: four[4 * r + 1]!,
      rawCount: four[4 * r + 2]!,
      alloc: hasAlloc ? four[4 * r + 3]! : null,
    }));
  return { model: sampling.model, flat: sides(flat), cum: sides(cum) };
}

function add(four: Float64Array, r: number, v: number, variance: number, raw: number, alloc: number): void {
  four[4 * r]! += v;
  four[4 * r + 1]! += variance;
  four[4 * r + 2]! += raw;
  four[4 * r + 3]! += alloc;
}
