import type { SiteValues } from './aggregate.js';
import { sideEstimate, type SideEstimate } from './side-estimate.js';

/**
 * Σx and Σx² per site over the profiles added so far, growing with the site table. A site a
 * profile lacks adds 0 to both, so the count is the number of profiles for every site, and memory
 * is the size of the site table whatever the number of profiles.
 */
export class SiteMoments {
  sum = new Float64Array(64);
  sumSquares = new Float64Array(64);

  /** Adds one profile's values (indexed by site; shorter than the table when sites came later). */
  add(values: Float64Array): void {
    this.fit(values.length);
    const { sum, sumSquares } = this;
    for (let s = 0; s < values.length; s++) {
      const x = values[s]!;
      if (x === 0) continue;
      sum[s]! += x;
      sumSquares[s]! += x * x;
    }
  }

  /** The finished estimate of site `s` over `n` profiles. */
  estimate(s: number, n: number): SideEstimate {
    return sideEstimate(n, this.sum[s] ?? 0, this.sumSquares[s] ?? 0);
  }

  private fit(size: number): void {
    if (size <= this.sum.length) return;
    const capacity = Math.max(size, this.sum.length * 2);
    const grow = (old: Float64Array) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.sum = grow(this.sum);
    this.sumSquares = grow(this.sumSquares);
  }
}

/** Flat and cum moments of one side (or of per-pair differences), and how many profiles made them. */
export class SideSums {
  n = 0;
  readonly flat = new SiteMoments();
  readonly cum = new SiteMoments();

  add(values: SiteValues): void {
    this.n++;
    this.flat.add(values.flat);
    this.cum.add(values.cum);
  }
}

/** current − base per site, the shorter array padded with zeros: sites seen later were absent. */
export function siteDifference(base: SiteValues, current: SiteValues): SiteValues {
  const minus = (c: Float64Array, b: Float64Array) => {
    const out = new Float64Array(Math.max(c.length, b.length));
    out.set(c);
    for (let s = 0; s < b.length; s++) out[s]! -= b[s]!;
    return out;
  };
  return { flat: minus(current.flat, base.flat), cum: minus(current.cum, base.cum) };
}
