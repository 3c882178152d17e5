import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { encodeProfile, heap, type ProfileSpec } from '../test-support/build-profile.js';
import { renderTrendText } from '../render/text-trend.js';
import { trend, type TrendReport, type TrendRow } from './trend.js';

const go = (n: number) => parseProfile(readFileSync(`testdata/go/leakysvc/profiles/heap-0${n}.pb.gz`));
const snapshots = [1, 2, 3, 4, 5, 6, 7, 8].map(go);
const parse = (spec: ProfileSpec): Profile => parseProfile(encodeProfile(spec));

function row(report: TrendReport, name: string): TrendRow {
  const found = report.rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row ${name}`);
  return found;
}

describe('trend on the real leakysvc snapshots (inuse_space, by function)', () => {
  const report = trend(snapshots, { nodeCount: 0 });

  it('tells the leak, the LRU, the batch and the secondary leaks apart', () => {
    expect(row(report, 'main.(*dedupeCache).remember').verdict).toBe('leak');
    expect(row(report, 'main.(*lruCache).put').verdict).toBe('plateau');
    expect(row(report, 'main.(*batcher).add').verdict).toBe('sawtooth');
    // The request ids the dedupe map keeps as keys: a small leak of its own.
    expect(row(report, 'main.newRequest').verdict).toBe('leak');
    // The ring and the forest fill up by snapshot 3-4.
    expect(row(report, 'main.newSlot').verdict).toBe('plateau');
    expect(row(report, 'main.buildTree').verdict).toBe('plateau');
  });

  it('never calls the per-request garbage a leak', () => {
    // scratchChecksum holds nothing after a GC: it is not even a row in inuse_space.
    expect(report.rows.some((r) => r.name === 'main.scratchChecksum')).toBe(false);
    const allocs = trend(snapshots, { nodeCount: 0, sampleIndex: 'alloc_space' });
    expect(allocs.verdicts.leak).toBe(0);
    expect(row(allocs, 'main.scratchChecksum').verdict).toBe('growing');
    expect(allocs.warnings.join()).toMatch(/alloc_space counts allocations.*no site is called a leak/);
  });

  it('alloc_space rows are tested first → last too: only the allocations in between were sampled anew', () => {
    const allocs = trend(snapshots, { nodeCount: 0, sampleIndex: 'alloc_space' });
    const scratch = row(allocs, 'main.scratchChecksum');
    // Var(Δalloc) ≈ ρ·Δalloc with ρ ≤ R = 512 B: a 1σ error of at most √(512·Δ).
    expect(scratch.netError!).toBeGreaterThan(0);
    expect(scratch.netError!).toBeLessThanOrEqual(Math.sqrt(512 * scratch.net) * 1.01);
    expect(scratch.significant).toBe(true);
    expect(allocs.rows.every((r) => r.netError !== null)).toBe(true);
    // Far tighter than two independent profiles' √(V_first + V_last) ≈ √(512·(first + last)).
    const [first, last] = [scratch.series[0]!, scratch.series.at(-1)!];
    expect(scratch.netError!).toBeLessThan(0.95 * Math.sqrt(512 * (first + last)));
  });

  it('retains ~all it allocates for the leak and nothing for the churn', () => {
    expect(row(report, 'main.(*dedupeCache).remember').retained).toBeGreaterThan(0.95);
    expect(row(report, 'main.(*batcher).add').retained).toBeLessThan(0.05);
    const scratch = row(trend(snapshots, { nodeCount: 0, sampleIndex: 'alloc_space' }), 'main.scratchChecksum');
    expect(scratch.retained).toBe(0);
    expect(scratch.net).toBeGreaterThan(80e6);
    // Whole heap: 64.1 MB more in use of 190.1 MB allocated over the window.
    expect(report.retained).toBeCloseTo((76654245 - 12564014) / (215243898 - 25104820), 12);
  });

  it('puts leaks first, by slope, and the slope is in bytes per second', () => {
    expect(report.rows.slice(0, 3).map((r) => r.name)).toEqual(['main.(*dedupeCache).remember', 'strconv.formatBits', 'main.newRequest']);
    const leak = row(report, 'main.(*dedupeCache).remember');
    // ~8.2 MB per snapshot, snapshots ~1.1 s apart.
    expect(leak.slope).toBeGreaterThan(7e6);
    expect(leak.slope).toBeLessThan(8e6);
    expect(leak).toMatchObject({ rose: 7, fell: 0, series: expect.any(Array) });
    expect(leak.series).toHaveLength(8);
    expect(leak.r2).toBeGreaterThan(0.99);
  });

  it('counts every verdict before -n cuts the rows', () => {
    const cut = trend(snapshots, { nodeCount: 2 });
    expect(cut.rows).toHaveLength(2);
    expect(cut.totalRows).toBe(report.totalRows);
    expect(cut.verdicts).toEqual(report.verdicts);
    expect(Object.values(report.verdicts).reduce((a, b) => a + b)).toBe(report.totalRows);
  });

  it('follows cum only when asked: then the callers of the leak grow too', () => {
    expect(report.rows.some((r) => r.name === 'main.main')).toBe(false);
    expect(row(trend(snapshots, { nodeCount: 0, value: 'cum' }), 'main.main').verdict).toBe('leak');
  });

  it('works by line', () => {
    const lines = trend(snapshots, { nodeCount: 0, granularity: 'lines' });
    expect(lines.rows[0]).toMatchObject({ name: 'main.(*dedupeCache).remember', file: 'example.com/leakysvc/cache.go', line: 27, verdict: 'leak' });
  });
});

describe('snapshot order', () => {
  it('follows time_nanos, whatever the argument order', () => {
    const shuffled = [5, 2, 8, 1, 7, 3, 6, 4];
    const report = trend(shuffled.map((n) => snapshots[n - 1]!), { nodeCount: 0 });
    expect(report.warnings).toEqual([]);
    expect(report.slopePer).toBe('second');
    expect(report.snapshots.map((s) => shuffled[s.index])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(report.rows).toEqual(trend(snapshots, { nodeCount: 0 }).rows);
  });

  it('falls back to argument order, per snapshot, with a warning when times are missing', () => {
    const grow = (mb: number): ProfileSpec => ({ samples: [heap(['main.leak@m.go:1'], mb << 20)], period: 512 });
    const report = trend([parse(grow(3)), parse(grow(1)), parse(grow(2))]);
    expect(report.slopePer).toBe('snapshot');
    expect(report.warnings[0]).toMatch(/capture times are missing or equal: snapshots are taken in argument order/);
    expect(report.rows[0]!.series).toEqual([3 << 20, 1 << 20, 2 << 20]);
    expect(report.rows[0]!.slope).toBe(-(1 << 19));
  });
});

describe('projection to a memory limit', () => {
  // A leak of exactly 1 MiB every 10 s beside a steady 10 MiB cache, at a fine sampling period.
  const T0 = 1_700_000_000_000_000_000;
  const MiB = 1 << 20;
  const at = (k: number): Profile =>
    parse({
      timeNanos: BigInt(T0) + BigInt(k) * 10_000_000_000n,
      period: 512,
      samples: [heap(['main.leak@m.go:1', 'main.main@m.go:9'], (k + 1) * MiB, (k + 1) * MiB), heap(['main.cache@m.go:5'], 10 * MiB, 10 * MiB)],
    });
  const profiles = [0, 1, 2, 3, 4].map(at);

  it('projects when the heap reaches the limit at the leaks\' slope', () => {
    const report = trend(profiles, { limit: 25 * MiB });
    expect(row(report, 'main.leak')).toMatchObject({ verdict: 'leak', slope: MiB / 10, r2: 1, retained: 1 });
    expect(row(report, 'main.cache').verdict).toBe('stable');
    const p = report.projection!;
    // 15 MiB in the last snapshot; 10 MiB to go at 0.1 MiB/s.
    expect(p).toMatchObject({ limit: 25 * MiB, heap: 15 * MiB, rate: MiB / 10 });
    expect(p.after).toBeCloseTo(100, 9);
    expect(p.atNanos! - profiles[4]!.timeNanos).toBeCloseTo(100e9, -3);
  });

  it('says when the limit is already reached, or when nothing leaks', () => {
    expect(trend(profiles, { limit: 15 * MiB }).projection!.after).toBe(0);
    expect(trend(profiles, { limit: 25 * MiB, ignore: 'leak' }).projection).toMatchObject({ rate: 0, after: null, atNanos: null });
  });

  it('refuses a limit on a sample type that is not memory in use', () => {
    expect(() => trend(profiles, { limit: MiB, sampleIndex: 'alloc_space' })).toThrow(/memory limit is projected on memory in use/);
    expect(() => trend(profiles, { limit: MiB, sampleIndex: 'inuse_objects' })).toThrow(/not on inuse_objects/);
  });
});

describe('noise floor', () => {
  const MiB = 1 << 20;
  // 4 KiB objects sampled at the default 512 KiB: one period is 128 of them.
  const at = (k: number, period = 512 * 1024): Profile =>
    parse({
      timeNanos: BigInt(1_700_000_000 + k) * 1_000_000_000n,
      period,
      samples: [{ stack: ['main.leak@m.go:1'], values: [k * 1024, k * 4 * MiB, k * 1024, k * 4 * MiB] }],
    });

  it('is one sampling period in bytes, or in the site\'s objects for an object count', () => {
    const bytes = trend([1, 2, 3].map((k) => at(k)));
    expect(bytes.rows[0]!.noiseFloor).toBeCloseTo(3 * Math.sqrt(512 * 1024 * 12 * MiB), 6);
    const objects = trend([1, 2, 3].map((k) => at(k)), { sampleIndex: 'inuse_objects' });
    expect(objects.rows[0]!.noiseFloor).toBeCloseTo(3 * Math.sqrt(128 * 3072), 9);
    expect(objects.rows[0]!.verdict).toBe('leak');
  });

  it('warns when the sampling period changed between snapshots', () => {
    expect(trend([at(1), at(2, 512), at(3)]).warnings).toEqual([
      'the sampling period changed between snapshots (512 to 524288): values are not comparable; the noise floor uses the largest',
    ]);
  });
});

describe('bad input', () => {
  it('needs three snapshots and one sample type in all of them', () => {
    expect(() => trend(snapshots.slice(0, 2))).toThrow(/at least 3 snapshots, got 2/);
    const cpu = parse({ sampleTypes: [['samples', 'count']], samples: [] });
    expect(() => trend([snapshots[0]!, cpu, snapshots[1]!])).toThrow(/snapshot 2 \(in argument order\) has no sample type inuse_space: it has samples/);
  });
});

describe('trend without an objects column', () => {
  it('falls back to the bound R·bytes and says so; with one, the sizes are used and nothing is said', () => {
    const snapshot = (k: number) =>
      parse({ sampleTypes: [['inuse_space', 'bytes']], period: 4096, timeNanos: (k + 1) * 1e9, samples: [{ stack: ['main.leak@leak.go:3'], values: [(k + 1) * 1 << 20] }] });
    const bound = trend([0, 1, 2].map(snapshot));
    expect(bound.errorModel).toBe('bytes-bound');
    // The bound: √(R·b) per snapshot, so first → last under one process is at most √(R·(b₀ + b₂)) plus the small-count term.
    expect(bound.total.error!).toBeGreaterThanOrEqual(Math.sqrt(4096 * ((1 << 20) + (3 << 20))) * 0.99);
    expect(renderTrendText(bound)).toContain('Errors:   no objects column, so each ± is an upper bound (R·bytes)');
    const real = trend(snapshots);
    expect(real.errorModel).toBe('bytes');
    expect(renderTrendText(real)).not.toContain('upper bound');
  });
});
