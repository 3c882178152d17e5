// Aggregation's per-frame loops (src/analysis/aggregate.ts, whose JavaScript loops are the oracle):
// each sample's value (and extra columns) summed into the flat of its leaf's site and the cum of
// every site on its stack once. The caller copies a run of samples at a time into this memory
// (stack starts, frames, value rows, extra columns), so a call covers samples `first` ..
// `first + count` of the profile: stack starts are the profile's own offsets, and frame k of the
// profile sits at frames + 4·(k − frameBase). Sums are made in the JavaScript loops' order, with
// the same float operations, so the columns are bit for bit the same.

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
    store<f64>(f, load<f64>(f) + v);
    store<f64>(f, load<f64>(f, 8) + x0, 8);
    store<f64>(f, load<f64>(f, 16) + x1, 16);
    store<f64>(f, load<f64>(f, 24) + x2, 24);
    const last = frames + (<usize>(end - frameBase) << 2);
    for (let p = frames + (<usize>(start - frameBase) << 2); p < last; p += 4) {
      const site = load<i32>(frameSite + (<usize>load<u32>(p) << 2));
      const mark = seen + (<usize>site << 2);
      if (load<i32>(mark) == stamp) continue;
      store<i32>(mark, stamp);
      const c = cum4 + (<usize>site << 5);
      store<f64>(c, load<f64>(c) + v);
      store<f64>(c, load<f64>(c, 8) + x0, 8);
      store<f64>(c, load<f64>(c, 16) + x1, 16);
      store<f64>(c, load<f64>(c, 24) + x2, 24);
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
