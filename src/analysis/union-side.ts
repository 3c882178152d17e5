import type { Profile } from '../model/profile.js';
import { isHidden, keepsSample, type SampleFilters } from './filters.js';
import { sampleWalk } from './sample-walk.js';
import type { SampledSide } from './site-change.js';
import type { SiteTable } from './sites.js';

/**
 * What a set of sites holds together, each sample once: the samples (after filters) with one of
 * `member`'s sites on the stack (`cum`) or as the leaf (`flat`), with their value, sampling
 * variance, raw count and alloc_* value summed. The sites' cums added up would count a sample
 * under a caller and its callee twice; flat needs no union (a sample has one leaf) but is the same.
 */
export function unionSide(profile: Profile, typeIndex: number, sites: SiteTable, member: Uint8Array, filters: SampleFilters, key: 'flat' | 'cum'): SampledSide {
  const { sampling, frameSite, bits, hasFocus, allocType, stride } = sampleWalk(profile, typeIndex, sites, filters);
  const { count, stackStart, stackFrames, values } = profile.samples;
  let value = 0;
  let variance = 0;
  let rawCount = 0;
  let alloc = 0;
  for (let i = 0; i < count; i++) {
    const start = stackStart[i]!;
    const end = stackStart[i + 1]!;
    if (bits !== null && !keepsSample(stackFrames.subarray(start, end), bits, hasFocus)) continue;
    let inside = false;
    for (let k = start; k < end && !inside; k++) {
      const frame = stackFrames[k]!;
      if (isHidden(bits, frame)) continue;
      const site = frameSite[frame]!;
      inside = site < member.length && member[site] === 1;
      if (key === 'flat') break;
    }
    if (!inside) continue;
    value += values[i * stride + typeIndex]!;
    variance += sampling.variance?.[i] ?? 0;
    rawCount += sampling.rawCount?.[i] ?? 0;
    if (allocType >= 0) alloc += Math.abs(values[i * stride + allocType]!);
  }
  return { value, variance, rawCount, alloc: allocType >= 0 ? alloc : null };
}
