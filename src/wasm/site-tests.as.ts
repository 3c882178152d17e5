// A diff report's per-site loops over every site (src/analysis/site-tests-kernel.ts calls them;
// the JavaScript in src/report/top.ts changedSites and significance.ts siteStatistics, and
// stats/fdr.ts zTestRejections, is the oracle): which sites changed, each one's z statistic on
// its sort key, and which statistics Benjamini–Hochberg could reject. A report runs them once per
// process over thousands of sites, where JavaScript runs mostly before it is compiled. The same
// float operations in the same order as the JavaScript: the numbers are the same to the bit.
//
// asc: --importMemory
// (The memory is the aggregate kernel's, src/analysis/site-tests-kernel.ts gives it: a report
// runs this kernel after that one, whose pages are touched already; a memory of its own would
// take ~600 more first touches, at ~3 us each, for the 10k pair's 20,000 sites.)

/** Where the caller's arrays may start: the end of this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

let fallbackCount: i32 = 0;
let testCount: i32 = 0;

/** How many sites `changed` left to the caller (written at `fallback`). */
export function fallbacks(): i32 {
  return fallbackCount;
}

/** How many statistics `candidates` counted as tests (not NaN). */
export function tests(): i32 {
  return testCount;
}

/**
 * The changed sites (flat or cum not 0) of `size`, from 12 columns of `size` doubles at
 * `columns`: base flat, base cum, current flat, current cum, then base flat variance, base cum
 * variance, base flat count, base cum count, and the current's four. Writes each changed site,
 * its flat and cum change, and its statistic on the sort key (cum where `cumSort`, else flat;
 * the other where that change is 0); returns how many. A site whose change or variance is not a
 * finite, non-negative number is listed at `fallback` (by its row) for the caller's general test.
 */
export function changed(size: i32, columns: usize, cumSort: i32, site: usize, flat: usize, cum: usize, z: usize, fallback: usize): i32 {
  const step = <usize>size << 3;
  const baseFlat = columns;
  const baseCum = baseFlat + step;
  const currentFlat = baseCum + step;
  const currentCum = currentFlat + step;
  const baseFlatVariance = currentCum + step;
  const baseCumVariance = baseFlatVariance + step;
  const baseFlatCount = baseCumVariance + step;
  const baseCumCount = baseFlatCount + step;
  const currentFlatVariance = baseCumCount + step;
  const currentCumVariance = currentFlatVariance + step;
  const currentFlatCount = currentCumVariance + step;
  const currentCumCount = currentFlatCount + step;
  const byCum = cumSort != 0;
  let n = 0;
  let lost = 0;
  for (let s = 0; s < size; s++) {
    const at = <usize>s << 3;
    const f = load<f64>(currentFlat + at) - load<f64>(baseFlat + at);
    const c = load<f64>(currentCum + at) - load<f64>(baseCum + at);
    if (f == 0 && c == 0) continue;
    const onCum = byCum != ((byCum ? c : f) == 0);
    const change = onCum ? c : f;
    const bv = load<f64>((onCum ? baseCumVariance : baseFlatVariance) + at);
    const bk = load<f64>((onCum ? baseCumCount : baseFlatCount) + at);
    const cv = load<f64>((onCum ? currentCumVariance : currentFlatVariance) + at);
    const ck = load<f64>((onCum ? currentCumCount : currentFlatCount) + at);
    // sampling.ts correctedVarianceOf and difference.ts zStatistic.
    const k = bk + ck;
    let extra = 0.0;
    if (k > 0) {
      const u = (bv + cv) / k;
      extra = (u * 10.0) / (10.0 + k);
    }
    const variance = bv + extra + (cv + extra);
    const out = <usize>n << 3;
    store<i32>(site + (<usize>n << 2), s);
    store<f64>(flat + out, f);
    store<f64>(cum + out, c);
    if (isFinite(change) && isFinite(variance) && variance >= 0) {
      store<f64>(z + out, variance == 0 ? (change == 0 ? 0.0 : change > 0 ? Infinity : -Infinity) : change / Math.sqrt(variance));
    } else {
      store<f64>(z + out, NaN);
      store<i32>(fallback + (<usize>lost << 2), n);
      lost++;
    }
    n++;
  }
  fallbackCount = lost;
  return n;
}

/** The rows whose statistic (of `count` at `z`) is at least `cut` in size, written at `out`; returns how many. */
export function candidates(count: i32, z: usize, cut: f64, out: usize): i32 {
  let n = 0;
  let m = 0;
  for (let i = 0; i < count; i++) {
    const x = load<f64>(z + (<usize>i << 3));
    if (isNaN(x)) continue;
    m++;
    if (Math.abs(x) >= cut) {
      store<i32>(out + (<usize>n << 2), i);
      n++;
    }
  }
  testCount = m;
  return n;
}

/**
 * report/select.ts leaders over every row: writes at `out` (as i32, ascending) each of the `count`
 * rows whose key (doubles at `key`) is among the k largest (smallestFirst: the k smallest), ties
 * at the k-th included; returns how many, or -1 for a NaN key (the caller's sort orders those
 * its own way). The k-th key is the least (greatest) of the k kept in a sorted run of k doubles at
 * `best`, insertion by insertion: the k-th of a sort of all the keys, without sorting them.
 */
export function leaders(count: i32, key: usize, k: i32, smallestFirst: i32, best: usize, out: usize): i32 {
  if (k <= 0) return 0;
  const low = smallestFirst != 0;
  let kept = 0;
  for (let j = 0; j < count; j++) {
    // Kept ascending (largest) or descending (smallest): best[0] is the k-th so far, the first to go.
    const x = load<f64>(key + (<usize>j << 3));
    if (isNaN(x)) return -1;
    let at: i32;
    if (kept < k) {
      at = kept++;
    } else {
      if (low ? !(x < load<f64>(best)) : !(x > load<f64>(best))) continue;
      // Drop best[0]: shift down the kept ones that x passes.
      at = 0;
      while (at + 1 < k && (low ? load<f64>(best + (<usize>(at + 1) << 3)) > x : load<f64>(best + (<usize>(at + 1) << 3)) < x)) {
        store<f64>(best + (<usize>at << 3), load<f64>(best + (<usize>(at + 1) << 3)));
        at++;
      }
      store<f64>(best + (<usize>at << 3), x);
      continue;
    }
    // Filling: insert x into the sorted run of `at` kept.
    while (at > 0 && (low ? load<f64>(best + (<usize>(at - 1) << 3)) < x : load<f64>(best + (<usize>(at - 1) << 3)) > x)) {
      store<f64>(best + (<usize>at << 3), load<f64>(best + (<usize>(at - 1) << 3)));
      at--;
    }
    store<f64>(best + (<usize>at << 3), x);
  }
  let n = 0;
  if (kept < k) {
    // Fewer rows than k: every one leads.
    for (let j = 0; j < count; j++) store<i32>(out + (<usize>j << 2), j);
    return count;
  }
  const kth = load<f64>(best);
  for (let j = 0; j < count; j++) {
    const x = load<f64>(key + (<usize>j << 3));
    if (low ? x <= kth : x >= kth) {
      store<i32>(out + (<usize>n << 2), j);
      n++;
    }
  }
  return n;
}
