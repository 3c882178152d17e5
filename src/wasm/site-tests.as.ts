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
