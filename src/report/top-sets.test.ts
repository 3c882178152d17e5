import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { profileErrorFrom } from '../test-support/profile-error.js';
import { parseGateRule } from './gates.js';
import { top, type TopRow } from './top.js';
import { diffSets } from './top-sets.js';
import { criticalValue } from '../stats/difference.js';
import { studentTCdf, studentTQuantile } from '../stats/student-t.js';

const FLEET = 'testdata/go/fleet';
const pods = [1, 2, 3, 4, 5, 6];
const load = (path: string): Profile => parseProfile(readFileSync(path));
const side = (name: 'base' | 'current') => pods.map((p) => load(`${FLEET}/${name}/pod-${p}.pb.gz`));
const key = (r: Pick<TopRow, 'name' | 'file' | 'line'>) => `${r.name} ${r.file}:${r.line}`;

/** Each profile's flat and cum by site, from `top` on that profile alone. */
function perProfile(profiles: readonly Profile[], granularity: 'functions' | 'lines'): Map<string, { flat: number[]; cum: number[] }> {
  const out = new Map<string, { flat: number[]; cum: number[] }>();
  profiles.forEach((profile, i) => {
    for (const row of top(profile, { granularity, nodeCount: 0 }).rows) {
      const entry = out.get(key(row)) ?? { flat: profiles.map(() => 0), cum: profiles.map(() => 0) };
      entry.flat[i] = row.flat;
      entry.cum[i] = row.cum;
      out.set(key(row), entry);
    }
  });
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const close = (got: number, want: number, scale = Math.abs(want)) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));
/** Σx² − (Σx)²/n loses digits relative to the values, not to their spread. */
const closeSd = (got: number, values: readonly number[]) => close(got, sd(values), Math.max(...values.map(Math.abs)));

