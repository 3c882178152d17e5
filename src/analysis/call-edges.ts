import type { Profile, SampleTable } from '../model/profile.js';
import { kernelInlineCandidates, kernelSamplesHolding } from './aggregate-kernel.js';
import { ChildIndex } from './child-index.js';
import { frameFilterBits, isHidden, keepsSample, type SampleFilters } from './filters.js';
import type { SiteTable } from './sites.js';

/**
 * Caller → callee edges between sites, as pprof's graph builds them: per sample, walking from
 * the root to the leaf, each (caller, callee) pair gets the sample's value once, however often it
 * recurs, and a site calling itself makes no edge. An edge is inline while every sample that made
 * it had the callee as an inlined frame of the caller's location (pprof's `Edge.Inline`).
 *
 * One table serves both sides of a diff: edges are keyed by site, and each side adds its values
 * to its own weight column, so an edge seen only in the base still exists (with weight 0 in the
 * current), as it does in pprof's merged graph.
 */
export class CallEdges {
  // Typed arrays with room to spare, doubled as edges come (entries past `size` are unused): a
  // hot loop over millions of frames reads and writes them.
  caller = new Int32Array(1024);
  callee = new Int32Array(1024);
  /** One weight column per side (0: base or the only profile, 1: current). */
  weight: [Float64Array, Float64Array] = [new Float64Array(1024), new Float64Array(1024)];
  /** 1 while every sample that made the edge had the callee inlined into the caller. */
  inline = new Uint8Array(1024);
  private readonly index = new ChildIndex();
  /** The stamp of the last sample that added to each edge (stamps count samples of both sides). */
  private seen = new Int32Array(1024);
  private stamp = 0;
  size = 0;

  /**
   * Adds one profile's samples to side `side`'s weights. With `onlyInto` (a flag per site), only
   * edges into flagged sites are kept: enough for the inline marks, at a fraction of the cost.
   */
  add(profile: Profile, typeIndex: number, sites: SiteTable, side: 0 | 1, filters: SampleFilters = {}, onlyInto: Uint8Array | null = null): void {
    this.addSides([{ profile, typeIndex }], sites, filters, onlyInto, side);
  }

  /**
   * `add` for each of `sides` in turn (the first to side `first`, the rest to side 1), in one
   * call: the sample loop is compiled while the first side runs, and a second call would compile
   * this large function again, for one more side.
   */
  addSides(sides: readonly ProfileSide[], sites: SiteTable, filters: SampleFilters = {}, onlyInto: Uint8Array | null = null, first: 0 | 1 = 0): void {
    for (let n = 0; n < sides.length; n++) {
      const { profile, typeIndex } = sides[n]!;
      const side = n === 0 ? first : 1;
      const frameSite = sites.siteOfFrames(profile);
      const bits = frameFilterBits(profile, filters);
      // Edges into a few sites (a report's rows, a hint's site) come from few samples: without
      // filters, one flat scan over every frame finds the samples that hold a flagged frame, and
      // addInto walks only those, testing a byte per frame (this walk's work per frame, in a loop
      // a process runs once and mostly uncompiled, cost the 10k pair ~4 ms more).
      if (onlyInto !== null && bits === null) {
        const holding = samplesHoldingSites(profile.samples, frameSite, onlyInto);
        this.addInto(profile, typeIndex, frameSite, holding.intoFrame, side, holding.samples);
        continue;
      }
      const plainInlined = bits === null ? profile.frames.inlined : null;
      const hasFocus = Boolean(filters.focus);
      const { count, stackStart, stackFrames, values } = profile.samples;
      const stride = profile.sampleTypes.length;
      // The edge of a (caller frame, callee frame) pair, remembered per callee frame: the same pair
      // recurs in most samples that share a stack, and two array reads beat a hash lookup.
      const lastCallerFrame = new Int32Array(profile.frames.count).fill(-1);
      const lastEdge = new Int32Array(profile.frames.count);
      for (let i = 0; i < count; i++) {
        const v = values[i * stride + typeIndex]!;
        // pprof skips a sample whose value is 0: it neither weighs nor flags an edge.
        if (v === 0) continue;
        const start = stackStart[i]!;
        const end = stackStart[i + 1]!;
        if (bits !== null && !keepsSample(stackFrames.subarray(start, end), bits, hasFocus)) continue;
        const stamp = ++this.stamp;
        let parent = -1;
        let parentFrame = -1;
        // Leaf first in the model: walk from the end to visit the root first, as pprof does.
        for (let k = end - 1; k >= start; k--) {
          const frame = stackFrames[k]!;
          if (bits !== null && isHidden(bits, frame)) continue;
          const site = frameSite[frame]!;
          if (parent >= 0 && site !== parent && (onlyInto === null || onlyInto[site] === 1)) {
            const inline = plainInlined !== null ? plainInlined[frame]! : inlinedUnlessHostHidden(profile, bits!, k, end);
            let id: number;
            if (lastCallerFrame[frame] === parentFrame) id = lastEdge[frame]!;
            else {
              id = this.edgeOf(parent, site);
              lastCallerFrame[frame] = parentFrame;
              lastEdge[frame] = id;
            }
            this.addTo(id, side, v, inline, stamp);
          }
          parent = site;
          parentFrame = frame;
        }
      }
    }
  }

