import { describe, expect, it } from 'vitest';
import { Random } from '../test-support/random.js';
import {
  benjaminiHochberg,
  chiSquareQuantile,
  criticalValue,
  normalCdf,
  normalQuantile,
  normalTwoSidedP,
  poissonInterval,
  poissonUpperBound,
  studentTCdf,
  studentTQuantile,
  testDifference,
  welchDf,
} from './index.js';
import { zTestRejections } from './fdr.js';

describe('normal', () => {
  it('matches tabulated values, far into the tail', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(0)).toBe(0.5);
    // P(Z > 8) = 6.22096e-16 (relative precision, where 1 − Φ would round to 0).
    expect(normalTwoSidedP(8) / 2 / 6.220960574271785e-16).toBeCloseTo(1, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
  });

  it('quantile inverts the CDF', () => {
    for (const p of [1e-12, 1e-6, 0.001, 0.02, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 8);
    }
  });
});

describe('Student t', () => {
  it('matches closed forms for df 1 (Cauchy) and df 2', () => {
    for (const t of [-7, -1.3, 0.4, 2, 15]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
  });

  it('matches tabulated critical values and tends to the normal', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281388519649385, 9);
    expect(studentTQuantile(0.975, 3.5)).toBeCloseTo(2.9400886379827282, 9); // scipy.stats.t.ppf
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 9);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 4);
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
  });

  it('stays a probability at any df: a Welch df of 1e15 (one side all sampling variance) is the normal', () => {
    // Found on a fleet diff of one profile against five: df 1.1e15, t −0.97 gave p = −13.
    const welch = testDifference({ value: 886176, variance: 699e9, df: Infinity }, { value: 76396.8, variance: 41943.04, df: 4 });
    expect(welch.df).toBeGreaterThan(1e14);
    expect(welch.pValue).toBeCloseTo(normalTwoSidedP(welch.statistic), 9);
    const random = new Random(7);
    for (let i = 0; i < 2000; i++) {
      const df = 10 ** (3 + 17 * random.next());
      const t = 8 * random.next() - 4;
      const p = 2 * studentTCdf(-Math.abs(t), df);
      expect(p, `df ${df}, t ${t}`).toBeGreaterThanOrEqual(0);
      expect(Math.abs(p - normalTwoSidedP(t)), `df ${df}, t ${t}`).toBeLessThan(20 / df + 1e-9);
    }
  });
});

describe('chi-square and Garwood', () => {
  it('matches tabulated chi-square quantiles', () => {
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841458820694124, 9);
    expect(chiSquareQuantile(0.95, 2)).toBeCloseTo(-2 * Math.log(0.05), 10);
    expect(chiSquareQuantile(0.025, 20)).toBeCloseTo(9.590777392264868, 8);
  });

  it('gives Gehrels\' table', () => {
    expect(poissonInterval(0).lower).toBe(0);
    expect(poissonInterval(0).upper).toBeCloseTo(Math.log(40), 10);
    expect(poissonInterval(1).lower).toBeCloseTo(0.0253178, 6);
    expect(poissonInterval(1).upper).toBeCloseTo(5.5716434, 6);
    expect(poissonInterval(10).lower).toBeCloseTo(4.795389, 5);
    expect(poissonInterval(10).upper).toBeCloseTo(18.390356, 5);
    expect(poissonUpperBound(0)).toBeCloseTo(Math.log(20), 10);
  });

  it('covers every Poisson mean at least at the nominal level (exact sum, not simulation)', () => {
    const limits = Array.from({ length: 80 }, (_, k) => poissonInterval(k, 0.95));
    for (let mean = 0.05; mean < 30; mean += 0.37) {
      let covered = 0;
      let pmf = Math.exp(-mean);
      for (let k = 0; k < 80; k++) {
        if (limits[k]!.lower <= mean && mean <= limits[k]!.upper) covered += pmf;
        pmf *= mean / (k + 1);
      }
      expect(covered).toBeGreaterThanOrEqual(0.95);
    }
  });
});

