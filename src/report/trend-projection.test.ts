/**
 * The `--limit` projection's interval, calibrated by simulation: snapshots of ONE process whose
 * sampled objects stay sampled until freed, sampled as Go's runtime samples
 * (src/test-support/simulate-heap.ts), measured through the real `trend`. Seeded.
 */
import { describe, expect, it } from 'vitest';
import { fitSlopeError, randomWalkSlopeFactor } from '../analysis/trend.js';
import { renderTrendText } from '../render/text-trend.js';
import { criticalValue } from '../stats/difference.js';
import type { Profile } from '../model/profile.js';
import { Random } from '../test-support/random.js';
import { sampledAllocations, scaleHeapSample, simulatedProfile, type SimSample } from '../test-support/simulate-heap.js';
import { trend } from './trend.js';

const R = 512 * 1024;
const HEAP: [string, string][] = [
  ['alloc_objects', 'count'],
  ['alloc_space', 'bytes'],
  ['inuse_objects', 'count'],
  ['inuse_space', 'bytes'],
];

/** A site of the simulated process: objects of `size` bytes; `leak` new ones per second never freed, or `live` of them with `churn` replaced per second. */
interface Site {
  readonly size: number;
  readonly leak: number;
  readonly live: number;
  readonly churn: number;
}

/**
 * `n` snapshots one second apart of a process running `sites`. Each site keeps its count of
 * sampled live objects and of sampled allocations: a sampled object stays sampled until freed.
 */
function process(rng: Random, sites: readonly Site[], n: number): Profile[] {
  const live = sites.map((s) => sampledAllocations(rng, s.live, s.size, R));
  const allocated = [...live];
  const out: Profile[] = [];
  for (let k = 0; k < n; k++) {
    if (k > 0) {
      sites.forEach((s, i) => {
        const fresh = sampledAllocations(rng, s.leak + s.churn, s.size, R);
        const freed = s.churn > 0 ? rng.binomial(live[i]!, s.churn / s.live) : 0;
        live[i] = live[i]! + fresh - freed;
        allocated[i] = allocated[i]! + fresh;
      });
    }
    const samples: SimSample[] = [];
    sites.forEach((s, i) => {
      if (allocated[i]! > 0) samples.push({ site: i, values: [...scaleHeapSample(allocated[i]!, s.size, R), ...scaleHeapSample(live[i]!, s.size, R)] });
    });
    out.push({ ...simulatedProfile(sites.length, samples, R, HEAP), timeNanos: (k + 1) * 1e9 });
  }
  return out;
}

