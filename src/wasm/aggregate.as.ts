// Analysis' per-frame and per-sample loops (src/analysis/aggregate.ts, call-edges.ts and
// sampling.ts, whose JavaScript loops are the oracle; aggregate-kernel.ts calls them). Mostly
// aggregation: each sample's value (and extra columns) summed into the flat of its leaf's site
// and the cum of every site on its stack once. The caller copies a run of samples at a time into this memory
// (stack starts, frames, value rows, extra columns), so a call covers samples `first` ..
// `first + count` of the profile: stack starts are the profile's own offsets, and frame k of the
// profile sits at frames + 4·(k − frameBase). Sums are made in the JavaScript loops' order, with
// the same float operations, so the columns are bit for bit the same.
//
// asc: --enable simd
// (sumErrorColumns adds a sample's four numbers to a site as two f64x2 adds: each lane is the
// same IEEE add as the JavaScript's, and the loop ran ~20 % faster on the fat pair.)

/** Where the caller's arrays may start: the end of this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** Zeroes `sites` sums of `width` doubles at flat and cum, and marks every site unseen. */
export function clear(sites: i32, width: i32, seen: usize, flat: usize, cum: usize): void {
  const bytes = <usize>sites * <usize>width * 8;
  memory.fill(flat, 0, bytes);
  memory.fill(cum, 0, bytes);
  memory.fill(seen, 0xff, <usize>sites * 4);
}

/**
 * sumErrorColumns: per site, 4 doubles side by side (value, variance, raw count, |alloc|) in
 * flat4 and cum4. `variance`/`rawCount` 0: no such columns (zeros); allocAt < 0: no alloc column.
 */
export function sumErrorColumns(
  first: i32,
  count: i32,
  stackStart: usize,
  frames: usize,
  frameBase: u32,
  frameSite: usize,
  values: usize,
  stride: i32,
  valueAt: i32,
  allocAt: i32,
  variance: usize,
  rawCount: usize,
  seen: usize,
  flat4: usize,
  cum4: usize,
): void {
  const rowBytes = <usize>stride << 3;
  const valueOffset = <usize>valueAt << 3;
  const allocOffset = <usize>allocAt << 3;
  const hasVariance = variance != 0;
  const hasAlloc = allocAt >= 0;
  let row = values;
  for (let j = 0; j < count; j++, row += rowBytes) {
    const at = <usize>j << 3;
    const v = load<f64>(row + valueOffset);
    const x0 = hasVariance ? load<f64>(variance + at) : 0.0;
    const x1 = hasVariance ? load<f64>(rawCount + at) : 0.0;
    const x2 = hasAlloc ? Math.abs(load<f64>(row + allocOffset)) : 0.0;
    const start = load<u32>(stackStart + (<usize>j << 2));
    const end = load<u32>(stackStart + (<usize>(j + 1) << 2));
    // All zero (the extra columns are never negative), or no stack: nothing to add.
    if (Math.abs(v) + x0 + x1 + x2 == 0 || start == end) continue;
    const stamp = first + j;
    const leaf = frameSite + (<usize>load<u32>(frames + (<usize>(start - frameBase) << 2)) << 2);
    const f = flat4 + (<usize>load<i32>(leaf) << 5);
    const lo = f64x2(v, x0);
    const hi = f64x2(x1, x2);
    v128.store(f, f64x2.add(v128.load(f), lo));
    v128.store(f, f64x2.add(v128.load(f, 16), hi), 16);
    const last = frames + (<usize>(end - frameBase) << 2);
    for (let p = frames + (<usize>(start - frameBase) << 2); p < last; p += 4) {
      const site = load<i32>(frameSite + (<usize>load<u32>(p) << 2));
      const mark = seen + (<usize>site << 2);
      if (load<i32>(mark) == stamp) continue;
      store<i32>(mark, stamp);
      const c = cum4 + (<usize>site << 5);
      v128.store(c, f64x2.add(v128.load(c), lo));
      v128.store(c, f64x2.add(v128.load(c, 16), hi), 16);
    }
  }
}

/**
 * flat4 and cum4 as 8 columns of `sites` doubles at out: flat, cum, flat and cum variance, flat
 * and cum raw count, flat and cum alloc (SiteErrors' columns).
 */
export function splitColumns(sites: i32, flat4: usize, cum4: usize, out: usize): void {
  const column = <usize>sites << 3;
  for (let s = 0; s < sites; s++) {
    const f = flat4 + (<usize>s << 5);
    const c = cum4 + (<usize>s << 5);
    const o = out + (<usize>s << 3);
    store<f64>(o, load<f64>(f));
    store<f64>(o + column, load<f64>(c));
    store<f64>(o + 2 * column, load<f64>(f, 8));
    store<f64>(o + 3 * column, load<f64>(c, 8));
    store<f64>(o + 4 * column, load<f64>(f, 16));
    store<f64>(o + 5 * column, load<f64>(c, 16));
    store<f64>(o + 6 * column, load<f64>(f, 24));
    store<f64>(o + 7 * column, load<f64>(c, 24));
  }
}

