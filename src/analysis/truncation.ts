import type { Profile } from '../model/profile.js';

/**
 * Go records at most 32 frames per heap sample before Go 1.23, and 128 since: a deeper stack
 * keeps its 32 (128) innermost frames and loses its callers. The cap counts logical frames,
 * inlined calls included, which is what the model's stacks hold.
 */
export const GO_STACK_CAPS = [32, 128] as const;

/**
 * The proto writer re-expands an inlined call cut in half by the cap, so a cut stack can hold a
 * few frames more than the cap; more than this many is a stack that was never cut.
 */
const CAP_SLACK = 4;

/** Cut stacks carrying less than this share of the sample type change nothing worth a note. */
const MIN_SHARE = 0.01;

/** Samples whose stacks reach Go's frame cap, so their outer callers are missing. */
export interface TruncatedStacks {
  /** The cap: 32 or 128 frames. */
  readonly depth: number;
  /** Samples whose stack has at least `depth` frames. */
  readonly samples: number;
  /** Their share of Σ|value| of the sample type, 0..1. */
  readonly share: number;
}

/** The most frames of a sample with a value (profileTotals gives it too, from its one pass). */
function deepestStack(profile: Profile, typeIndex: number): number {
  const { count, stackStart, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  let deepest = 0;
  for (let i = 0; i < count; i++) {
    if (values[i * stride + typeIndex] !== 0) deepest = Math.max(deepest, stackStart[i + 1]! - stackStart[i]!);
  }
  return deepest;
}

/**
 * Whether the profile's deepest stacks sit at one of Go's caps (from the cap to a few frames
 * over it) and carry a meaningful share of the sample type: then their flat sites are right but
 * the cum of the callers beyond the cut is short. Null when nothing looks cut.
 */
export function truncatedStacks(profile: Profile, typeIndex: number, deepest = deepestStack(profile, typeIndex)): TruncatedStacks | null {
  const { count, stackStart, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  const depth = GO_STACK_CAPS.find((cap) => deepest >= cap && deepest <= cap + CAP_SLACK);
  if (depth === undefined) return null;
  let samples = 0;
  let cut = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const v = Math.abs(values[i * stride + typeIndex]!);
    total += v;
    if (v !== 0 && stackStart[i + 1]! - stackStart[i]! >= depth) {
      samples++;
      cut += v;
    }
  }
  const share = cut / total;
  return share >= MIN_SHARE ? { depth, samples, share } : null;
}