describe('trend --limit: the interval of the leaks’ rate and of the time to the limit', () => {
  it('the random-walk factor is 1/T² for three even snapshots and tends to 1.2/T² for many', () => {
    expect(randomWalkSlopeFactor([0, 1, 2]) * 4).toBeCloseTo(1, 12);
    const many = Array.from({ length: 400 }, (_, k) => k);
    expect(randomWalkSlopeFactor(many) * 399 ** 2).toBeCloseTo(1.2, 2);
  });

  /**
   * `runs` simulated processes of `n` snapshots: two leaks (small objects, and large ones sampled
   * one in ~8) with 140–560 and 40–200 expected samples over the window, and four churning caches
   * that hold steady. How often the rate's interval covers the true rate, and how often the plain
   * least-squares interval of the same fit would have (t on n − 2 degrees of freedom).
   */
  function coverage(seed: number, n: number, runs: number) {
    const rng = new Random(seed);
    let tested = 0;
    let covered = 0;
    let naive = 0;
    let skipped = 0;
    let never = 0;
    const times = Array.from({ length: n }, (_, k) => k);
    for (let r = 0; r < runs; r++) {
      const leaks: Site[] = [
        { size: 512, leak: Math.round(((140 + 420 * rng.next()) * R) / 512 / (n - 1)), live: 4000, churn: 0 },
        { size: 65536, leak: Math.round((350 + 1400 * rng.next()) / (n - 1)), live: 100, churn: 0 },
      ];
      const caches: Site[] = Array.from({ length: 4 }, () => ({ size: 256 << Math.floor(8 * rng.next()), leak: 0, live: 40000, churn: 8000 }));
      const sites = [...leaks, ...caches];
      const report = trend(process(rng, sites, n), { limit: 1e15, nodeCount: 0 });
      const verdicts = new Map(report.rows.map((row) => [row.name, row.verdict]));
      // The interval is about the rate of what was called a leak: runs that called a cache a leak,
      // or missed a leak, test the verdicts, not the interval.
      if (!sites.every((s, i) => (verdicts.get(`site${i}`) === 'leak') === s.leak > 0)) {
        skipped++;
        continue;
      }
      const p = report.projection!;
      const truth = leaks.reduce((sum, s) => sum + s.leak * s.size, 0);
      tested++;
      const inside = p.rateLow! <= truth && truth <= p.rateHigh!;
      if (inside) covered++;
      if (p.afterHigh === null) never++;
      // The time interval is the rate's turned over: it brackets the time at the true rate.
      const atTruth = (p.heapLimit - p.heap) / truth;
      if (inside) {
        expect(p.afterLow!).toBeLessThanOrEqual(atTruth * (1 + 1e-12));
        if (p.afterHigh !== null) expect(atTruth).toBeLessThanOrEqual(p.afterHigh * (1 + 1e-12));
      }
      const leaking = report.rows.filter((row) => row.verdict === 'leak');
      const summed = times.map((_, k) => leaking.reduce((sum, row) => sum + row.series[k]!, 0));
      if (Math.abs(p.rate - truth) <= criticalValue(0.95, n - 2) * fitSlopeError(times, summed, p.rate)) naive++;
    }
    return { tested, skipped, covered: covered / tested, naive: naive / tested, never: never / tested };
  }

  it('covers the true rate 93–98 % of the time at 95 % (one process, 8 snapshots, 2,000 runs); least squares alone would not', () => {
    const c = coverage(1313, 8, 2000);
    expect(c.skipped).toBeLessThan(100);
    expect(c.covered).toBeGreaterThanOrEqual(0.93);
    expect(c.covered).toBeLessThanOrEqual(0.98);
    // The correlated residuals of one process: the fit's own interval covers far too rarely.
    expect(c.naive).toBeLessThan(0.8);
    expect(c.never).toBe(0);
  });

  it('--cum: a leaking caller holds its leaking callees, so the rate is their union, not their slopes summed; it covers 93–98 %', () => {
    const rng = new Random(1316);
    const n = 8;
    let tested = 0;
    let covered = 0;
    let summedCovered = 0;
    let callerLeaks = 0;
    for (let r = 0; r < 1000; r++) {
      const leaks: Site[] = [
        { size: 512, leak: Math.round(((140 + 420 * rng.next()) * R) / 512 / (n - 1)), live: 4000, churn: 0 },
        { size: 65536, leak: Math.round((350 + 1400 * rng.next()) / (n - 1)), live: 100, churn: 0 },
      ];
      const caches: Site[] = Array.from({ length: 4 }, () => ({ size: 256 << Math.floor(8 * rng.next()), leak: 0, live: 40000, churn: 8000 }));
      const sites = [...leaks, ...caches];
      // Every simulated stack is [site, main]: by cum, main holds everything its callees do.
      const report = trend(process(rng, sites, n), { limit: 1e15, nodeCount: 0, value: 'cum' });
      const verdicts = new Map(report.rows.map((row) => [row.name, row.verdict]));
      if (!sites.every((s, i) => (verdicts.get(`site${i}`) === 'leak') === s.leak > 0)) continue;
      tested++;
      if (verdicts.get('main') === 'leak') callerLeaks++;
      const p = report.projection!;
      const truth = leaks.reduce((sum, s) => sum + s.leak * s.size, 0);
      if (p.rateLow! <= truth && truth <= p.rateHigh!) covered++;
      // The double count this avoids: main's slope plus its callees' slopes.
      const summed = report.rows.filter((row) => row.verdict === 'leak').reduce((sum, row) => sum + row.slope, 0);
      if (Math.abs(summed - truth) <= p.rateHigh! - p.rate) summedCovered++;
    }
    expect(tested).toBeGreaterThan(900);
    expect(callerLeaks / tested).toBeGreaterThan(0.9);
    expect(covered / tested).toBeGreaterThanOrEqual(0.93);
    expect(covered / tested).toBeLessThanOrEqual(0.98);
    expect(summedCovered / tested).toBeLessThan(0.1);
  });

  it('the total first → last: its 95 % interval covers the true change ≥ 93 %; a steady heap is within noise ≥ 93 %', () => {
    const rng = new Random(1317);
    const n = 5;
    let covered = 0;
    let quiet = 0;
    const runs = 500;
    for (let r = 0; r < runs; r++) {
      const leak: Site = { size: 512, leak: Math.round((rng.next() * 200 * R) / 512 / (n - 1)), live: 4000, churn: 0 };
      const caches: Site[] = Array.from({ length: 4 }, () => ({ size: 256 << Math.floor(8 * rng.next()), leak: 0, live: 40000, churn: 8000 }));
      const report = trend(process(rng, [leak, ...caches], n), { nodeCount: 0 });
      const z = criticalValue(report.confidence);
      if (Math.abs(report.total.change - leak.leak * leak.size * (n - 1)) <= z * report.total.error!) covered++;
      const steady = trend(process(rng, caches, n), { nodeCount: 0 });
      if (!steady.total.significant) quiet++;
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.93);
    expect(quiet / runs).toBeGreaterThanOrEqual(0.93);
  });

  it('three snapshots: conservative (the fit has 1 degree of freedom), never below 93 %', () => {
    const c = coverage(1314, 3, 1000);
    expect(c.skipped).toBeLessThan(50);
    expect(c.covered).toBeGreaterThanOrEqual(0.93);
  });

  it('three snapshots of a small leak: the limit may never be reached, and the text says so', () => {
    const rng = new Random(1315);
    let leaks = 0;
    let never = 0;
    let said = '';
    for (let r = 0; r < 400; r++) {
      // ~40 expected samples over the window: a leak, but three points cannot pin its pace.
      const sites: Site[] = [
        { size: 1024, leak: Math.round((20 * R) / 1024), live: 2000, churn: 0 },
        { size: 4096, leak: 0, live: 40000, churn: 8000 },
      ];
      const report = trend(process(rng, sites, 3), { limit: 1e15, nodeCount: 0 });
      if (report.rows.find((row) => row.name === 'site0')?.verdict !== 'leak') continue;
      leaks++;
      const p = report.projection!;
      expect(p.rateLow! <= 0).toBe(p.afterHigh === null);
      if (p.afterHigh === null) {
        never++;
        said = renderTrendText(report);
      }
    }
    expect(leaks).toBeGreaterThan(20);
    expect(never).toBeGreaterThan(0);
    expect(said).toMatch(/^Limit: .* reached in about .* \(95%: from .*, or never: the leaks' rate may be 0\) at the leaks' /m);
  });
});