describe('Benjamini–Hochberg', () => {
  it('rejects by the step-up rule and adjusts monotonically', () => {
    const { adjusted, rejected } = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.9], 0.05);
    // m = 5: 0.005·5 = 0.025, 0.01·5/2 = 0.025, 0.03·5/3 = 0.05, 0.04·5/4 = 0.05, 0.9.
    expect(Array.from(adjusted)).toEqual([0.025, 0.05, 0.05, 0.025, 0.9].map((x) => expect.closeTo(x, 12)));
    expect(rejected).toEqual([true, true, true, true, false]);
    expect(benjaminiHochberg([0.02, 0.03], 0.05).rejected).toEqual([true, true]);
    expect(benjaminiHochberg([0.02, 0.6], 0.05).rejected).toEqual([true, false]);
    expect(benjaminiHochberg([0.03, 0.6], 0.05).rejected).toEqual([false, false]);
  });

  it('gives every p-value the adjusted value of the definition, ties and NaN included', () => {
    // The definition, by brute force: rank the tests (ties by index), adjusted(i) = min over
    // ranks j ≥ rank(i) of p(j)·m/j, capped at 1.
    const naive = (p: number[]) => {
      const order = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]!)).sort((a, b) => p[a]! - p[b]! || a - b);
      const m = order.length;
      return p.map((x, i) => {
        if (Number.isNaN(x)) return NaN;
        let best = 1;
        for (let j = order.indexOf(i) + 1; j <= m; j++) best = Math.min(best, (p[order[j - 1]!]! * m) / j);
        return best;
      });
    };
    const random = new Random(17);
    for (let round = 0; round < 50; round++) {
      // Few distinct values, so ties are common; some NaN.
      const p = Array.from({ length: 1 + Math.floor(random.next() * 40) }, () => (random.next() < 0.1 ? NaN : Math.round(random.next() * 20) / 400));
      const { adjusted, rejected } = benjaminiHochberg(p, 0.05);
      const expected = naive(p);
      expect(Array.from(adjusted)).toEqual(expected);
      expect(rejected).toEqual(expected.map((a) => a <= 0.05));
    }
  });

  it('gives z tests the verdicts of their p-values, computing only those it could reject', () => {
    const random = new Random(29);
    for (let round = 0; round < 200; round++) {
      const q = [0.05, 0.01, 0.2][round % 3]!;
      const critical = normalQuantile(1 - q / 2);
      // Statistics around the critical value (where BH's cut falls), in the noise, far out, tied, NaN, ±∞ and 0.
      const pick = () => {
        const u = random.next();
        if (u < 0.05) return NaN;
        if (u < 0.1) return [0, Infinity, -Infinity][Math.floor(random.next() * 3)]!;
        if (u < 0.4) return critical * (1 + (random.next() - 0.5) * 1e-3) * (random.next() < 0.5 ? -1 : 1);
        if (u < 0.5) return Math.round(random.normal() * 4) / 2;
        return random.normal() * (1 + 3 * random.next());
      };
      const z = Float64Array.from({ length: 1 + Math.floor(random.next() * 60) }, pick);
      const expected = benjaminiHochberg(Array.from(z, normalTwoSidedP), q).rejected;
      expect(zTestRejections(z, q)).toEqual(expected);
    }
  });

  it('leaves NaN out of m', () => {
    const r = benjaminiHochberg([NaN, 0.03, NaN], 0.05);
    expect(r.rejected).toEqual([false, true, false]);
    expect(r.adjusted[1]).toBeCloseTo(0.03, 12);
  });
});

describe('testDifference', () => {
  it('is a z test for known variances', () => {
    const r = testDifference({ value: 10, variance: 9, df: Infinity }, { value: 20, variance: 16, df: Infinity });
    expect(r.change).toBe(10);
    expect(r.standardError).toBe(5);
    expect(r.df).toBe(Infinity);
    expect(r.statistic).toBe(2);
    expect(r.pValue).toBeCloseTo(0.04550026389635842, 12);
    expect(r.halfWidth).toBeCloseTo(5 * 1.959963984540054, 10);
  });

  it('uses Welch–Satterthwaite degrees of freedom', () => {
    const b = { value: 1, variance: 4 / 5, df: 4 };
    const c = { value: 3, variance: 9 / 8, df: 7 };
    const df = (4 / 5 + 9 / 8) ** 2 / ((4 / 5) ** 2 / 4 + (9 / 8) ** 2 / 7);
    expect(welchDf(b, c)).toBeCloseTo(df, 12);
    const r = testDifference(b, c, 0.9);
    expect(r.halfWidth).toBeCloseTo(studentTQuantile(0.95, df) * Math.sqrt(4 / 5 + 9 / 8), 10);
    // A known variance on one side adds no uncertainty about the variance.
    expect(welchDf({ value: 0, variance: 1, df: Infinity }, { value: 0, variance: 1, df: 3 })).toBeCloseTo(12, 12);
  });

  it('handles a zero variance and refuses nonsense', () => {
    const exact = { value: 5, variance: 0, df: Infinity };
    expect(testDifference(exact, exact)).toMatchObject({ change: 0, pValue: 1, halfWidth: 0 });
    expect(testDifference(exact, { ...exact, value: 6 })).toMatchObject({ change: 1, pValue: 0, standardError: 0 });
    expect(() => testDifference(exact, { ...exact, df: 0 })).toThrow(RangeError);
    expect(() => testDifference(exact, { ...exact, variance: -1 })).toThrow(RangeError);
    expect(() => testDifference(exact, exact, 1)).toThrow(RangeError);
    expect(criticalValue(0.99)).toBeCloseTo(2.5758293035489, 10);
  });

  it('Welch: about 5 % false positives for normal data with unequal variances and sizes (2,000 seeded tests)', () => {
    const rng = new Random(13);
    const sample = (n: number, sd: number) => Array.from({ length: n }, () => 100 + sd * rng.normal());
    const estimate = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const s2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
      return { value: mean, variance: s2 / xs.length, df: xs.length - 1 };
    };
    let rejected = 0;
    let covered = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const r = testDifference(estimate(sample(4, 1)), estimate(sample(9, 5)));
      if (r.pValue < 0.05) rejected++;
      if (Math.abs(r.change) <= r.halfWidth) covered++;
    }
    expect(rejected / runs).toBeGreaterThan(0.035);
    expect(rejected / runs).toBeLessThan(0.065);
    expect(covered + rejected).toBe(runs);
  });
});
