/**
 * Calibration of the error bars by simulation, against a known truth (counts and sizes of live
 * objects per site), sampled as Go's runtime samples (src/test-support/simulate-heap.ts) and
 * measured through the real pipeline: sampleVariances → aggregateWithError → sampledChange.
 * Seeded; every test runs ~2,000 repetitions.
 */
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../stats/fdr.js';
import { Random } from '../test-support/random.js';
import { sampledAllocations, scaleHeapSample, simulatedProfile, type SimSample } from '../test-support/simulate-heap.js';
import { aggregateWithError, type SiteErrors } from './aggregate.js';
import { sampledChange, type ChangeOptions } from './site-change.js';
import { SiteTable } from './sites.js';

const R = 512 * 1024;
const INUSE: [string, string][] = [
  ['inuse_objects', 'count'],
  ['inuse_space', 'bytes'],
];
const HEAP: [string, string][] = [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ...INUSE];

/** Live objects of one site: `count` objects of `size` bytes. */
interface Truth {
  readonly count: number;
  readonly size: number;
}

/** A size a real site might allocate: log-uniform 16 B – 64 KiB, one site in eight 64 KiB – 1 MiB. */
function objectSize(rng: Random): number {
  return rng.next() < 0.125 ? Math.round(65536 * 16 ** rng.next()) : Math.round(16 * 4096 ** rng.next());
}

/** The object count that gives `samples` expected raw samples at `size`. */
function countFor(samples: number, size: number): number {
  return Math.max(1, Math.round(samples / (1 - Math.exp(-size / R))));
}

/** One independent profile of the truth, with inuse columns only. */
function sampleProfile(rng: Random, truth: readonly Truth[]): SimSample[] {
  const out: SimSample[] = [];
  truth.forEach((t, site) => {
    const c = sampledAllocations(rng, t.count, t.size, R);
    if (c > 0) out.push({ site, values: scaleHeapSample(c, t.size, R) });
  });
  return out;
}

interface Measured {
  readonly base: SiteErrors;
  readonly current: SiteErrors;
  /** Site id of site{s}, or −1 when neither profile has a sample of it. */
  readonly ids: Int32Array;
}

function measure(n: number, samplesBase: SimSample[], samplesCurrent: SimSample[], types: [string, string][], typeIndex = types.length - 1 /* inuse_space */): Measured {
  const table = new SiteTable('functions');
  const base = aggregateWithError({ profile: simulatedProfile(n, samplesBase, R, types), typeIndex, sites: table });
  const current = aggregateWithError({ profile: simulatedProfile(n, samplesCurrent, R, types), typeIndex, sites: table });
  const ids = new Int32Array(n).fill(-1);
  for (let id = 0; id < table.size; id++) {
    const name = table.names[id]!;
    if (name.startsWith('site')) ids[Number(name.slice(4))] = id;
  }
  return { base, current, ids };
}

/** The test of site `s` (its flat) between two aggregated sides. */
function changeOf(m: Measured, site: number, options: ChangeOptions = {}) {
  const id = m.ids[site]!;
  const side = (e: SiteErrors) =>
    id < 0
      ? { value: 0, variance: 0, rawCount: 0, alloc: e.flatAlloc ? 0 : null }
      : { value: e.flat[id] ?? 0, variance: e.flatVariance![id] ?? 0, rawCount: e.flatCount![id] ?? 0, alloc: e.flatAlloc ? (e.flatAlloc[id] ?? 0) : null };
  return { appears: id >= 0, ...sampledChange(side(m.base), side(m.current), options) };
}

/** Tables of `sites` sites; each site's expected raw samples drawn from [lo, hi); half the sites unchanged. */
function independentRuns(seed: number, runs: number, sites: number, lo: number, hi: number) {
  const rng = new Random(seed);
  let intervals = 0;
  let covered = 0;
  let nulls = 0;
  let nullRejected = 0;
  for (let r = 0; r < runs; r++) {
    const base: Truth[] = [];
    const current: Truth[] = [];
    for (let s = 0; s < sites; s++) {
      const size = objectSize(rng);
      const count = countFor(lo + (hi - lo) * rng.next(), size);
      base.push({ count, size });
      current.push({ count: s % 2 === 0 ? count : Math.max(1, Math.round(count * 2 ** (2 * rng.next() - 1))), size });
    }
    const m = measure(base.length, sampleProfile(rng, base), sampleProfile(rng, current), INUSE);
    for (let s = 0; s < sites; s++) {
      const t = changeOf(m, s);
      if (!t.appears) continue; // no samples on either side: no row to mislead anyone
      const truth = (current[s]!.count - base[s]!.count) * base[s]!.size;
      intervals++;
      if (Math.abs(t.change - truth) <= t.halfWidth) covered++;
      if (s % 2 === 0) {
        nulls++;
        if (Math.abs(t.statistic) > 1.96) nullRejected++;
      }
    }
  }
  return { coverage: covered / intervals, falsePositives: nullRejected / nulls, intervals };
}