  /**
   * `add` with `onlyInto` and no filters, for one profile whose flagged sites are given per frame
   * (`intoFrame[f]` 1 when frame f's site is flagged): the same edges, weights and inline flags,
   * added in the same order. The sets' path: there most samples hold a flagged frame (inlined
   * frames are everywhere), so a loop that tests one byte per frame and does the edge work only
   * at a flagged one beats addSides' walk of every frame, and compiles once for every profile.
   */
  addInto(profile: Profile, typeIndex: number, frameSite: Int32Array, intoFrame: Uint8Array, side: 0 | 1, samples: ArrayLike<number> | null = null): void {
    const { stackStart, stackFrames, values } = profile.samples;
    // `samples`: only these (ascending), the ones holding a flagged frame; else every sample.
    const count = samples === null ? profile.samples.count : samples.length;
    const stride = profile.sampleTypes.length;
    const { inlined } = profile.frames;
    const lastCallerFrame = new Int32Array(profile.frames.count).fill(-1);
    const lastEdge = new Int32Array(profile.frames.count);
    // edgeOf may grow the arrays: these are read again after it.
    let seen = this.seen;
    let weight = this.weight[side];
    let inline = this.inline;
    let stamp = this.stamp;
    for (let j = 0; j < count; j++) {
      const i = samples === null ? j : samples[j]!;
      const v = values[i * stride + typeIndex]!;
      if (v === 0) continue;
      stamp++;
      const start = stackStart[i]!;
      // From the root's callee to the leaf, as addSides walks: the root-most occurrence counts.
      for (let k = stackStart[i + 1]! - 2; k >= start; k--) {
        const frame = stackFrames[k]!;
        if (intoFrame[frame] !== 1) continue;
        const parentFrame = stackFrames[k + 1]!;
        const site = frameSite[frame]!;
        const parent = frameSite[parentFrame]!;
        if (site === parent) continue;
        let id: number;
        if (lastCallerFrame[frame] === parentFrame) id = lastEdge[frame]!;
        else {
          id = this.edgeOf(parent, site);
          lastCallerFrame[frame] = parentFrame;
          lastEdge[frame] = id;
          seen = this.seen;
          weight = this.weight[side];
          inline = this.inline;
        }
        if (seen[id] === stamp) continue;
        seen[id] = stamp;
        weight[id]! += v;
        if (inlined[frame] === 0) inline[id] = 0;
      }
    }
    this.stamp = stamp;
  }

  /**
   * Takes over a table built elsewhere (a set's edges kernel, call-edges-kernel.ts), into this
   * empty one: edge i is (caller[i], callee[i]) with those weights and inline flag.
   */
  adopt(caller: Int32Array, callee: Int32Array, weight: readonly [Float64Array, Float64Array], inline: Uint8Array): void {
    if (this.size !== 0) throw new Error('CallEdges.adopt: the table is not empty');
    const n = caller.length;
    while (this.caller.length < n) this.grow();
    this.caller.set(caller);
    this.callee.set(callee);
    this.weight[0].set(weight[0]);
    this.weight[1].set(weight[1]);
    this.inline.set(inline);
    for (let id = 0; id < n; id++) this.index.set(caller[id]!, callee[id]!, id);
    this.size = n;
  }

  /** The edge's id, made when new. */
  private edgeOf(caller: number, callee: number): number {
    let id = this.index.get(caller, callee);
    if (id < 0) {
      id = this.size++;
      if (id === this.caller.length) this.grow();
      this.index.set(caller, callee, id);
      this.caller[id] = caller;
      this.callee[id] = callee;
      this.inline[id] = 1;
    }
    return id;
  }

