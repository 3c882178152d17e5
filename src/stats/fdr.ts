import { normalQuantile, normalTwoSidedP } from './normal.js';

/**
 * Benjamini–Hochberg (1995) control of the false discovery rate across m tests: with p-values
 * sorted ascending, reject every p(i) with i ≤ max{ j : p(j) ≤ j·q/m }.
 */
export interface FdrResult {
  /** BH-adjusted p-values (q-values) in the input's order: min over j ≥ i of p(j)·m/j, capped at 1. */
  readonly adjusted: Float64Array;
  /** True where adjusted ≤ q: the discoveries. */
  readonly rejected: boolean[];
}

/**
 * `pValues` in any order; `q` the false discovery rate (e.g. 0.05). NaN entries are not tests:
 * they are left out of m and come back with adjusted NaN and rejected false.
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, q: number): FdrResult {
  if (!(q > 0 && q < 1)) throw new RangeError(`the false discovery rate must be between 0 and 1 (exclusive), not ${q}`);
  const n = pValues.length;
  const sorted = sortedTests(pValues);
  const m = sorted.length;
  // Step-up from the largest p-value: the adjusted value at rank r is min over j ≥ r of p(j)·m/j.
  const byRank = new Float64Array(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    running = Math.min(running, (sorted[rank - 1]! * m) / rank);
    byRank[rank - 1] = running;
  }
  // Tied p-values all get the adjusted value of the last of them (the running minimum passed
  // through it first), so each input finds its own by binary search: no order of indices to sort.
  const adjusted = new Float64Array(n).fill(NaN);
  const rejected: boolean[] = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const p = pValues[i]!;
    if (Number.isNaN(p)) continue;
    adjusted[i] = byRank[upperBound(sorted, p) - 1]!;
    rejected[i] = adjusted[i]! <= q;
  }
  return { adjusted, rejected };
}

/** The p-values that are tests (not NaN), checked and sorted ascending: a typed array sorts natively, with no comparator calls. */
function sortedTests(pValues: ArrayLike<number>): Float64Array {
  const n = pValues.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = pValues[i]!;
    if (Number.isNaN(p)) continue;
    if (p < 0 || p > 1) throw new RangeError(`a p-value must be between 0 and 1, not ${p}`);
    m++;
  }
  const sorted = new Float64Array(m);
  for (let i = 0, j = 0; i < n; i++) if (!Number.isNaN(pValues[i]!)) sorted[j++] = pValues[i]!;
  return sorted.sort();
}

/** The first index of ascending `sorted` whose value is above `p` (its length when none is). */
function upperBound(sorted: Float64Array, p: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * benjaminiHochberg(statistics.map(normalTwoSidedP), q).rejected for two-sided z tests, with
 * p-values computed only where one could be rejected: BH rejects no p-value above q, and a |z|
 * below the critical value z(q) has p > q (the cut sits a millionth below z(q), far beyond
 * rounding, so no p at or below q is skipped). Ranks still count every test. NaN statistics are
 * not tests: their verdict is `untested`. A report ranks thousands of sites, most of them far
 * inside the noise, once per process: one loop over them, the rest over the few candidates.
 */
export function zTestRejections(statistics: Float64Array, q: number, untested = false): boolean[] {
  const n = statistics.length;
  const cut = zTestCut(q);
  const rejected: boolean[] = new Array<boolean>(n).fill(false);
  const candidates: number[] = [];
  let m = 0;
  for (let i = 0; i < n; i++) {
    const z = statistics[i]!;
    if (Number.isNaN(z)) {
      rejected[i] = untested;
      continue;
    }
    m++;
    if (Math.abs(z) >= cut) candidates.push(i);
  }
  return rejectCandidates(statistics, candidates, m, q, rejected);
}

/** The size below which zTestRejections leaves a statistic untested at false discovery rate `q`. */
export function zTestCut(q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`the false discovery rate must be between 0 and 1 (exclusive), not ${q}`);
  return normalQuantile(1 - q / 2) * (1 - 1e-6);
}

/**
 * zTestRejections' step after its scan: of m tests, `candidates` (ascending) are those at least
 * zTestCut(q) in size; marks in `rejected` those Benjamini–Hochberg rejects, and returns it.
 */
export function rejectCandidates(statistics: ArrayLike<number>, candidates: ArrayLike<number>, m: number, q: number, rejected: boolean[]): boolean[] {
  const pValues = new Float64Array(candidates.length);
  for (let j = 0; j < candidates.length; j++) pValues[j] = normalTwoSidedP(statistics[candidates[j]!]!);
  const threshold = stepUpThreshold(pValues.slice().sort(), m, q);
  for (let j = 0; j < candidates.length; j++) if (pValues[j]! <= threshold) rejected[candidates[j]!] = true;
  return rejected;
}

/**
 * The largest p-value BH rejects among the `sorted` smallest of m tests (-Infinity when none):
 * rank j is rejected when p(j)·m/j ≤ q for some j' ≥ j, and tied p-values share that verdict
 * (the last of a tie passes when any does), so a p-value is rejected iff it is at most p(kmax).
 */
function stepUpThreshold(sorted: Float64Array, m: number, q: number): number {
  for (let rank = sorted.length; rank >= 1; rank--) if ((sorted[rank - 1]! * m) / rank <= q) return sorted[rank - 1]!;
  return -Infinity;
}
