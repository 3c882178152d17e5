import type { Profile, SampleTable } from '../model/profile.js';
import type { SiteErrors } from './aggregate.js';
import { WASM_BASE64 } from '../wasm/aggregate.wasm.js';
import { WASM_BASE64 as SITE_TESTS_BASE64 } from '../wasm/site-tests.wasm.js';
import { ensureBytes, instantiate, prepare } from '../wasm/instantiate.js';

// Compiled off the main thread once the run makes its first kernel (see prepare); the site tests
// kernel too, which a report runs in this kernel's memory right after it: its own module loads
// with the report's, when there is no time left to compile it ahead.
prepare(WASM_BASE64);
prepare(SITE_TESTS_BASE64);

/**
 * aggregate.ts's loops without filters, run by the WebAssembly kernel src/wasm/aggregate.as.ts:
 * a CLI run aggregates each profile once, and as JavaScript those loops run mostly unoptimised
 * (the fat pair's sumErrorColumns took ~124 ms; the kernel needs a fraction of that). Each answer
 * is null where WebAssembly is missing; aggregate.ts then runs its own loops, which are also the
 * tests' oracle (aggregate-kernel.test.ts): the columns are the same to the bit.
 */

interface Exports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  clear(sites: number, width: number, seen: number, flat: number, cum: number): void;
  sumErrorColumns(
    first: number,
    count: number,
    stackStart: number,
    frames: number,
    frameBase: number,
    frameSite: number,
    values: number,
    stride: number,
    valueAt: number,
    allocAt: number,
    variance: number,
    rawCount: number,
    seen: number,
    flat4: number,
    cum4: number,
  ): void;
  splitColumns(sites: number, flat4: number, cum4: number, out: number): void;
  bytesModel(count: number, values: number, stride: number, bytesAt: number, objectsAt: number, isBytes: number, R: number, variance: number, rawCount: number): void;
  inlineCandidates(frames: number, frameSite: number, inlined: number, only: number, candidates: number): number;
  flagFrames(frames: number, frameSite: number, onlyInto: number, flags: number): number;
  samplesHolding(first: number, count: number, stackStart: number, frames: number, frameBase: number, flags: number, out: number, found: number): number;
  sumTotals(count: number, stackStart: number, values: number, stride: number, valueAt: number, allocAt: number, variance: number, rawCount: number, out: number): void;
  accumulate(
    first: number,
    count: number,
    stackStart: number,
    frames: number,
    frameBase: number,
    frameSite: number,
    values: number,
    stride: number,
    valueAt: number,
    seen: number,
    flat: number,
    cum: number,
  ): void;
}

/**
 * Samples are copied in runs of at most this many frames (and CHUNK_SAMPLES samples), not whole:
 * the fat pair's 12 MB of stack frames would otherwise stay in the kernel's memory (which never
 * shrinks) and every copy would leave the cache before the kernel reads it.
 */
const CHUNK_FRAMES = 1 << 16;
const CHUNK_SAMPLES = 1 << 13;

let kernel: Exports | null | undefined;
let enabled = true;

/** For tests: off makes every answer null, so aggregate.ts runs its JavaScript loops. */
export function setAggregateKernel(on: boolean): void {
  enabled = on;
}

/** The kernel's instance, made once per thread and reused (its memory too); null without WebAssembly. */
export function aggregateKernel(): Exports | null {
  if (!enabled) return null;
  // Null also where compiling is refused (a page's CSP): instantiate catches that.
  if (kernel === undefined) kernel = (instantiate(WASM_BASE64)?.exports as unknown as Exports | undefined) ?? null;
  return kernel;
}

/** SiteErrors' eight columns, as sumErrorColumns and splitColumns of aggregate.ts make them. */
export type KernelErrorColumns = Omit<SiteErrors, 'model' | 'period'>;

/**
 * aggregate.ts's errorColumns by the kernel: value `valueAt`, the variance and raw count columns
 * (null: none) and |alloc column `allocAt`| (−1: none) summed into flat and cum per site; with
 * `totals`, kernelTotals' six sums into it too, in the same pass.
 */