/** accumulate (aggregate without filters): the value alone into flat and cum, one double per site. */
export function accumulate(
  first: i32,
  count: i32,
  stackStart: usize,
  frames: usize,
  frameBase: u32,
  frameSite: usize,
  values: usize,
  stride: i32,
  valueAt: i32,
  seen: usize,
  flat: usize,
  cum: usize,
): void {
  const rowBytes = <usize>stride << 3;
  const valueOffset = <usize>valueAt << 3;
  let row = values;
  for (let j = 0; j < count; j++, row += rowBytes) {
    const v = load<f64>(row + valueOffset);
    const start = load<u32>(stackStart + (<usize>j << 2));
    const end = load<u32>(stackStart + (<usize>(j + 1) << 2));
    if (v == 0 || start == end) continue;
    const stamp = first + j;
    const leaf = frameSite + (<usize>load<u32>(frames + (<usize>(start - frameBase) << 2)) << 2);
    const f = flat + (<usize>load<i32>(leaf) << 3);
    store<f64>(f, load<f64>(f) + v);
    const last = frames + (<usize>(end - frameBase) << 2);
    for (let p = frames + (<usize>(start - frameBase) << 2); p < last; p += 4) {
      const site = load<i32>(frameSite + (<usize>load<u32>(p) << 2));
      const mark = seen + (<usize>site << 2);
      if (load<i32>(mark) == stamp) continue;
      store<i32>(mark, stamp);
      const c = cum + (<usize>site << 3);
      store<f64>(c, load<f64>(c) + v);
    }
  }
}

/**
 * profileTotals' sums over `count` samples, continued from the six doubles at out
 * (signed, absolute, variance, raw count, |alloc|, deepest): no frames are read, only stack
 * lengths. `variance` 0: no such columns; allocAt < 0: no alloc column.
 */
export function sumTotals(
  count: i32,
  stackStart: usize,
  values: usize,
  stride: i32,
  valueAt: i32,
  allocAt: i32,
  variance: usize,
  rawCount: usize,
  out: usize,
): void {
  const rowBytes = <usize>stride << 3;
  const valueOffset = <usize>valueAt << 3;
  const allocOffset = <usize>allocAt << 3;
  const hasVariance = variance != 0;
  const hasAlloc = allocAt >= 0;
  let signed = load<f64>(out);
  let absolute = load<f64>(out, 8);
  let varianceSum = load<f64>(out, 16);
  let rawCountSum = load<f64>(out, 24);
  let alloc = load<f64>(out, 32);
  let deepest = load<f64>(out, 40);
  let row = values;
  for (let j = 0; j < count; j++, row += rowBytes) {
    const v = load<f64>(row + valueOffset);
    signed += v;
    absolute += Math.abs(v);
    if (hasVariance) {
      varianceSum += load<f64>(variance + (<usize>j << 3));
      rawCountSum += load<f64>(rawCount + (<usize>j << 3));
    }
    if (hasAlloc) alloc += Math.abs(load<f64>(row + allocOffset));
    if (v != 0) {
      const depth = <f64>(load<u32>(stackStart + (<usize>(j + 1) << 2)) - load<u32>(stackStart + (<usize>j << 2)));
      deepest = Math.max(deepest, depth);
    }
  }
  store<f64>(out, signed);
  store<f64>(out, absolute, 8);
  store<f64>(out, varianceSum, 16);
  store<f64>(out, rawCountSum, 24);
  store<f64>(out, alloc, 32);
  store<f64>(out, deepest, 40);
}

/**
 * call-edges.ts's samplesHolding, first step: flags[f] = onlyInto[frameSite[f]] (bytes) for each
 * of `frames` frames; returns how many are flagged.
 */
export function flagFrames(frames: i32, frameSite: usize, onlyInto: usize, flags: usize): i32 {
  let flagged = 0;
  for (let f = 0; f < frames; f++) {
    const flag = load<u8>(onlyInto + <usize>load<i32>(frameSite + (<usize>f << 2)));
    store<u8>(flags + <usize>f, flag);
    flagged += flag;
  }
  return flagged;
}

/**
 * samplesHolding over one run: appends (as i32 at out, after the `found` already there) each
 * sample whose stack holds a frame flagged 1; returns the new count.
 */
export function samplesHolding(first: i32, count: i32, stackStart: usize, frames: usize, frameBase: u32, flags: usize, out: usize, found: i32): i32 {
  for (let j = 0; j < count; j++) {
    const start = load<u32>(stackStart + (<usize>j << 2));
    const end = load<u32>(stackStart + (<usize>(j + 1) << 2));
    const last = frames + (<usize>(end - frameBase) << 2);
    for (let p = frames + (<usize>(start - frameBase) << 2); p < last; p += 4) {
      if (load<u8>(flags + <usize>load<u32>(p)) == 1) {
        store<i32>(out + (<usize>found << 2), first + j);
        found++;
        break;
      }
    }
  }
  return found;
}

