import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sideEstimate } from './side-estimate.js';
import { SideSums } from './side-sums.js';

/** The textbook two-pass mean and sample standard deviation. */
function twoPass(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (xs.length - 1)) };
}

describe('sideEstimate: mean and spread from n, Σx, Σx²', () => {
  it('agrees with the two-pass formulas on heap-sized values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 33 }), { minLength: 2, maxLength: 50 }), (xs) => {
        const e = sideEstimate(xs.length, xs.reduce((a, b) => a + b, 0), xs.reduce((a, b) => a + b * b, 0));
        const want = twoPass(xs);
        expect(Math.abs(e.mean - want.mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, want.mean));
        // Cancellation in Σx² − (Σx)²/n costs digits: relative to the values' size, not the spread's.
        expect(Math.abs(e.sd - want.sd)).toBeLessThanOrEqual(1e-6 * Math.max(...xs) + 1e-9);
        expect(Math.abs(e.variance - (e.sd * e.sd) / xs.length)).toBeLessThanOrEqual(1e-12 * e.variance);
        expect(e.df).toBe(xs.length - 1);
      }),
    );
  });

  it('keeps an exact zero spread when every profile has the same value, however large', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 2, max: 500 }), (x, n) => {
        const e = sideEstimate(n, n * x, n * x * x);
        expect(e).toEqual({ n, mean: x, sd: 0, variance: 0, df: n - 1 });
      }),
    );
  });

  it('knows no spread from one profile, and nothing from none', () => {
    expect(sideEstimate(1, 42, 42 * 42)).toEqual({ n: 1, mean: 42, sd: 0, variance: NaN, df: 0 });
    expect(sideEstimate(0, 0, 0)).toMatchObject({ n: 0, mean: 0, df: 0 });
    expect(() => sideEstimate(1.5, 0, 0)).toThrow(RangeError);
  });
});

describe('SideSums: per-site sums as profiles arrive', () => {
  it('counts a site missing from a profile (a shorter array: the site came later) as 0', () => {
    const sums = new SideSums();
    sums.add({ flat: Float64Array.of(10), cum: Float64Array.of(10) });
    sums.add({ flat: Float64Array.of(20, 6), cum: Float64Array.of(20, 30) });
    sums.add({ flat: Float64Array.of(30, 0, 9), cum: Float64Array.of(30, 0, 9) });
    expect(sums.n).toBe(3);
    expect(sums.flat.estimate(0, sums.n)).toMatchObject({ mean: 20, sd: 10 });
    expect(sums.flat.estimate(1, sums.n)).toMatchObject({ mean: 2, sd: twoPass([0, 6, 0]).sd });
    expect(sums.cum.estimate(1, sums.n)).toMatchObject({ mean: 10, sd: twoPass([0, 30, 0]).sd });
    expect(sums.flat.estimate(2, sums.n)).toMatchObject({ mean: 3, sd: twoPass([0, 0, 9]).sd });
    // A site no profile had.
    expect(sums.flat.estimate(7, sums.n)).toMatchObject({ mean: 0, sd: 0 });
  });

  it('holds memory by sites, not profiles: 10 000 profiles of 3 sites keep arrays of the initial size', () => {
    const sums = new SideSums();
    for (let i = 0; i < 10_000; i++) sums.add({ flat: Float64Array.of(i, 1, 2), cum: Float64Array.of(i, 1, 2) });
    expect(sums.flat.sum.length).toBe(64);
    expect(sums.flat.estimate(0, sums.n).mean).toBe(4999.5);
  });
});
