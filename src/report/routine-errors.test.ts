import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routineSides } from '../analysis/routine-sums.js';
import { SiteTable } from '../analysis/sites.js';
import { parseProfile } from '../decode/parse.js';
import { diffProfiles } from '../analysis/diff.js';
import type { Profile } from '../model/profile.js';
import { criticalValue } from '../stats/difference.js';
import { Random } from '../test-support/random.js';
import { sampledAllocations, scaleHeapSample } from '../test-support/simulate-heap.js';
import { aggregateSets } from '../analysis/profile-set.js';
import { list } from './list.js';
import { listOfSets } from './list-sets.js';

/**
 * A routine's header error (`list`), calibrated by simulation against a known truth: Go's sampling
 * of a recursive routine `rec`, whose cum header counts a sample once per distinct line of `rec` on
 * its stack (pprof's sum over lines), so the error must count that sample's variance m² times.
 */
const R = 512 * 1024;
const strings = ['', 'main', 'rec', 'other', 'sim.go'];
// Frames: rec:10 (allocates), rec:20 (calls itself or other), other:7 (allocates), main:5.
const FRAMES = { name: [2, 2, 3, 1], line: [10, 20, 7, 5] };
/** Stacks, leaf first: recursive (rec on the stack at 2 distinct lines), rec calling other, rec called directly. */
const STACKS = [
  [0, 1, 1, 3],
  [2, 1, 3],
  [0, 3],
];
/** How often each stack's bytes count in rec's flat and cum headers. */
const FLAT_TIMES = [1, 0, 1];
const CUM_TIMES = [2, 1, 1];

interface Truth {
  readonly count: number;
  readonly size: number;
}

