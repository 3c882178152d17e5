import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { aggregateSets } from '../analysis/profile-set.js';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { profileErrorFrom } from '../test-support/profile-error.js';
import { criticalValue } from '../stats/difference.js';
import { list } from './list.js';
import { listOfSets } from './list-sets.js';
import { peek, type PeekEdge } from './peek.js';
import { peekOfSets } from './peek-sets.js';
import { diffSets, topOfSets } from './top-sets.js';

const FLEET = 'testdata/go/fleet';
const pods = [1, 2, 3, 4, 5, 6];
const load = (path: string): Profile => parseProfile(readFileSync(path));
const side = (name: 'base' | 'current') => pods.map((p) => load(`${FLEET}/${name}/pod-${p}.pb.gz`));

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const close = (got: number, want: number, scale = Math.abs(want)) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, scale));

/** Per profile, from `list` on that profile alone: each line's flat and cum (0 where the profile lacks it). */
function linesByHand(profiles: readonly Profile[], regex: string): Map<string, { flat: number[]; cum: number[] }> {
  const out = new Map<string, { flat: number[]; cum: number[] }>();
  profiles.forEach((profile, i) => {
    for (const routine of list(profile, regex).routines) {
      for (const line of routine.lines) {
        if (line.flat === 0 && line.cum === 0) continue;
        const key = `${routine.name} ${routine.file}:${line.line}`;
        const entry = out.get(key) ?? { flat: profiles.map(() => 0), cum: profiles.map(() => 0) };
        entry.flat[i] = line.flat;
        entry.cum[i] = line.cum;
        out.set(key, entry);
      }
    }
  });
  return out;
}

/** Per profile, from `peek` on that profile alone: what flows through each edge (0 where the profile lacks it). */
function edgesByHand(profiles: readonly Profile[], regex: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (key: string, i: number, v: number) => {
    const entry = out.get(key) ?? profiles.map(() => 0);
    entry[i] = v;
    out.set(key, entry);
  };
  profiles.forEach((profile, i) => {
    for (const entry of peek(profile, regex).entries) {
      for (const e of entry.callers) add(`${e.name} → ${entry.name}`, i, e.cum);
      for (const e of entry.callees) add(`${entry.name} → ${e.name}`, i, e.cum);
    }
  });
  return out;
}

describe('listOfSets on six real pods before and after (testdata/go/fleet)', () => {
  const base = side('base');
  const current = side('current');
  const regex = 'dedupeCache|lruCache';
  const report = listOfSets(aggregateSets(base, current, { granularity: 'lines' }), regex);

  it('gives each line the per-profile means and spreads of that line, computed from each profile alone', () => {
    const byHand = { base: linesByHand(base, regex), current: linesByHand(current, regex) };
    let sampled = 0;
    for (const routine of report.routines) {
      for (const line of routine.lines) {
        const key = `${routine.name} ${routine.file}:${line.line}`;
        if (!byHand.base.has(key) && !byHand.current.has(key)) {
          expect([line.flat, line.cum]).toEqual([0, 0]);
          continue;
        }
        sampled++;
        for (const which of ['base', 'current'] as const) {
          const values = byHand[which].get(key) ?? { flat: pods.map(() => 0), cum: pods.map(() => 0) };
          const got = line[which]!;
          expect(got.n).toBe(6);
          close(got.flat, mean(values.flat));
          close(got.cum, mean(values.cum));
          close(got.flatSd!, sd(values.flat), Math.max(...values.flat));
        }
        close(line.flat, line.current.flat - line.base!.flat);
      }
    }
    expect(sampled).toBeGreaterThanOrEqual(3);
    expect(report.base!.profiles).toBe(6);
    expect(report.routines.map((r) => r.name)).toEqual(expect.arrayContaining(['main.(*dedupeCache).remember', 'main.(*lruCache).put']));
  });

  it('keeps the routine context of a single profile, and the totals sum the lines', () => {
    const remember = report.routines.find((r) => r.name === 'main.(*dedupeCache).remember')!;
    const one = list(current[0]!, regex).routines.find((r) => r.name === remember.name)!;
    expect(remember.startLine).toBe(one.startLine);
    expect(remember.lines.map((l) => l.line)).toEqual(one.lines.map((l) => l.line));
    close(remember.flat, remember.lines.reduce((a, l) => a + l.flat, 0));
    close(remember.current.flat, mean(current.map((p) => list(p, 'remember$').routines[0]!.flat)));
  });

  it('its lines are the rows topOfSets tests on the same set: the leak line significant, the bounded LRU values not', () => {
    const rows = topOfSets(aggregateSets(base, current, { granularity: 'lines' }), { nodeCount: 0 }).rows;
    const row = (file: string, line: number) => rows.find((r) => r.file.endsWith(file) && r.line === line)!;
    const leak = report.routines.find((r) => r.name.endsWith('remember'))!.lines.find((l) => l.flat > 30e6)!;
    expect(row('cache.go', leak.line)).toMatchObject({ flat: leak.flat, base: leak.base, current: leak.current, significant: true });
    expect(row('lru.go', 33).significant).toBe(false);
    // Each line carries its row's test: the leak and the LRU's growing map significant, the bounded LRU values not.
    const lru = listOfSets(aggregateSets(base, current, { granularity: 'lines' }), 'lruCache\\)\\.put$').routines[0]!.lines;
    const line = (n: number) => lru.find((l) => l.line === n)!;
    expect(leak).toMatchObject({ significant: true, flatError: row('cache.go', leak.line).flatError, pValue: row('cache.go', leak.line).pValue });
    expect(line(33)).toMatchObject({ significant: false, flatError: row('lru.go', 33).flatError });
    expect(line(36)).toMatchObject({ significant: true, pValue: row('lru.go', 36).pValue });
  });

  it('tests each routine header on the per-pod totals: Welch by hand, per pair with paired, and the pair’s list with one pod a side', () => {
    const totals = (profiles: readonly Profile[], name: string) => profiles.map((p) => list(p, regex).routines.find((r) => r.name === name) ?? { flat: 0, cum: 0 });
    const variance = (xs: readonly number[]) => sd(xs) ** 2;
    for (const name of ['main.(*dedupeCache).remember', 'main.(*lruCache).put']) {
      const header = report.routines.find((r) => r.name === name)!;
      for (const key of ['flat', 'cum'] as const) {
        const b = totals(base, name).map((t) => t[key]);
        const c = totals(current, name).map((t) => t[key]);
        // Welch: the standard error and its degrees of freedom; shown scaled by t/z, as the rows are.
        const [vb, vc] = [variance(b) / 6, variance(c) / 6];
        const df = (vb + vc) ** 2 / (vb ** 2 / 5 + vc ** 2 / 5);
        close(header[`${key}Error`]!, (Math.sqrt(vb + vc) * criticalValue(0.95, df)) / criticalValue(0.95));
        const paired = listOfSets(aggregateSets(base, current, { granularity: 'lines', paired: true }), regex).routines.find((r) => r.name === name)!;
        close(paired[`${key}Error`]!, ((sd(c.map((x, i) => x - b[i]!)) / Math.sqrt(6)) * criticalValue(0.95, 5)) / criticalValue(0.95));
      }
    }
    expect(report.routines.find((r) => r.name.endsWith('remember'))).toMatchObject({ significant: true });
    expect(report.testedRoutines).toBeGreaterThanOrEqual(report.routines.length);
    const one = listOfSets(aggregateSets(base.slice(0, 1), current.slice(0, 1), { granularity: 'lines' }), regex);
    const pair = list(diffProfiles(base[0]!, current[0]!), regex);
    expect(one.routines.map((r) => [r.name, r.flatError, r.cumError, r.pValue, r.significant])).toEqual(pair.routines.map((r) => [r.name, r.flatError, r.cumError, r.pValue, r.significant]));
    expect(one.testedRoutines).toBe(pair.testedRoutines);
  });

  it('needs sets aggregated by lines, and says so in one line', () => {
    const byFunction = aggregateSets(base.slice(0, 2), current.slice(0, 2));
    expect(profileErrorFrom(() => listOfSets(byFunction, 'x')).message).toBe("invalid option: listOfSets needs sets aggregated by lines (granularity: 'lines'), not by functions");
    expect(profileErrorFrom(() => listOfSets(base as never, 'x')).message).toBe('invalid option: listOfSets takes sets aggregated by aggregateSets or SetDiffBuilder.finish(), not an array');
  });
});