describe('sampling error bars, calibrated by simulation', () => {
  it('independent pairs, ≥ 10 expected samples: the 95 % interval covers 93–97 %, |z| > 1.96 in 4–6 % of null sites', () => {
    const { coverage, falsePositives, intervals } = independentRuns(1301, 2000, 10, 10, 60);
    expect(intervals).toBeGreaterThan(19_000);
    expect(coverage).toBeGreaterThanOrEqual(0.93);
    expect(coverage).toBeLessThanOrEqual(0.97);
    expect(falsePositives).toBeGreaterThanOrEqual(0.04);
    expect(falsePositives).toBeLessThanOrEqual(0.06);
  });

  it('independent pairs, < 10 expected samples: the interval still covers ≥ 93 % (conservative)', () => {
    const { coverage } = independentRuns(1302, 2000, 10, 0.3, 10);
    expect(coverage).toBeGreaterThanOrEqual(0.93);
  });

  it('the --same-process bound covers ≥ 93 % of snapshot pairs of one process, and is tighter than independent', () => {
    const rng = new Random(1303);
    let intervals = 0;
    let covered = 0;
    let tighter = 0;
    for (let r = 0; r < 2000; r++) {
      const sites = 10;
      const base: SimSample[] = [];
      const current: SimSample[] = [];
      const truth: number[] = [];
      for (let s = 0; s < sites; s++) {
        const size = objectSize(rng);
        const p = 1 - Math.exp(-size / R);
        // Objects live at the base snapshot, allocations freed before it, and between the snapshots:
        // new objects (some kept), some of the old ones freed.
        const live = countFor(2 + 60 * rng.next(), size);
        const garbage = countFor(40 * rng.next(), size);
        const added = countFor(20 * rng.next(), size);
        const freedOld = Math.floor(live * 0.5 * rng.next());
        const addedKept = Math.floor(added * rng.next());
        const cLive = sampledAllocations(rng, live, size, R);
        const cGarbage = sampledAllocations(rng, garbage, size, R);
        const cAddedKept = sampledAllocations(rng, addedKept, size, R);
        const cAddedFreed = sampledAllocations(rng, added - addedKept, size, R);
        // Which sampled live objects were freed: each old object is freed with the same chance.
        const cFreed = rng.binomial(cLive, freedOld / live);
        const push = (out: SimSample[], alloc: number, inuse: number) => {
          if (alloc > 0) out.push({ site: s, values: [...scaleHeapSample(alloc, size, R), ...scaleHeapSample(inuse, size, R)] });
        };
        push(base, cLive + cGarbage, cLive);
        push(current, cLive + cGarbage + cAddedKept + cAddedFreed, cLive - cFreed + cAddedKept);
        truth.push((addedKept - freedOld) * size);
        void p;
      }
      const m = measure(sites, base, current, HEAP);
      for (let s = 0; s < sites; s++) {
        const t = changeOf(m, s, { sameProcess: true });
        if (!t.appears) continue;
        intervals++;
        if (Math.abs(t.change - truth[s]!) <= t.halfWidth) covered++;
        if (t.halfWidth < changeOf(m, s).halfWidth) tighter++;
      }
    }
    expect(covered / intervals).toBeGreaterThanOrEqual(0.93);
    expect(tighter / intervals).toBeGreaterThan(0.5);
  });

  it('alloc_* with --same-process: Var(Δalloc) = ρ·Δalloc (only the new allocations were sampled anew) covers ≥ 93 %, far tighter', () => {
    const rng = new Random(1306);
    let intervals = 0;
    let covered = 0;
    let independentCovered = 0;
    let tighter = 0;
    for (let r = 0; r < 2000; r++) {
      const sites = 10;
      const base: SimSample[] = [];
      const current: SimSample[] = [];
      const truth: number[] = [];
      for (let s = 0; s < sites; s++) {
        const size = objectSize(rng);
        // Allocated before the base snapshot (a long run: many samples), and between the two.
        const before = countFor(20 + 200 * rng.next(), size);
        const between = countFor(60 * rng.next(), size);
        const cBefore = sampledAllocations(rng, before, size, R);
        const cBetween = sampledAllocations(rng, between, size, R);
        // inuse: a tenth of everything still held, sampled or not alike.
        const held = (c: number) => rng.binomial(c, 0.1);
        const heldBefore = held(cBefore);
        const push = (out: SimSample[], alloc: number, inuse: number) => {
          if (alloc > 0) out.push({ site: s, values: [...scaleHeapSample(alloc, size, R), ...scaleHeapSample(inuse, size, R)] });
        };
        push(base, cBefore, heldBefore);
        push(current, cBefore + cBetween, heldBefore + held(cBetween));
        truth.push(between * size);
      }
      const m = measure(sites, base, current, HEAP, 1); // alloc_space
      for (let s = 0; s < sites; s++) {
        const t = changeOf(m, s, { sameProcess: true });
        if (!t.appears) continue;
        const independent = changeOf(m, s);
        intervals++;
        if (Math.abs(t.change - truth[s]!) <= t.halfWidth) covered++;
        if (Math.abs(independent.change - truth[s]!) <= independent.halfWidth) independentCovered++;
        if (t.halfWidth < independent.halfWidth) tighter++;
      }
    }
    expect(covered / intervals).toBeGreaterThanOrEqual(0.93);
    expect(covered / intervals).toBeLessThanOrEqual(0.98);
    // The independent formula counts the shared past twice: it over-covers, and is wider.
    expect(independentCovered / intervals).toBeGreaterThan(0.99);
    expect(tighter / intervals).toBeGreaterThan(0.9);
  });

  it('--same-process on a counter that went down: not one process, so the independent error', () => {
    const side = (bytes: number) => ({ value: bytes, variance: R * bytes, rawCount: bytes / R, alloc: bytes });
    const [base, current] = [side(100 * R), side(90 * R)];
    expect(sampledChange(base, current, { sameProcess: true })).toEqual(sampledChange(base, current));
    const grown = side(110 * R);
    expect(sampledChange(base, grown, { sameProcess: true }).standardError).toBeLessThan(0.5 * sampledChange(base, grown).standardError);
  });

  /** `runs` tables of 100 sites (1–31 expected samples each); `grow(base)` gives the current truth. */
  function tables(seed: number, grow: (base: Truth[]) => Truth[], each: (rejected: boolean[]) => void) {
    const rng = new Random(seed);
    for (let r = 0; r < 2000; r++) {
      const base: Truth[] = [];
      for (let s = 0; s < 100; s++) {
        const size = objectSize(rng);
        base.push({ count: countFor(1 + 30 * rng.next(), size), size });
      }
      const current = grow(base);
      const m = measure(100, sampleProfile(rng, base), sampleProfile(rng, current), INUSE);
      const p = base.map((_, s) => {
        const t = changeOf(m, s);
        return t.appears && t.change !== 0 ? t.pValue : NaN; // unchanged sites are no rows
      });
      each(benjaminiHochberg(p, 0.05).rejected);
    }
  }

  it('Benjamini–Hochberg: ≤ 5 % of null tables (100 sites, 2,000 tables) have any significant row', () => {
    let any = 0;
    tables(1304, (base) => base, (rejected) => {
      if (rejected.some(Boolean)) any++;
    });
    expect(any / 2000).toBeLessThanOrEqual(0.05);
  });

  it('Benjamini–Hochberg: one site grown by 6σ among 100 null sites is flagged ≥ 95 % of the time', () => {
    // Site 0: small objects, ~20 expected samples, grown by 6σ of the independent difference:
    // Var(B̂) = ρ·B with ρ the variance per byte, so d = 6·√(ρ·(2B + d)).
    const size = 64;
    const rho = size / Math.expm1(size / R);
    const before = countFor(20, size) * size;
    const grow = 18 * rho + Math.sqrt(324 * rho * rho + 72 * rho * before);
    let found = 0;
    tables(
      1305,
      (base) => {
        base[0] = { count: before / size, size };
        return base.map((t, s) => (s === 0 ? { count: Math.round((before + grow) / size), size } : t));
      },
      (rejected) => {
        if (rejected[0]) found++;
      },
    );
    expect(found / 2000).toBeGreaterThanOrEqual(0.95);
  });
});
