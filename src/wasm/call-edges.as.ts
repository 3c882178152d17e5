// CallEdges.addInto (src/analysis/call-edges.ts, its oracle) for a set of profiles: a fleet's
// `top` walks every sample of every profile for the edges into its inlined and helper sites,
// ~6-7 ms a profile of 10k samples in JavaScript on the main thread, which a fleet waits for.
// The edge table lives in this module's memory across the set's profiles; ids are given in the
// order edges are first met, and weights summed in the same order: the same table as the
// JavaScript's, to the bit. src/analysis/call-edges-kernel.ts drives it.

// Bump allocation from the heap base; a region outgrown is left behind (a set's tables are small).
let top: usize = __heap_base;

function alloc(bytes: u64): usize {
  const start = (<u64>top + 15) & ~(<u64>15);
  const end = start + bytes;
  if (end > 0xffff0000) unreachable();
  const have = (<u64>memory.size()) << 16;
  if (end > have) {
    if (memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
  }
  top = <usize>end;
  return <usize>start;
}

// The edges: caller and callee sites, a weight per side, inline (1 while every sample that made
// it had the callee inlined), the stamp of the last sample that added to it; `slots` finds an
// edge by its two sites (id + 1 per slot, 0 empty).
let capacity: u32 = 0;
let size: u32 = 0;
let caller: usize = 0;
let callee: usize = 0;
let weight0: usize = 0;
let weight1: usize = 0;
let inline: usize = 0;
let seen: usize = 0;
let slots: usize = 0;
let mask: u32 = 0;
let stamp: i32 = 0;

// One profile's input, written by the caller at the places prepare() gives.
let inputFrames: u32 = 0;
let inputSamples: u32 = 0;
let inputStackFrames: u32 = 0;
let inputValues: u32 = 0;
let stackStartAt: usize = 0;
let stackFramesAt: usize = 0;
let valuesAt: usize = 0;
let frameSiteAt: usize = 0;
let intoFrameAt: usize = 0;
let inlinedAt: usize = 0;
let lastCallerAt: usize = 0;
let lastEdgeAt: usize = 0;

/** Room for a profile of `samples` samples (`values` doubles), `stackFrames` stack entries and `frames` frames. */
export function prepare(samples: u32, values: u32, stackFrames: u32, frames: u32): void {
  if (capacity == 0) grow();
  // The first profile makes them even when empty: stackStart always has its first entry.
  if (stackStartAt == 0 || samples > inputSamples || stackFrames > inputStackFrames) {
    inputSamples = max(samples, inputSamples);
    inputStackFrames = max(stackFrames, inputStackFrames);
    stackStartAt = alloc((<u64>inputSamples + 1) * 4);
    stackFramesAt = alloc(<u64>inputStackFrames * 4);
  }
  if (values > inputValues) {
    inputValues = values;
    valuesAt = alloc(<u64>inputValues * 8);
  }
  if (frames > inputFrames) {
    inputFrames = frames;
    frameSiteAt = alloc(<u64>inputFrames * 4);
    intoFrameAt = alloc(<u64>inputFrames);
    inlinedAt = alloc(<u64>inputFrames);
    lastCallerAt = alloc(<u64>inputFrames * 4);
    lastEdgeAt = alloc(<u64>inputFrames * 4);
  }
}

export function stackStart(): usize {
  return stackStartAt;
}
export function stackFramesIn(): usize {
  return stackFramesAt;
}
export function values(): usize {
  return valuesAt;
}
export function frameSite(): usize {
  return frameSiteAt;
}
export function intoFrame(): usize {
  return intoFrameAt;
}
export function inlined(): usize {
  return inlinedAt;
}

function grow(): void {
  const next: u32 = capacity == 0 ? 1024 : capacity * 2;
  const c = alloc(<u64>next * 4);
  const e = alloc(<u64>next * 4);
  const w0 = alloc(<u64>next * 8);
  const w1 = alloc(<u64>next * 8);
  const n = alloc(<u64>next);
  const s = alloc(<u64>next * 4);
  const slotCount: u32 = next * 2;
  const sl = alloc(<u64>slotCount * 4);
  memory.fill(w0, 0, next * 8);
  memory.fill(w1, 0, next * 8);
  memory.fill(s, 0, next * 4);
  memory.fill(sl, 0, slotCount * 4);
  if (capacity > 0) {
    memory.copy(c, caller, size * 4);
    memory.copy(e, callee, size * 4);
    memory.copy(w0, weight0, size * 8);
    memory.copy(w1, weight1, size * 8);
    memory.copy(n, inline, size);
    memory.copy(s, seen, size * 4);
  }
  caller = c;
  callee = e;
  weight0 = w0;
  weight1 = w1;
  inline = n;
  seen = s;
  slots = sl;
  mask = slotCount - 1;
  capacity = next;
  for (let id: u32 = 0; id < size; id++) place(load<i32>(caller + (<usize>id << 2)), load<i32>(callee + (<usize>id << 2)), id);
}

/** Both sites mixed into every bit (murmur3's finaliser): sites are small consecutive ints. */
@inline function hash(a: i32, b: i32): u32 {
  let h = <u32>a * 0x9e3779b1 + <u32>b;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

function place(a: i32, b: i32, id: u32): void {
  let slot = hash(a, b) & mask;
  while (load<u32>(slots + (<usize>slot << 2)) != 0) slot = (slot + 1) & mask;
  store<u32>(slots + (<usize>slot << 2), id + 1);
}

/** The edge's id, made when new (CallEdges.edgeOf). */
function edgeOf(a: i32, b: i32): u32 {
  let slot = hash(a, b) & mask;
  for (;;) {
    const found = load<u32>(slots + (<usize>slot << 2));
    if (found == 0) break;
    const id = found - 1;
    if (load<i32>(caller + (<usize>id << 2)) == a && load<i32>(callee + (<usize>id << 2)) == b) return id;
    slot = (slot + 1) & mask;
  }
  if (size == capacity) {
    grow();
    return edgeOf(a, b);
  }
  const id = size++;
  store<i32>(caller + (<usize>id << 2), a);
  store<i32>(callee + (<usize>id << 2), b);
  store<u8>(inline + id, 1);
  store<u32>(slots + (<usize>slot << 2), id + 1);
  return id;
}

/**
 * CallEdges.addInto over the profile prepare() made room for: `count` samples, `stride` values a
 * sample, the value at `typeIndex`, `frames` frames, to side `side`'s weights.
 */
export function addInto(count: u32, stride: u32, typeIndex: u32, frames: u32, side: i32): void {
  memory.fill(lastCallerAt, 0xff, frames * 4);
  for (let i: u32 = 0; i < count; i++) {
    const v = load<f64>(valuesAt + ((<usize>i * stride + typeIndex) << 3));
    if (v == 0) continue;
    stamp++;
    const start = load<i32>(stackStartAt + (<usize>i << 2));
    for (let k = load<i32>(stackStartAt + ((<usize>i + 1) << 2)) - 2; k >= start; k--) {
      const frame = load<i32>(stackFramesAt + (<usize>k << 2));
      if (load<u8>(intoFrameAt + frame) != 1) continue;
      const parentFrame = load<i32>(stackFramesAt + ((<usize>k + 1) << 2));
      const site = load<i32>(frameSiteAt + (<usize>frame << 2));
      const parent = load<i32>(frameSiteAt + (<usize>parentFrame << 2));
      if (site == parent) continue;
      let id: u32;
      if (load<i32>(lastCallerAt + (<usize>frame << 2)) == parentFrame) id = load<u32>(lastEdgeAt + (<usize>frame << 2));
      else {
        id = edgeOf(parent, site);
        store<i32>(lastCallerAt + (<usize>frame << 2), parentFrame);
        store<u32>(lastEdgeAt + (<usize>frame << 2), id);
      }
      if (load<i32>(seen + (<usize>id << 2)) == stamp) continue;
      store<i32>(seen + (<usize>id << 2), stamp);
      // Read again per edge: edgeOf may have grown the table.
      const w = (side == 0 ? weight0 : weight1) + (<usize>id << 3);
      store<f64>(w, load<f64>(w) + v);
      if (load<u8>(inlinedAt + frame) == 0) store<u8>(inline + id, 0);
    }
  }
}

/** The table, read back by the caller: how many edges, then where each column is. */
export function edgeCount(): u32 {
  return size;
}
export function callers(): usize {
  return caller;
}
export function callees(): usize {
  return callee;
}
export function weights(side: i32): usize {
  return side == 0 ? weight0 : weight1;
}
export function inlines(): usize {
  return inline;
}