export function kernelErrorColumns(
  profile: Profile,
  frameSite: Int32Array,
  sites: number,
  valueAt: number,
  allocAt: number,
  variance: Float64Array | null,
  rawCount: Float64Array | null,
  totals: Float64Array | null = null,
): KernelErrorColumns | null {
  const k = aggregateKernel();
  if (k === null) return null;
  const run = new Run(k, { samples: profile.samples, stride: profile.sampleTypes.length, frameSite, sites, width: 4, variance: variance !== null, scratch: 0 });
  k.clear(sites, 4, run.seen, run.flat, run.cum);
  const stride = profile.sampleTypes.length;
  if (totals !== null) new Float64Array(k.memory.buffer, run.totals, 6).fill(0);
  run.forEachChunk(variance, rawCount, (first, count, chunk) => {
    k.sumErrorColumns(first, count, chunk.stackStart, chunk.frames, chunk.frameBase, run.frameSite, chunk.values, stride, valueAt, allocAt, chunk.variance, chunk.rawCount, run.seen, run.flat, run.cum);
    // kernelTotals' sums from the same runs of samples, copied in once for both.
    if (totals !== null) k.sumTotals(count, chunk.stackStart, chunk.values, stride, valueAt, allocAt, chunk.variance, chunk.rawCount, run.totals);
  });
  if (totals !== null) totals.set(new Float64Array(k.memory.buffer, run.totals, 6));
  k.splitColumns(sites, run.flat, run.cum, run.out);
  const column = (j: number) => new Float64Array(k.memory.buffer, run.out + j * 8 * sites, sites).slice();
  const v = variance !== null;
  const a = allocAt >= 0;
  return {
    flat: column(0),
    cum: column(1),
    flatVariance: v ? column(2) : null,
    cumVariance: v ? column(3) : null,
    flatCount: v ? column(4) : null,
    cumCount: v ? column(5) : null,
    flatAlloc: a ? column(6) : null,
    cumAlloc: a ? column(7) : null,
  };
}

/** aggregate.ts's accumulate by the kernel: value `valueAt` into flat and cum per site. */
export function kernelAccumulate(profile: Profile, frameSite: Int32Array, sites: number, valueAt: number): { flat: Float64Array; cum: Float64Array } | null {
  const k = aggregateKernel();
  if (k === null) return null;
  const run = new Run(k, { samples: profile.samples, stride: profile.sampleTypes.length, frameSite, sites, width: 1, variance: false, scratch: 0 });
  k.clear(sites, 1, run.seen, run.flat, run.cum);
  const stride = profile.sampleTypes.length;
  run.forEachChunk(null, null, (first, count, chunk) =>
    k.accumulate(first, count, chunk.stackStart, chunk.frames, chunk.frameBase, run.frameSite, chunk.values, stride, valueAt, run.seen, run.flat, run.cum),
  );
  const column = (at: number) => new Float64Array(k.memory.buffer, at, sites).slice();
  return { flat: column(run.flat), cum: column(run.cum) };
}

/**
 * aggregate.ts's sumTotals by the kernel, into `out` (signed, absolute, variance, raw count,
 * |alloc|, deepest): the value `valueAt`, the variance and raw count columns (null: none) and
 * alloc column `allocAt` (−1: none) summed in sample order. False without WebAssembly.
 */
export function kernelTotals(profile: Profile, valueAt: number, allocAt: number, variance: Float64Array | null, rawCount: Float64Array | null, out: Float64Array): boolean {
  const k = aggregateKernel();
  if (k === null) return false;
  const run = new Run(k, { samples: profile.samples, stride: profile.sampleTypes.length, frameSite: null, sites: 0, width: 0, variance: variance !== null, scratch: 0 });
  const stride = profile.sampleTypes.length;
  new Float64Array(k.memory.buffer, run.totals, 6).fill(0);
  run.forEachChunk(variance, rawCount, (_first, count, chunk) =>
    k.sumTotals(count, chunk.stackStart, chunk.values, stride, valueAt, allocAt, chunk.variance, chunk.rawCount, run.totals),
  );
  out.set(new Float64Array(k.memory.buffer, run.totals, 6));
  return true;
}

/**
 * call-edges.ts's samplesHolding by the kernel: the samples, ascending, whose stack holds a frame
 * of a site flagged in `onlyInto` (one byte per site), and those frames (`intoFrame`, one byte
 * per frame, 1 where its site is flagged).
 */
export function kernelSamplesHolding(samples: SampleTable, frameSite: Int32Array, onlyInto: Uint8Array): { readonly samples: Int32Array; readonly intoFrame: Uint8Array } | null {
  const k = aggregateKernel();
  if (k === null) return null;
  const frames = frameSite.length;
  const run = new Run(k, { samples, stride: 0, frameSite, sites: 0, width: 0, variance: false, scratch: align(onlyInto.length) + align(frames) + 4 * samples.count });
  const flags = run.scratch + align(onlyInto.length);
  const out = flags + align(frames);
  new Uint8Array(k.memory.buffer, run.scratch, onlyInto.length).set(onlyInto);
  const intoFrame = () => new Uint8Array(k.memory.buffer, flags, frames).slice();
  if (k.flagFrames(frames, run.frameSite, run.scratch, flags) === 0) return { samples: new Int32Array(0), intoFrame: intoFrame() };
  let found = 0;
  run.forEachChunk(null, null, (first, count, chunk) => {
    found = k.samplesHolding(first, count, chunk.stackStart, chunk.frames, chunk.frameBase, flags, out, found);
  });
  return { samples: new Int32Array(k.memory.buffer, out, found).slice(), intoFrame: intoFrame() };
}

