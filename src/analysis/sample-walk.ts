import type { Profile } from '../model/profile.js';
import { allocColumn } from './aggregate.js';
import { frameFilterBits, type SampleFilters } from './filters.js';
import { sampleVariances, type SampleVariances } from './sampling.js';
import type { SiteTable } from './sites.js';

/**
 * What a walk over one profile's samples needs to sum a sample type with its sampling error and
 * alloc_* companion, under the report's filters: one set-up for the walks that sum sites their own
 * way (routines of `list`, unions of leaking sites in `trend`).
 */
export interface SampleWalk {
  readonly sampling: SampleVariances;
  /** Each frame's site in `sites`. */
  readonly frameSite: Int32Array;
  /** Per-frame filter bits (frameFilterBits), or null when no filter is set. */
  readonly bits: Uint8Array | null;
  readonly hasFocus: boolean;
  /** The alloc_* column beside the sample type, or -1. */
  readonly allocType: number;
  /** Values per sample (the number of sample types). */
  readonly stride: number;
}

export function sampleWalk(profile: Profile, typeIndex: number, sites: SiteTable, filters: SampleFilters): SampleWalk {
  return {
    sampling: sampleVariances(profile, typeIndex),
    frameSite: sites.siteOfFrames(profile),
    bits: frameFilterBits(profile, filters),
    hasFocus: Boolean(filters.focus),
    allocType: allocColumn(profile, typeIndex),
    stride: profile.sampleTypes.length,
  };
}