  private grow(): void {
    const twice = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(a.length * 2);
      next.set(a);
      return next;
    };
    this.caller = twice(this.caller);
    this.callee = twice(this.callee);
    this.weight = [twice(this.weight[0]), twice(this.weight[1])];
    this.inline = twice(this.inline);
    this.seen = twice(this.seen);
  }

  private addTo(id: number, side: 0 | 1, v: number, inline: number, stamp: number): void {
    // Once per sample: only the root-most occurrence of a pair weighs and flags the edge.
    if (this.seen[id] === stamp) return;
    this.seen[id] = stamp;
    this.weight[side]![id]! += v;
    if (inline === 0) this.inline[id] = 0;
  }
}

/**
 * The samples, ascending, holding a frame of a site flagged in `onlyInto`: by the WebAssembly
 * kernel (aggregate-kernel.ts) where there is WebAssembly, else by the loops below (its oracle).
 */
function samplesHoldingSites(samples: SampleTable, frameSite: Int32Array, onlyInto: Uint8Array): { readonly samples: ArrayLike<number>; readonly intoFrame: Uint8Array } {
  const fromKernel = kernelSamplesHolding(samples, frameSite, onlyInto);
  if (fromKernel !== null) return fromKernel;
  const intoFrame = framesInto(frameSite, onlyInto);
  return { samples: samplesHolding(samples, intoFrame), intoFrame };
}

/** 1 for each frame whose site is flagged in `onlyInto`. */
function framesInto(frameSite: Int32Array, onlyInto: Uint8Array): Uint8Array {
  const out = new Uint8Array(frameSite.length);
  for (let f = 0; f < frameSite.length; f++) out[f] = onlyInto[frameSite[f]!]!;
  return out;
}

/**
 * The samples, ascending, holding a flagged frame: one loop over all frames with no per-sample
 * work (a sample is looked up only at a hit), which runs compiled after its first iterations.
 * A few flagged frames are searched for one by one instead.
 */
function samplesHolding(samples: SampleTable, intoFrame: Uint8Array): number[] {
  const flagged: number[] = [];
  for (let f = 0; f < intoFrame.length; f++) if (intoFrame[f] === 1) flagged.push(f);
  if (flagged.length <= NATIVE_SEARCHES) return samplesFound(samples, flagged);
  const { count, stackStart, stackFrames } = samples;
  const out: number[] = [];
  const end = stackStart[count]!;
  let sample = 0;
  for (let k = stackStart[0]!; k < end; k++) {
    if (intoFrame[stackFrames[k]!] !== 1) continue;
    while (stackStart[sample + 1]! <= k) sample++;
    if (out[out.length - 1] !== sample) out.push(sample);
  }
  return out;
}

/**
 * Up to this many flagged frames are found with the typed array's native indexOf, one search
 * each: ~0.55 ns a frame against ~3.3 ns for the scan's loop in a cold process (measured on the
 * fat pair's 3.6M frames a profile), so a handful of searches still costs less than one scan.
 */
const NATIVE_SEARCHES = 4;

/** `samplesHolding` by one native search per flagged frame, each hit mapped to its sample. */
function samplesFound(samples: SampleTable, flagged: readonly number[]): number[] {
  const { count, stackStart, stackFrames } = samples;
  const first = stackStart[0]!;
  const frames = stackFrames.subarray(first, stackStart[count]);
  const hits: number[] = [];
  for (const frame of flagged) {
    for (let k = frames.indexOf(frame); k >= 0; k = frames.indexOf(frame, k + 1)) hits.push(sampleAt(stackStart, count, first + k));
  }
  const sorted = Int32Array.from(hits).sort();
  const out: number[] = [];
  for (const sample of sorted) if (out[out.length - 1] !== sample) out.push(sample);
  return out;
}