/**
 * call-edges.ts's inline candidates by the kernel: 1 for each site (of `sites`) with an inlined
 * frame in any of the profiles (`frames`: each one's frame → site map and inlined flags) and,
 * with `only`, flagged there. Null without WebAssembly.
 */
export function kernelInlineCandidates(
  frames: readonly { readonly frameSite: Int32Array; readonly inlined: Uint8Array }[],
  sites: number,
  only: Uint8Array | null,
): { readonly candidates: Uint8Array; readonly any: boolean } | null {
  const k = aggregateKernel();
  if (k === null) return null;
  const most = Math.max(0, ...frames.map((f) => f.frameSite.length));
  const candidatesAt = align(k.heapBase());
  const onlyAt = only === null ? 0 : align(candidatesAt + sites);
  const frameSiteAt = align((only === null ? candidatesAt : onlyAt) + sites);
  const inlinedAt = frameSiteAt + 4 * most;
  ensureBytes(k.memory, inlinedAt + most);
  const buffer = k.memory.buffer;
  new Uint8Array(buffer, candidatesAt, sites).fill(0);
  // A site past the end of `only` is not flagged, as the JavaScript reads it.
  if (only !== null) new Uint8Array(buffer, onlyAt, sites).fill(0).set(only.subarray(0, sites));
  let any = false;
  for (const { frameSite, inlined } of frames) {
    new Int32Array(buffer, frameSiteAt, frameSite.length).set(frameSite);
    new Uint8Array(buffer, inlinedAt, inlined.length).set(inlined);
    if (k.inlineCandidates(frameSite.length, frameSiteAt, inlinedAt, onlyAt, candidatesAt) !== 0) any = true;
  }
  return { candidates: new Uint8Array(buffer, candidatesAt, sites).slice(), any };
}

/**
 * sampling.ts's bytesModel by the kernel: each sample's variance and raw count under the 'bytes'
 * model (period R), of the bytes column (`isBytes`) or the objects column, into `variance` and
 * `rawCount`. False without WebAssembly.
 */
export function kernelBytesModel(profile: Profile, bytesAt: number, objectsAt: number, isBytes: boolean, variance: Float64Array, rawCount: Float64Array): boolean {
  const k = aggregateKernel();
  if (k === null) return false;
  const stride = profile.sampleTypes.length;
  const samples = Math.min(CHUNK_SAMPLES, profile.samples.count);
  const run = new Run(k, { samples: profile.samples, stride, frameSite: null, sites: 0, width: 0, variance: false, scratch: 16 * samples });
  const varianceAt = run.scratch;
  const rawCountAt = run.scratch + 8 * samples;
  run.forEachChunk(null, null, (first, count, chunk) => {
    k.bytesModel(count, chunk.values, stride, bytesAt, objectsAt, isBytes ? 1 : 0, profile.period, varianceAt, rawCountAt);
    variance.set(new Float64Array(k.memory.buffer, varianceAt, count), first);
    rawCount.set(new Float64Array(k.memory.buffer, rawCountAt, count), first);
  });
  return true;
}

/** Where one run of samples sits in the kernel's memory (byte offsets; 0: no such column). */
interface Chunk {
  stackStart: number;
  frames: number;
  frameBase: number;
  values: number;
  variance: number;
  rawCount: number;
}

/** What a Run copies and makes room for (byte sizes). */
interface Layout {
  readonly samples: SampleTable;
  /** Value columns per sample (the profile's sample types); 0: values are not copied. */
  readonly stride: number;
  /** The frame → site map, copied once; null: no frames are copied either, only stack starts. */
  readonly frameSite: Int32Array | null;
  /** Sites, and the doubles of flat and cum per site (0: no sums). */
  readonly sites: number;
  readonly width: number;
  /** Whether variance and raw count columns are copied with each run. */
  readonly variance: boolean;
  /** Bytes of scratch for the caller. */
  readonly scratch: number;
}

/**
 * The kernel's memory for one pass: the per-site arrays and the frame → site map, copied once,
 * then room for one run of samples, the frames last so that a deeper run only grows them.
 */
