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
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = pValues[i]!;
    if (Number.isNaN(p)) continue;
    if (p < 0 || p > 1) throw new RangeError(`a p-value must be between 0 and 1, not ${p}`);
    order.push(i);
  }
  // Ties broken by index so the result never depends on the sort's stability.
  order.sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const m = order.length;
  const adjusted = new Float64Array(n).fill(NaN);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = order[rank - 1]!;
    running = Math.min(running, (pValues[i]! * m) / rank);
    adjusted[i] = running;
  }
  const rejected = Array.from(adjusted, (a) => a <= q);
  return { adjusted, rejected };
}