/** The sample whose stack holds position `k`: the last with stackStart ≤ k (an empty stack before it starts where it does). */
function sampleAt(stackStart: Uint32Array, count: number, k: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (stackStart[mid]! <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * With --hide, a location's lines that remain decide what is inlined: a frame is an inlined call
 * only if a frame of the same location toward the root survived (pprof drops hidden lines from
 * locations before building the graph). A location's frames are a run ending at the first frame
 * whose `inlined` is 0.
 */
function inlinedUnlessHostHidden(profile: Profile, bits: Uint8Array, k: number, end: number): number {
  const { inlined } = profile.frames;
  const { stackFrames } = profile.samples;
  for (let j = k; j < end - 1 && inlined[stackFrames[j]!] === 1; j++) {
    if (!isHidden(bits, stackFrames[j + 1]!)) return 1;
  }
  return 0;
}

/** For each site, pprof's top label from the edges into it: every edge inline, some, or none. */
export type InlineMark = 'inline' | 'partial-inline' | null;

/** One side of a report: a profile and the index of the sample type shown. */
export interface ProfileSide {
  readonly profile: Profile;
  readonly typeIndex: number;
}

/**
 * pprof's `(inline)` / `(partial-inline)` label of every site of `sites`, from the edges into it
 * over all sides (pprof builds one graph from both profiles of a diff). Only sites with an
 * inlined frame can be marked, so only edges into those are built; none at all for a profile
 * without inlining.
 * With `only` (a flag per site), just those sites are marked (the rest read null): a report
 * that shows ten rows walks the edges into ten sites.
 */
export function siteInlineMarks(sides: readonly ProfileSide[], sites: SiteTable, filters: SampleFilters = {}, only: Uint8Array | null = null): InlineMark[] {
  const frameSites = sides.map((s) => sites.siteOfFrames(s.profile));
  const frames = sides.map((s, i) => ({ frameSite: frameSites[i]!, inlined: s.profile.frames.inlined }));
  const { candidates, any } = kernelInlineCandidates(frames, sites.size, only) ?? inlineCandidates(sides, frameSites, sites.size, only);
  if (!any) return new Array<InlineMark>(sites.size).fill(null);
  const edges = new CallEdges();
  edges.addSides(sides, sites, filters, candidates);
  return inlineMarks(edges, sites.size);
}

/** The sites with an inlined frame (and flagged in `only`), where the kernel is missing (its oracle). */
function inlineCandidates(sides: readonly ProfileSide[], frameSites: readonly Int32Array[], size: number, only: Uint8Array | null): { candidates: Uint8Array; any: boolean } {
  const candidates = new Uint8Array(size);
  let any = false;
  sides.forEach(({ profile }, i) => {
    const { inlined } = profile.frames;
    for (let f = 0; f < inlined.length; f++) {
      if (inlined[f] === 1 && (only === null || only[frameSites[i]![f]!] === 1)) {
        candidates[frameSites[i]![f]!] = 1;
        any = true;
      }
    }
  });
  return { candidates, any };
}

export function inlineMarks(edges: CallEdges, siteCount: number): InlineMark[] {
  const anyInline = new Uint8Array(siteCount);
  const anyCalled = new Uint8Array(siteCount);
  for (let e = 0; e < edges.size; e++) {
    const callee = edges.callee[e]!;
    if (edges.inline[e] === 1) anyInline[callee] = 1;
    else anyCalled[callee] = 1;
  }
  // Only callees of an edge can be marked: visit those, not every site.
  const marks = new Array<InlineMark>(siteCount).fill(null);
  for (let e = 0; e < edges.size; e++) {
    const s = edges.callee[e]!;
    if (anyInline[s] === 1) marks[s] = anyCalled[s] === 1 ? 'partial-inline' : 'inline';
  }
  return marks;
}

/** The caller of `site` whose edge into it grew most (a single profile: holds most), or null. */
export interface LargestCaller {
  readonly caller: number;
  /** The edge's change (current − base), or its value for a single profile. */
  readonly change: number;
}

/**
 * Builds only the edges into `site` over all sides (side 0 the base, 1 the current; one side for
 * a single profile) and returns the caller that grew most, when any grew.
 */
export function largestCaller(sides: readonly ProfileSide[], sites: SiteTable, site: number, filters: SampleFilters = {}): LargestCaller | null {
  const only = new Uint8Array(sites.size);
  only[site] = 1;
  const edges = new CallEdges();
  edges.addSides(sides, sites, filters, only);
  return largestCallerIn(edges, sites, site, sides.length === 1 ? null : { base: 1, current: 1 });
}

/**
 * The caller whose edge into `site` grew most in an edge table already built: weights are sums
 * over each side's `profiles`, so the change is of per-profile means (null: one profile, whose
 * value is what its edge holds).
 */
export function largestCallerIn(edges: CallEdges, sites: SiteTable, site: number, profiles: { readonly base: number; readonly current: number } | null): LargestCaller | null {
  let best: LargestCaller | null = null;
  for (let e = 0; e < edges.size; e++) {
    if (edges.callee[e] !== site) continue;
    const change = profiles === null ? edges.weight[0][e]! : edges.weight[1][e]! / profiles.current - edges.weight[0][e]! / profiles.base;
    if (change <= 0) continue;
    // Ties go to the caller first in name order, so the hint is the same run to run.
    if (best === null || change > best.change || (change === best.change && sites.label(edges.caller[e]!) < sites.label(best.caller))) {
      best = { caller: edges.caller[e]!, change };
    }
  }
  return best;
}
