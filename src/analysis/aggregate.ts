import type { Profile } from '../model/profile.js';
import { frameFilterBits, isHidden, keepsSample, type SampleFilters } from './filters.js';
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

/**
 * One pass over the samples, as pprof builds its graph: a sample's value goes to the flat of its
 * leaf-most (kept) frame and to the cum of every site on its stack once, however often the site
 * recurs. No per-sample allocation: a stamp array replaces pprof's per-sample "seen" set.
 */
export function aggregate(input: AggregateInput): SiteValues {
  const { profile, typeIndex, sites } = input;
  const frameSite = sites.siteOfFrames(profile);
  const bits = frameFilterBits(profile, input.filters ?? {});
  const out = { flat: new Float64Array(sites.size), cum: new Float64Array(sites.size) };
  const seen = new Int32Array(sites.size).fill(-1);
  if (bits === null) accumulate(profile, typeIndex, frameSite, out, seen);
  else accumulateFiltered(profile, typeIndex, frameSite, out, seen, bits, Boolean(input.filters?.focus));
  return out;
}

/** The loop without filters, kept apart so it stays small: it runs over every frame of every stack. */
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
