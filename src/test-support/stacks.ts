import type { Profile } from '../model/profile.js';

/** The frames of sample `i`, leaf first, as a view (no copy): how tests read one stack. */
export function stackOf(profile: Profile, i: number): Uint32Array {
  const { stackStart, stackFrames } = profile.samples;
  return stackFrames.subarray(stackStart[i]!, stackStart[i + 1]!);
}