describe('diffSets on six real pods before and after', () => {
  const base = side('base');
  const current = side('current');

  it.each(['functions', 'lines'] as const)('rows are per-profile means and spreads, computed by hand from each profile (%s)', (granularity) => {
    const report = diffSets(base, current, { granularity, nodeCount: 0 });
    const byHand = { base: perProfile(base, granularity), current: perProfile(current, granularity) };
    expect(report.rows.length).toBeGreaterThan(10);
    for (const row of report.rows) {
      for (const which of ['base', 'current'] as const) {
        const values = byHand[which].get(key(row)) ?? { flat: pods.map(() => 0), cum: pods.map(() => 0) };
        const got = row[which]!;
        expect(got.n).toBe(6);
        close(got.flat, mean(values.flat));
        close(got.cum, mean(values.cum));
        closeSd(got.flatSd!, values.flat);
        closeSd(got.cumSd!, values.cum);
      }
      close(row.flat, row.current.flat - row.base!.flat);
    }
    const leak = report.rows[0]!;
    expect(leak.name).toBe('main.(*dedupeCache).remember');
    expect(report.base).toMatchObject({ profiles: 6 });
    close(report.base!.total, mean(base.map((p) => top(p, { nodeCount: 0 }).current.total)));
  });

  it('one profile against a set: that side has n = 1 and no spread', () => {
    const report = diffSets([base[0]!], current, { nodeCount: 1 });
    expect(report.base!.profiles).toBe(1);
    expect(report.rows[0]!.base).toMatchObject({ n: 1, flatSd: null, cumSd: null });
    expect(report.rows[0]!.current.n).toBe(6);
  });

  it('paired gives the same means (the test differs, not the estimate)', () => {
    const unpaired = diffSets(base, current, { nodeCount: 0 });
    const paired = diffSets(base, current, { nodeCount: 0, paired: true });
    expect(paired.rows.map(key)).toEqual(unpaired.rows.map(key));
    paired.rows.forEach((row, i) => close(row.flat, unpaired.rows[i]!.flat));
  });

  it('refuses a side that mixes sample types, naming the odd profile in one line', () => {
    const cpu = load('testdata/go/shapes/profiles/cpu.pb.gz');
    expect(profileErrorFrom(() => diffSets(base, [...current.slice(0, 2), cpu])).message).toMatch(/^comparing profiles: current profile 3 has sample types cpu\/nanoseconds, samples\/count, unlike the current side's current profile 1 \(alloc_objects\/count, alloc_space\/bytes, inuse_objects\/count, inuse_space\/bytes\)$/);
  });

  it('takes profiles of the same type names with another default type (an allocs profile) as compatible', () => {
    const allocs = load('testdata/go/leakysvc/profiles/allocs.pb.gz');
    const report = diffSets(base, [...current, allocs], { nodeCount: 0 });
    expect(report.sampleType.type).toBe('inuse_space');
    expect(report.current.profiles).toBe(7);
  });

  it('--paired needs as many profiles on each side', () => {
    expect(profileErrorFrom(() => diffSets(base, current.slice(1), { paired: true })).message).toMatch(/as many base profiles as current ones, not 6 and 5/);
  });
});

describe('diffSets marks inlined sites as top does', () => {
  it('gives one profile per side the marks of top on the same pair, and a fleet the same marks', async () => {
    const { diffProfiles } = await import('../analysis/diff.js');
    const b = load(`${FLEET}/base/pod-1.pb.gz`);
    const c = load(`${FLEET}/current/pod-1.pb.gz`);
    const marks = (rows: readonly TopRow[]) => Object.fromEntries(rows.filter((r) => r.inline || r.partialInline).map((r) => [key(r), r.inline ? 'inline' : 'partial']));
    const pair = marks(top(diffProfiles(b, c), { granularity: 'lines', nodeCount: 0 }).rows);
    expect(Object.keys(pair).length).toBeGreaterThan(0);
    expect(marks(diffSets([b], [c], { granularity: 'lines', nodeCount: 0 }).rows)).toEqual(pair);
    const fleet = marks(diffSets(side('base'), side('current'), { nodeCount: 0 }).rows);
    expect(fleet['main.newSlot :0']).toBe('inline');
  });
});

describe('significance on six real pods (testdata/go/fleet)', () => {
  const base = side('base');
  const current = side('current');
  const row = (rows: readonly TopRow[], k: string) => rows.find((r) => key(r) === k)!;

  it('finds the leak, and leaves the bounded caches within noise (Welch on the per-profile means)', () => {
    const { rows, errorModel } = diffSets(base, current, { granularity: 'lines', nodeCount: 0 });
    expect(errorModel).toBe('spread');
    const leak = row(rows, 'main.(*dedupeCache).remember example.com/leakysvc/cache.go:27');
    expect(leak).toMatchObject({ significant: true });
    expect(leak.pValue!).toBeLessThan(1e-6);
    for (const bounded of [
      'main.(*lruCache).put example.com/leakysvc/lru.go:33', // the 320 B values, 5000 of them in both
      'main.buildTree example.com/leakysvc/recurse.go:19', // the forest: 128 trees in both
      'main.newSlot example.com/leakysvc/inline.go:23', // the slot ring: 4096 slots in both
    ]) {
      expect(row(rows, bounded), bounded).toMatchObject({ significant: false });
    }
    // The LRU's map really grows under insert/delete churn (overflow buckets): found, and small.
    expect(row(rows, 'main.(*lruCache).put example.com/leakysvc/lru.go:36')).toMatchObject({ significant: true });
  });

  it('a real null: three pods against three other pods of the same side find nothing', () => {
    const { rows, total } = diffSets(current.slice(0, 3), current.slice(3), { granularity: 'lines', nodeCount: 0 });
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.significant && (r.flatError ?? 0) > 0)).toEqual([]);
    expect(total!.significant).toBe(false);
  });

  it('--paired tests per-pod changes: the leak is known far more tightly than from the spread between pods', () => {
    const unpaired = diffSets(base, current, { granularity: 'lines', nodeCount: 0 });
    const paired = diffSets(base, current, { granularity: 'lines', nodeCount: 0, paired: true });
    expect(paired.paired).toBe(true);
    const k = 'main.(*dedupeCache).remember example.com/leakysvc/cache.go:27';
    expect(row(paired.rows, k).significant).toBe(true);
    // Each pod's sampled buffers survive into its second snapshot: the pair's change is nearly exact.
    expect(row(paired.rows, k).flatError!).toBeLessThan(row(unpaired.rows, k).flatError! / 5);
    expect(row(paired.rows, 'main.(*lruCache).put example.com/leakysvc/lru.go:33').significant).toBe(false);
  });

  it('--paired tests the total per pair too: Student\'s t on the per-pod total changes, computed by hand', () => {
    const totals = (profiles: readonly Profile[]) => profiles.map((p) => top(p, { nodeCount: 0 }).current.total);
    const b = totals(base);
    const c = totals(current);
    const d = c.map((x, i) => x - b[i]!);
    const t = mean(d) / (sd(d) / Math.sqrt(d.length));
    const pByHand = 2 * (1 - studentTCdf(Math.abs(t), d.length - 1));
    const paired = diffSets(base, current, { paired: true, nodeCount: 1 }).total!;
    const unpaired = diffSets(base, current, { nodeCount: 1 }).total!;
    close(paired.change, mean(d), mean(c));
    expect(Math.abs(paired.pValue! - pByHand)).toBeLessThanOrEqual(1e-12 + 1e-6 * pByHand);
    expect(paired.significant).toBe(true);
    // The error shown is the t interval's half-width over z: |t| · error · z / t(0.975, 5) = mean.
    close((criticalValue(0.95) * paired.error!) / studentTQuantile(0.975, d.length - 1), sd(d) / Math.sqrt(d.length), sd(d));
    // The pods' own totals vary more between pods than each pod's change does.
    expect(paired.error!).toBeLessThan(unpaired.error!);
    // A null pairing (each pod's current snapshot against itself) finds no change in the total.
    expect(diffSets(current, current, { paired: true }).total).toMatchObject({ change: 0, significant: false });
  });

  it('one profile against a set: that side is tested by its sampling model', () => {
    const report = diffSets([base[0]!], current, { granularity: 'lines', nodeCount: 0 });
    expect(row(report.rows, 'main.(*dedupeCache).remember example.com/leakysvc/cache.go:27').significant).toBe(true);
    expect(row(report.rows, 'main.(*lruCache).put example.com/leakysvc/lru.go:33').significant).toBe(false);
    expect(report.total).toMatchObject({ significant: true });
  });

  it('gates count only significant growth on a fleet, as on two profiles', () => {
    const rules = ['site>10kB'];
    const report = diffSets(base, current, { granularity: 'lines', failOn: rules.map((r) => parseGateRule(r)) });
    const breached = report.gates!.failOn.breaches.map((b) => b.site && `${b.site.name} ${b.site.file}:${b.site.line}`);
    expect(breached).toContain('main.(*dedupeCache).remember example.com/leakysvc/cache.go:27');
    // lru.go:33 grew 11.5kB on average, within noise: not a breach.
    expect(breached).not.toContain('main.(*lruCache).put example.com/leakysvc/lru.go:33');
  });
});