class Run {
  /** sumTotals' six sums. */
  readonly totals: number;
  readonly seen: number;
  readonly flat: number;
  readonly cum: number;
  /** splitColumns' eight columns (width 4; over frameSite and the runs, done with by then), else nothing. */
  readonly out: number;
  readonly frameSite: number;
  readonly scratch: number;
  private readonly stackStartAt: number;
  private readonly valuesAt: number;
  private readonly varianceAt: number;
  private readonly rawCountAt: number;
  private readonly framesAt: number;

  constructor(
    private readonly k: Exports,
    private readonly layout: Layout,
  ) {
    let end = align(k.heapBase());
    const take = (bytes: number) => {
      const at = end;
      end = align(end + bytes);
      return at;
    };
    const { sites, width, frameSite } = layout;
    const samples = Math.min(CHUNK_SAMPLES, layout.samples.count);
    this.totals = take(8 * 6);
    this.seen = take(4 * sites);
    this.flat = take(8 * width * sites);
    this.cum = take(8 * width * sites);
    // splitColumns' columns go where the frame → site map and the runs of samples were: it runs
    // after the last sum, and the pages are touched already (~250 fewer first touches of the
    // 10k pair's 1.3 MB of columns, at ~3 us each).
    this.out = width === 4 ? end : 0;
    this.frameSite = take(4 * (frameSite?.length ?? 0));
    this.scratch = take(layout.scratch);
    this.stackStartAt = take(4 * (samples + 1));
    this.valuesAt = take(8 * samples * layout.stride);
    this.varianceAt = layout.variance ? take(8 * samples) : 0;
    this.rawCountAt = layout.variance ? take(8 * samples) : 0;
    this.framesAt = frameSite === null ? 0 : end;
    ensureBytes(k.memory, Math.max(end + (frameSite === null ? 0 : 4 * CHUNK_FRAMES), width === 4 ? this.out + 64 * sites : 0));
    if (frameSite !== null) new Int32Array(k.memory.buffer, this.frameSite, frameSite.length).set(frameSite);
  }

  /** Copies the samples in runs and calls `sum` on each: first sample, sample count, where the run sits. */
  forEachChunk(variance: Float64Array | null, rawCount: Float64Array | null, sum: (first: number, count: number, chunk: Chunk) => void): void {
    const { count, stackStart, stackFrames, values } = this.layout.samples;
    const stride = this.layout.stride;
    const memory = this.k.memory;
    const chunk: Chunk = { stackStart: this.stackStartAt, frames: this.framesAt, frameBase: 0, values: this.valuesAt, variance: this.varianceAt, rawCount: this.rawCountAt };
    for (let first = 0; first < count; ) {
      const end = chunkEnd(stackStart, first, count);
      const frameBase = stackStart[first]!;
      const frameEnd = stackStart[end]!;
      const buffer = this.framesAt === 0 ? memory.buffer : this.roomForFrames(frameEnd - frameBase);
      new Uint32Array(buffer, this.stackStartAt, end - first + 1).set(stackStart.subarray(first, end + 1));
      if (this.framesAt !== 0) new Uint32Array(buffer, this.framesAt, frameEnd - frameBase).set(stackFrames.subarray(frameBase, frameEnd));
      if (stride > 0) new Float64Array(buffer, this.valuesAt, (end - first) * stride).set(values.subarray(first * stride, end * stride));
      if (variance !== null) {
        new Float64Array(buffer, this.varianceAt, end - first).set(variance.subarray(first, end));
        new Float64Array(buffer, this.rawCountAt, end - first).set(rawCount!.subarray(first, end));
      }
      chunk.frameBase = frameBase;
      sum(first, end - first, chunk);
      first = end;
    }
  }

  /** The memory's buffer, grown first when one sample is deeper than a whole run. */
  private roomForFrames(frames: number): ArrayBuffer {
    ensureBytes(this.k.memory, this.framesAt + 4 * frames);
    return this.k.memory.buffer;
  }
}

/**
 * The end of the run of samples from `first`: at most CHUNK_SAMPLES samples and CHUNK_FRAMES
 * frames, but at least one sample (a binary search over the stack starts, not a walk).
 */
function chunkEnd(stackStart: Uint32Array, first: number, count: number): number {
  const limit = stackStart[first]! + CHUNK_FRAMES;
  let lo = first + 1;
  let hi = Math.min(count, first + CHUNK_SAMPLES);
  if (stackStart[hi]! <= limit) return hi;
  // stackStart[lo] may exceed the limit (one deep sample): the run is that sample alone.
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (stackStart[mid]! <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function align(at: number): number {
  return (at + 7) & ~7;
}