describe('peekOfSets on six real pods before and after (testdata/go/fleet)', () => {
  const base = side('base');
  const current = side('current');
  const regex = 'remember$|lruCache\\)\\.put$';
  const report = peekOfSets(aggregateSets(base, current, { callEdges: true }), regex);

  it('entries are the rows of topOfSets: per-profile means, n, spread and the same verdicts', () => {
    const rows = diffSets(base, current, { nodeCount: 0 }).rows;
    expect(report.entries.map((e) => e.name).sort()).toEqual(['main.(*dedupeCache).remember', 'main.(*lruCache).put']);
    for (const entry of report.entries) {
      const { callers: _callers, callees: _callees, ...own } = entry;
      expect(own).toEqual(rows.find((r) => r.name === entry.name));
    }
    expect(report.entries.find((e) => e.name.endsWith('remember'))).toMatchObject({ significant: true, base: { n: 6 }, current: { n: 6 } });
  });

  it('gives each edge the per-profile mean of what flows through it on each side, computed from each profile alone', () => {
    const byHand = { base: edgesByHand(base, regex), current: edgesByHand(current, regex) };
    const check = (key: string, edge: PeekEdge) => {
      const b = byHand.base.get(key) ?? pods.map(() => 0);
      const c = byHand.current.get(key) ?? pods.map(() => 0);
      close(edge.base!, mean(b));
      close(edge.current, mean(c));
      close(edge.cum, mean(c) - mean(b), mean(c));
    };
    let edges = 0;
    for (const entry of report.entries) {
      for (const e of entry.callers) check(`${e.name} → ${entry.name}`, e), edges++;
      for (const e of entry.callees) check(`${entry.name} → ${e.name}`, e), edges++;
    }
    expect(edges).toBeGreaterThanOrEqual(2);
    const handle = report.entries.find((e) => e.name.endsWith('remember'))!.callers.find((e) => e.name === 'main.(*service).handle')!;
    expect(handle.cum).toBeGreaterThan(30e6);
  });

  it('one profile a side is peek on the pair: same entries and edges', () => {
    const one = peekOfSets(aggregateSets([base[0]!], [current[0]!], { callEdges: true }), regex);
    const pair = peek(diffProfiles(base[0]!, current[0]!), regex);
    const edgesOf = (r: typeof one) => r.entries.map((e) => [e.name, e.flat, e.callers, e.callees]);
    expect(edgesOf(one)).toEqual(edgesOf(pair));
  });

  it('needs the call edges, and says so in one line', () => {
    expect(profileErrorFrom(() => peekOfSets(aggregateSets(base.slice(0, 2), current.slice(0, 2)), 'x')).message).toBe('invalid option: peekOfSets needs sets aggregated with their call edges (callEdges: true)');
  });
});