function sampledProfile(rng: Random, truth: readonly Truth[]): Profile {
  const stacks: number[][] = [];
  const values: number[] = [];
  truth.forEach((t, k) => {
    const c = sampledAllocations(rng, t.count, t.size, R);
    if (c === 0) return;
    stacks.push(STACKS[k]!);
    values.push(...scaleHeapSample(c, t.size, R));
  });
  const stackStart = new Uint32Array(stacks.length + 1);
  stacks.forEach((s, i) => (stackStart[i + 1] = stackStart[i]! + s.length));
  const n = FRAMES.name.length;
  return {
    strings,
    sampleTypes: [
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    defaultSampleType: 1,
    periodType: { type: 'space', unit: 'bytes' },
    period: R,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    mainBinary: '',
    frames: { count: n, name: Int32Array.from(FRAMES.name), file: new Int32Array(n).fill(4), line: Int32Array.from(FRAMES.line), startLine: new Int32Array(n), inlined: new Uint8Array(n) },
    samples: { count: stacks.length, stackStart, stackFrames: Uint32Array.from(stacks.flat()), values: Float64Array.from(values), fromBase: null },
  };
}

const bytes = (truth: readonly Truth[], times: readonly number[]) => truth.reduce((sum, t, k) => sum + times[k]! * t.count * t.size, 0);

describe("a routine's header error, by simulation", () => {
  it('recursion: the 95 % intervals of flat and cum cover the true change 93–97 %; summing the lines’ variances would not', () => {
    const rng = new Random(1313);
    const runs = 2000;
    const z = criticalValue(0.95);
    let flatCovered = 0;
    let cumCovered = 0;
    let linesCovered = 0;
    for (let r = 0; r < runs; r++) {
      // Small objects on the recursive stack dominate: ~30–60 expected samples each side.
      const base: Truth[] = [
        { count: Math.round((20 + 20 * rng.next()) * (R / 64)), size: 64 },
        { count: Math.round(5 + 10 * rng.next()), size: 200_000 },
        { count: Math.round((5 + 5 * rng.next()) * (R / 1024)), size: 1024 },
      ];
      const current = base.map((t) => ({ ...t, count: Math.round(t.count * 2 ** (2 * rng.next() - 0.5)) }));
      const report = list(diffProfiles(sampledProfile(rng, base), sampledProfile(rng, current)), '^rec$');
      const rec = report.routines[0]!;
      expect(rec.name).toBe('rec');
      if (Math.abs(rec.flat - (bytes(current, FLAT_TIMES) - bytes(base, FLAT_TIMES))) <= z * rec.flatError!) flatCovered++;
      const cumTruth = bytes(current, CUM_TIMES) - bytes(base, CUM_TIMES);
      if (Math.abs(rec.cum - cumTruth) <= z * rec.cumError!) cumCovered++;
      // The tempting shortcut: the header's error from its lines' errors, as if they were independent.
      const linesError = Math.sqrt(rec.lines.reduce((sum, l) => sum + (l.cumError ?? 0) ** 2, 0));
      if (Math.abs(rec.cum - cumTruth) <= z * linesError) linesCovered++;
    }
    expect(flatCovered / runs).toBeGreaterThanOrEqual(0.93);
    expect(flatCovered / runs).toBeLessThanOrEqual(0.97);
    expect(cumCovered / runs).toBeGreaterThanOrEqual(0.93);
    expect(cumCovered / runs).toBeLessThanOrEqual(0.97);
    expect(linesCovered / runs).toBeLessThan(0.9);
  });

  it('flat sums disjoint samples: its error is the lines’ errors added in quadrature, and a verdict comes with it', () => {
    const rng = new Random(7);
    const base = [
      { count: 30 * (R / 64), size: 64 },
      { count: 10, size: 200_000 },
      { count: 8 * (R / 1024), size: 1024 },
    ];
    const current = base.map((t, k) => ({ ...t, count: k === 0 ? 4 * t.count : t.count }));
    const report = list(diffProfiles(sampledProfile(rng, base), sampledProfile(rng, current)), '^rec$');
    const rec = report.routines[0]!;
    const quadrature = Math.sqrt(rec.lines.reduce((sum, l) => sum + (l.flatError ?? 0) ** 2, 0));
    // Not equal: each line gets its own small-count correction; within a percent at these counts.
    expect(rec.flatError! / quadrature).toBeGreaterThan(0.99);
    expect(rec.flatError! / quadrature).toBeLessThan(1.01);
    expect(rec.significant).toBe(true);
    expect(rec.pValue!).toBeLessThan(1e-6);
    expect(report.testedRoutines).toBe(3);
    // One profile: an error, no verdict.
    const one = list(sampledProfile(rng, base), '^rec$').routines[0]!;
    expect(one.cumError!).toBeGreaterThan(0);
    expect(one.significant).toBeNull();
  });
});

describe("a routine's header over sets of profiles (listOfSets), by simulation", () => {
  /** One process's allocations: every stack's count varies from process to process, then Go samples them. */
  const fleet = (rng: Random, truth: readonly Truth[], n: number) =>
    Array.from({ length: n }, () => sampledProfile(rng, truth.map((t) => ({ ...t, count: Math.round(t.count * Math.exp(0.25 * rng.normal())) }))));
  const truth: Truth[] = [
    { count: 40 * (R / 64), size: 64 },
    { count: 10, size: 200_000 },
    { count: 8 * (R / 1024), size: 1024 },
  ];

  it('no change: the header’s p-value is below 0.05 in 2–8 % of runs; its ± covers 93–97 %, summing the lines’ would not', () => {
    const rng = new Random(2718);
    const runs = 300;
    let flagged = 0;
    let cumCovered = 0;
    let linesCovered = 0;
    for (let r = 0; r < runs; r++) {
      const set = aggregateSets(fleet(rng, truth, 8), fleet(rng, truth, 8), { granularity: 'lines' });
      const rec = listOfSets(set, '^rec$').routines[0]!;
      expect(rec.name).toBe('rec');
      // Uncorrected: Benjamini–Hochberg across rec, other and main would lower the rate below 5 %.
      if (rec.pValue! < 0.05) flagged++;
      // The ± shown: errors of sets are scaled so that z times them is the t interval's half-width.
      const z = criticalValue(0.95);
      if (Math.abs(rec.cum) <= z * rec.cumError!) cumCovered++;
      // The recursive stack puts one sample on both of rec's lines: their errors are not independent.
      if (Math.abs(rec.cum) <= z * Math.sqrt(rec.lines.reduce((sum, l) => sum + (l.cumError ?? 0) ** 2, 0))) linesCovered++;
    }
    expect(flagged / runs).toBeGreaterThanOrEqual(0.02);
    expect(flagged / runs).toBeLessThanOrEqual(0.08);
    expect(cumCovered / runs).toBeGreaterThanOrEqual(0.93);
    expect(cumCovered / runs).toBeLessThanOrEqual(0.97);
    expect(linesCovered / runs).toBeLessThan(0.9);
  });

  it('a doubled routine is found, and the header’s error is the spread of the per-profile totals', () => {
    const rng = new Random(31);
    const base = fleet(rng, truth, 6);
    const current = fleet(rng, truth.map((t, k) => (k === 0 ? { ...t, count: 2 * t.count } : t)), 6);
    const rec = listOfSets(aggregateSets(base, current, { granularity: 'lines' }), '^rec$').routines[0]!;
    expect(rec.significant).toBe(true);
    const totals = (profiles: readonly Profile[]) => profiles.map((p) => list(p, '^rec$').routines[0]!.cum);
    const variance = (xs: readonly number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
    };
    const [vb, vc] = [variance(totals(base)) / 6, variance(totals(current)) / 6];
    const df = (vb + vc) ** 2 / (vb ** 2 / 5 + vc ** 2 / 5);
    const shown = (Math.sqrt(vb + vc) * criticalValue(0.95, df)) / criticalValue(0.95);
    expect(Math.abs(rec.cumError! - shown)).toBeLessThanOrEqual(1e-9 * shown);
  });
});

describe("a routine's header, recomputed from the samples", () => {
  it('counts each sample as often as pprof’s sum over lines does, under every filter (deep.pb.gz: main.descend recurses, two lines on one stack)', () => {
    const load = (f: string) => parseProfile(readFileSync(f));
    const pairs = [
      ['testdata/go/tenants/profiles/heap-01.pb.gz', 'testdata/go/tenants/profiles/heap-06.pb.gz'],
      ['testdata/go/leakysvc/profiles/heap-01.pb.gz', 'testdata/go/shapes/profiles/deep.pb.gz'],
    ] as const;
    let checked = 0;
    for (const [a, b] of pairs) {
      for (const filters of [{}, { hide: 'runtime' }, { focus: 'main', ignore: 'sync' }, { hide: 'main\\.(small|buildTree)' }]) {
        const base = load(a);
        const current = load(b);
        const report = list(diffProfiles(base, current), '.', filters);
        const sites = new SiteTable('lines');
        sites.siteOfFrames(base);
        sites.siteOfFrames(current);
        const ids = new Map<string, number>();
        const routineOf = new Int32Array(sites.size);
        for (let s = 0; s < sites.size; s++) {
          const key = `${sites.names[s]}\0${sites.files[s]}`;
          if (!ids.has(key)) ids.set(key, ids.size);
          routineOf[s] = ids.get(key)!;
        }
        const type = (p: Profile) => p.sampleTypes.findIndex((t) => t.type === report.sampleType.type);
        const b0 = routineSides(base, type(base), sites, routineOf, ids.size, filters);
        const c0 = routineSides(current, type(current), sites, routineOf, ids.size, filters);
        for (const r of report.routines) {
          const i = ids.get(`${r.name}\0${r.file}`)!;
          expect(c0.flat[i]!.value - b0.flat[i]!.value).toBeCloseTo(r.flat, 3);
          expect(c0.cum[i]!.value - b0.cum[i]!.value).toBeCloseTo(r.cum, 3);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
