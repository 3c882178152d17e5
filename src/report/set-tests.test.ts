import { describe, expect, it } from 'vitest';
import { SideSums } from '../analysis/side-sums.js';
import { setSiteTest, type SetTestInput } from './set-tests.js';

/** Seeded uniform [0, 1) (mulberry32) and standard normals from it (Box–Muller). */
function rng(seed: number): { normal: () => number } {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

/** One site, one value per profile, as the set builder would sum them. */
function sums(values: readonly number[]): SideSums {
  const out = new SideSums();
  for (const v of values) out.add({ flat: Float64Array.of(v), cum: Float64Array.of(v) });
  return out;
}

function input(base: readonly number[], current: readonly number[], paired = false): SetTestInput {
  return {
    baseSums: sums(base),
    currentSums: sums(current),
    pairSums: paired ? sums(current.map((c, i) => c - base[i]!)) : null,
    baseSampling: null,
    currentSampling: null,
  };
}

/** Share of `reps` simulated fleets in which the site's change is found at 95 %. */
function rejectionRate(reps: number, seed: number, draw: (r: ReturnType<typeof rng>) => { base: number[]; current: number[] }, paired = false): number {
  const r = rng(seed);
  let rejected = 0;
  for (let i = 0; i < reps; i++) {
    const { base, current } = draw(r);
    if (setSiteTest(input(base, current, paired), 0, 'flat', 0.95)!.pValue <= 0.05) rejected++;
  }
  return rejected / reps;
}

const pods = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const REPS = 3000;
// Binomial(3000, 0.05) has sd 0.004: ±0.015 is over 3.7 sd.
const NOMINAL = [0.035, 0.065] as const;

describe('set tests by simulation against a known truth', () => {
  it.each([
    [5, 5, 1],
    [3, 8, 1],
    [6, 6, 4], // unequal variances: Welch, not the pooled t, keeps its level
    [20, 2, 0.25],
  ])('Welch: a site that did not change is found in about 5 percent of fleets (n $0 vs $1, sd ratio $2)', (nb, nc, ratio) => {
    const rate = rejectionRate(REPS, 7 + nb * 31 + nc, (r) => ({
      base: pods(nb, () => 1e6 + 5e4 * r.normal()),
      current: pods(nc, () => 1e6 + 5e4 * ratio * r.normal()),
    }));
    expect(rate).toBeGreaterThan(NOMINAL[0]);
    expect(rate).toBeLessThan(NOMINAL[1]);
  });

  it('Welch: a growth of 2 standard errors is found about as often as the t distribution says (power ≈ 0.45 at df ≈ 8)', () => {
    // SE of the difference = sd·√(2/5); a shift of 2·SE has power ≈ 0.44 for t with 8 df at 5 %.
    const se = 5e4 * Math.sqrt(2 / 5);
    const rate = rejectionRate(REPS, 99, (r) => ({ base: pods(5, () => 1e6 + 5e4 * r.normal()), current: pods(5, () => 1e6 + 2 * se + 5e4 * r.normal()) }));
    expect(rate).toBeGreaterThan(0.38);
    expect(rate).toBeLessThan(0.5);
  });

  it('paired: pods that differ a lot from each other but each grew a little are found; unpaired they are not', () => {
    const fleet = (r: ReturnType<typeof rng>) => {
      const level = pods(6, () => 1e6 + 2e5 * r.normal());
      return { base: level.map((l) => l + 5e3 * r.normal()), current: level.map((l) => l + 2e4 + 5e3 * r.normal()) };
    };
    expect(rejectionRate(1000, 5, fleet, true)).toBeGreaterThan(0.95);
    expect(rejectionRate(1000, 5, fleet, false)).toBeLessThan(0.1);
  });

  it('paired: no change is found in about 5 % of fleets', () => {
    const rate = rejectionRate(REPS, 11, (r) => {
      const level = pods(6, () => 1e6 + 2e5 * r.normal());
      return { base: level.map((l) => l + 5e3 * r.normal()), current: level.map((l) => l + 5e3 * r.normal()) };
    }, true);
    expect(rate).toBeGreaterThan(NOMINAL[0]);
    expect(rate).toBeLessThan(NOMINAL[1]);
  });

  it('exact counts, equal in every profile of each side: the difference is exact', () => {
    const grew = setSiteTest(input([4096, 4096, 4096], [8192, 8192]), 0, 'flat', 0.95)!;
    expect(grew).toMatchObject({ change: 4096, standardError: 0, pValue: 0 });
    const same = setSiteTest(input([4096, 4096, 4096], [4096, 4096]), 0, 'flat', 0.95)!;
    expect(same).toMatchObject({ change: 0, standardError: 0, pValue: 1 });
  });

  it('one profile against a set without its sampling model: no test (null), never a made-up one', () => {
    expect(setSiteTest(input([1e6], [1e6, 1.1e6, 0.9e6]), 0, 'flat', 0.95)).toBeNull();
  });
});