/**
 * call-edges.ts's siteInlineMarks, first step, for one profile: candidates[site] = 1 for the site
 * of each of `frames` frames that is inlined (a byte per frame) and flagged in `only` (a byte per
 * site; 0: every site). Returns whether any was marked.
 */
export function inlineCandidates(frames: i32, frameSite: usize, inlined: usize, only: usize, candidates: usize): bool {
  let any = false;
  for (let f = 0; f < frames; f++) {
    if (load<u8>(inlined + <usize>f) != 1) continue;
    const site = <usize>load<i32>(frameSite + (<usize>f << 2));
    if (only != 0 && load<u8>(only + site) != 1) continue;
    store<u8>(candidates + site, 1);
    any = true;
  }
  return any;
}

/**
 * sampling.ts's bytesModel over one run of `count` samples: each sample's variance and raw count
 * under the 'bytes' model (period R), of the bytes column (`isBytes`) or the objects column, into
 * the `count` doubles at variance and rawCount. The same operations in the same order as the
 * JavaScript, with V8's expm1 (below).
 */
export function bytesModel(count: i32, values: usize, stride: i32, bytesAt: i32, objectsAt: i32, isBytes: bool, R: f64, variance: usize, rawCount: usize): void {
  const rowBytes = <usize>stride << 3;
  const bytesOffset = <usize>bytesAt << 3;
  const objectsOffset = <usize>objectsAt << 3;
  let row = values;
  for (let j = 0; j < count; j++, row += rowBytes) {
    const bytes = Math.abs(load<f64>(row + bytesOffset));
    const objects = Math.abs(load<f64>(row + objectsOffset));
    const x = bytes / objects / R;
    const oddsMissed = 1 / expm1(x);
    const modelled = isBytes ? bytes * (bytes / objects) * oddsMissed : objects * oddsMissed;
    const modelledCount = -objects * expm1(-x);
    const inconsistent = objects == 0 || bytes == 0;
    store<f64>(variance + (<usize>j << 3), inconsistent ? (isBytes ? R * bytes : objects) : modelled);
    store<f64>(rawCount + (<usize>j << 3), inconsistent ? (isBytes ? bytes / R : objects) : modelledCount);
  }
}

const ln2_hi = reinterpret<f64>(0x3FE62E42FEE00000);
const ln2_lo = reinterpret<f64>(0x3DEA39EF35793C76);
const invln2 = reinterpret<f64>(0x3FF71547652B82FE);
const o_threshold = reinterpret<f64>(0x40862E42FEFA39EF);
const Q1 = reinterpret<f64>(0xBFA11111111110F4);
const Q2 = reinterpret<f64>(0x3F5A01A019FE5585);
const Q3 = reinterpret<f64>(0xBF14CE199EAADBB7);
const Q4 = reinterpret<f64>(0x3ED0CFCA86E65239);
const Q5 = reinterpret<f64>(0xBE8AFDB76E09C32D);

function withHigh(high: u32, low: u32): f64 {
  return reinterpret<f64>((<u64>high << 32) | <u64>low);
}

/**
 * e^x − 1 exactly as V8's Math.expm1 computes it (a port of FreeBSD msun's s_expm1.c, from
 * fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc.; permission to use, copy, modify, and
 * distribute this software is freely granted, provided that this notice is preserved).
 * AssemblyScript's Math.expm1 (musl's) rounds differently in about 2 % of arguments, and the
 * variances must be the JavaScript's to the bit. Checked against Math.expm1 on 28M arguments
 * (random bit patterns, every branch's range and its edges) and by aggregate-kernel.test.ts.
 */
function expm1(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  let hx = <u32>(bits >> 32);
  const negative = (hx & 0x80000000) != 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | <u32>bits) != 0) return x + x;
        return negative ? -1.0 : x;
      }
      if (x > o_threshold) return Infinity;
    }
    if (negative) return -1.0;
  }
  let k: i32 = 0;
  let c = 0.0;
  if (hx > 0x3fd62e42) {
    let hi: f64;
    let lo: f64;
    if (hx < 0x3ff0a2b2) {
      if (!negative) {
        hi = x - ln2_hi;
        lo = ln2_lo;
        k = 1;
      } else {
        hi = x + ln2_hi;
        lo = -ln2_lo;
        k = -1;
      }
    } else {
      k = <i32>(invln2 * x + (negative ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * ln2_hi;
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    return x;
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  const twopk = withHigh(<u32>(0x3ff00000 + (k << 20)), 0);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  let y: f64;
  if (k <= -2 || k > 56) {
    y = 1.0 - (e - x);
    if (k == 1024) y = y * 2.0 * 8.98846567431158e307;
    else y = y * twopk;
    return y - 1.0;
  }
  if (k < 20) {
    t = withHigh(0x3ff00000 - (0x200000 >> k), 0);
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = withHigh(<u32>((0x3ff - k) << 20), 0);
    y = x - (e + t);
    y += 1.0;
    y = y * twopk;
  }
  return y;
}
