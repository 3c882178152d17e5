import type { Profile } from '../model/profile.js';
import type { Random } from './random.js';

/**
 * Heap sampling as Go's runtime does it (runtime/malloc.go, nextSample; pprof/protomem.go,
 * scaleHeapSample), for calibration tests: a fresh exponential gap with mean R after every sampled
 * allocation, an allocation sampled when its size reaches the rest of the gap, and the written
 * values scaled by 1/(1 − e^(−Z/R)) and truncated to integers.
 */

/** How many of `n` allocations of `size` bytes get sampled: walks the gaps, O(samples) not O(n). */
export function sampledAllocations(rng: Random, n: number, size: number, rate: number): number {
  let sampled = 0;
  let i = 0;
  for (;;) {
    // The gap covers floor(gap/size) whole allocations; the next one reaches it and is sampled.
    i += Math.floor(rng.exponential(rate) / size) + 1;
    if (i > n) return sampled;
    sampled++;
  }
}

/** Go's scaleHeapSample: unbiased [objects, bytes] for `count` sampled objects of `size` bytes. */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0) return [0, 0];
  const bytes = count * size;
  const scale = 1 / (1 - Math.exp(-size / rate));
  return [Math.trunc(count * scale), Math.trunc(bytes * scale)];
}

/** One pprof sample of a simulated heap: a site (frame index) and its columns' values. */
export interface SimSample {
  readonly site: number;
  readonly values: readonly number[];
}

/**
 * A compact Profile (no encode/decode, so thousands of repetitions stay fast) whose sample i has
 * the stack [site_i, main]: flat and cum of a site are its own samples, `main` holds everything.
 */
export function simulatedProfile(siteCount: number, samples: readonly SimSample[], rate: number, types: readonly [string, string][]): Profile {
  const { strings, name, file, zeros } = frameTable(siteCount);
  const frames = siteCount + 1;
  const stride = types.length;
  const stackStart = new Uint32Array(samples.length + 1);
  const stackFrames = new Uint32Array(samples.length * 2);
  const values = new Float64Array(samples.length * stride);
  samples.forEach((s, i) => {
    stackStart[i + 1] = 2 * (i + 1);
    stackFrames[2 * i] = s.site;
    stackFrames[2 * i + 1] = siteCount;
    for (let t = 0; t < stride; t++) values[i * stride + t] = s.values[t]!;
  });
  const typeStrings = types.map(([type, unit]) => ({ type, unit }));
  return {
    strings,
    sampleTypes: typeStrings,
    defaultSampleType: 0,
    periodType: { type: 'space', unit: 'bytes' },
    period: rate,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    mainBinary: '',
    frames: { count: frames, name, file, line: zeros, startLine: zeros, inlined: new Uint8Array(frames) },
    samples: { count: samples.length, stackStart, stackFrames, values, fromBase: null },
  };
}

const TABLES = new Map<number, { strings: string[]; name: Int32Array; file: Int32Array; zeros: Int32Array }>();

/** Frames site0 … site{n−1} and main, shared by every profile with as many sites (read-only). */
function frameTable(siteCount: number) {
  let t = TABLES.get(siteCount);
  if (t === undefined) {
    const strings = ['', 'main', 'sim.go'];
    for (let s = 0; s < siteCount; s++) strings.push(`site${s}`);
    const name = new Int32Array(siteCount + 1);
    for (let s = 0; s < siteCount; s++) name[s] = 3 + s;
    name[siteCount] = 1;
    t = { strings, name, file: new Int32Array(siteCount + 1).fill(2), zeros: new Int32Array(siteCount + 1) };
    TABLES.set(siteCount, t);
  }
  return t;
}
