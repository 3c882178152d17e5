import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOCATION_HELPERS, isAllocationHelper } from '../analysis/allocation-helpers.js';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { renderTopMarkdown } from '../render/markdown-top.js';
import { renderTopText } from '../render/text-top.js';
import { peek, type PeekEntry } from './peek.js';
import { top } from './top.js';
import { trend } from './trend.js';
import { aggregateSets } from '../analysis/profile-set.js';
import { diffSets, topOfSets } from './top-sets.js';
import { peekOfSets } from './peek-sets.js';

const load = (path: string) => parseProfile(readFileSync(path));
const tenants = (n: string) => load(`testdata/go/tenants/profiles/heap-${n}.pb.gz`);
const leakysvc = (n: string) => load(`testdata/go/leakysvc/profiles/heap-${n}.pb.gz`);

/** The hint for main.small: its first caller in `entry`, peek's entry for it. */
const smallHint = (entry: PeekEntry) => ({
  site: { name: 'main.small', file: '', line: 0 },
  reason: 'inline',
  caller: { name: entry.callers[0]!.name, file: '', line: 0 },
  change: entry.callers[0]!.cum,
});

describe('the attribution hint', () => {
  it('looks past an inlined helper to the caller that grew most, the one peek lists first', () => {
    const diff = diffProfiles(tenants('01'), tenants('06'));
    const report = top(diff);
    expect(report.rows[0]!.name).toBe('main.small');
    const [entry] = peek(diff, 'main\\.small$').entries;
    expect(report.hint).toEqual(smallHint(entry!));
    expect(report.hint!.caller.name).toBe('main.indexDocument');
  });

  it('looks past a runtime allocation helper that is not inlined, and past its helper callers', () => {
    const spec = (a: number, b: number) => ({
      samples: [
        heap(['runtime.malg@/go/proc.go:4', 'runtime.newproc1@/go/proc.go:9', 'main.spawnWorkers@/s/w.go:3'], a),
        heap(['runtime.malg@/go/proc.go:4', 'runtime.newproc1@/go/proc.go:9', 'main.serve@/s/s.go:7'], b),
      ],
    });
    const report = top(diffProfiles(parseProfile(encodeProfile(spec(100, 100))), parseProfile(encodeProfile(spec(900, 150)))));
    // runtime.malg's caller runtime.newproc1 is a helper too: the hint names who called that.
    expect(report.hint).toMatchObject({ site: { name: 'runtime.malg' }, reason: 'helper', caller: { name: 'main.spawnWorkers' }, via: { name: 'runtime.newproc1' }, change: 800 });
  });

  it('says nothing when the top growing site is the leak itself, or nothing grew', () => {
    expect(top(diffProfiles(leakysvc('01'), leakysvc('08'))).hint).toBeNull();
    expect(top(diffProfiles(tenants('06'), tenants('01'))).hint).toBeNull();
  });

  it('trend: a leak that is an inlined helper points at its caller that grew most, first → last, the one peek lists first', () => {
    const snapshots = ['01', '02', '03', '04', '05', '06'].map(tenants);
    const report = trend(snapshots);
    expect(report.rows[0]).toMatchObject({ name: 'main.small', verdict: 'leak' });
    const [entry] = peek(diffProfiles(snapshots[0]!, snapshots[5]!), 'main\\.small$').entries;
    expect(report.hints).toEqual([
      { site: { name: 'main.small', file: '', line: 0 }, reason: 'inline', caller: { name: entry!.callers[0]!.name, file: '', line: 0 }, change: entry!.callers[0]!.cum },
    ]);
    expect(report.hints[0]!.caller.name).toBe('main.indexDocument');
    // By lines the site is the helper's line; its caller is a line of indexDocument.
    const byLines = trend(snapshots, { granularity: 'lines' });
    const leak = byLines.rows.find((r) => r.verdict === 'leak')!;
    expect(byLines.hints[0]).toMatchObject({ site: { name: leak.name, file: leak.file, line: leak.line }, reason: 'inline', caller: { name: 'main.indexDocument' } });
  });

  it('trend: a leak that is a known allocation helper gets a hint; a leak that is its own culprit does not', () => {
    const snapshots = ['01', '02', '03', '04', '05', '06', '07', '08'].map(leakysvc);
    const report = trend(snapshots);
    const leaks = report.rows.filter((r) => r.verdict === 'leak').map((r) => r.name);
    expect(leaks).toContain('main.(*dedupeCache).remember');
    expect(leaks).toContain('strconv.formatBits');
    const [entry] = peek(diffProfiles(snapshots[0]!, snapshots[7]!), '^strconv\\.formatBits$').entries;
    expect(report.hints).toEqual([
      { site: { name: 'strconv.formatBits', file: '', line: 0 }, reason: 'helper', caller: { name: entry!.callers[0]!.name, file: '', line: 0 }, change: entry!.callers[0]!.cum },
    ]);
    // Rows cut by nodeCount get no hint, nor does a trend with no leak.
    expect(trend(snapshots, { nodeCount: 1 }).hints).toEqual([]);
    expect(trend(snapshots, { sampleIndex: 'alloc_space' }).hints).toEqual([]);
  });

  it('sets: the hint of a fleet diff names the caller whose per-profile mean edge grew most, the one peekOfSets lists first', () => {
    const base = [tenants('01'), tenants('02')];
    const current = [tenants('05'), tenants('06')];
    const report = diffSets(base, current);
    expect(report.rows[0]).toMatchObject({ name: 'main.small', inline: true });
    const [entry] = peekOfSets(aggregateSets(base, current, { callEdges: true }), 'main\\.small$').entries;
    expect(report.hint).toEqual(smallHint(entry!));
    expect(report.hint!.caller.name).toBe('main.indexDocument');
    // The same with every edge kept (what peek on sets aggregates).
    expect(topOfSets(aggregateSets(base, current, { callEdges: true })).hint).toEqual(report.hint);
  });

  it('sets: a known allocation helper that is never inlined, in profiles without any inlining', () => {
    const pod = (a: number, b: number) =>
      parseProfile(
        encodeProfile({
          samples: [
            heap(['runtime.malg@/go/proc.go:4', 'main.spawnWorkers@/s/w.go:3'], a),
            heap(['runtime.malg@/go/proc.go:4', 'main.serve@/s/s.go:7'], b),
          ],
        }),
      );
    const report = diffSets([pod(100, 100), pod(120, 100)], [pod(900, 150), pod(1000, 170), pod(800, 130)]);
    expect(report.rows[0]!.name).toBe('runtime.malg');
    // Means: spawnWorkers 110 → 900 (+790), serve 100 → 150 (+50).
    expect(report.hint).toMatchObject({ site: { name: 'runtime.malg' }, reason: 'helper', caller: { name: 'main.spawnWorkers' } });
    expect(report.hint!.change).toBeCloseTo(790, 9);
  });

  // A goroutine leak: every stack ends in runtime.gopark under the runtime's channel receive.
  const goroutines = (n: number) => load(`testdata/go/goroutine-leak/profiles/goroutine-${n}.pb.gz`);
  const waitHint = (change: number) => ({
    site: { name: 'runtime.gopark', file: '', line: 0 },
    reason: 'wait',
    caller: { name: 'main.serveForever', file: '', line: 0 },
    via: { name: 'runtime.chanrecv1', file: '', line: 0 },
    change,
  });

  it('a goroutine leak: looks up past runtime.gopark and the runtime calls that parked it, to the code that started the wait', () => {
    const diff = diffProfiles(goroutines(0), goroutines(4));
    const report = top(diff);
    expect(report.rows[0]!.name).toBe('runtime.gopark');
    const [entry] = peek(diff, '^runtime\\.chanrecv1$').entries;
    expect(entry!.callers[0]!.name).toBe('main.serveForever');
    expect(report.hint).toEqual(waitHint(entry!.callers[0]!.cum));
    expect(trend([0, 1, 2, 3, 4].map(goroutines)).hints).toEqual([waitHint(entry!.callers[0]!.cum)]);
    // The call it went through is a profile's name: text as it is, Markdown as a code span.
    expect(renderTopText(report)).toContain('main.serveForever grew most through it (+100, via runtime.chanrecv1). All callers of runtime.chanrecv1: ');
    expect(renderTopMarkdown(report)).toContain('`main.serveForever` grew most through it (+100, via `runtime.chanrecv1`). All callers of `runtime.chanrecv1`: ');
  });

  it('sets: a goroutine leak over a fleet follows the same chain, in per-profile means', () => {
    const base = [goroutines(0), goroutines(1)];
    const current = [goroutines(3), goroutines(4)];
    const report = topOfSets(aggregateSets(base, current, { callEdges: true }));
    const [entry] = peekOfSets(aggregateSets(base, current, { callEdges: true }), '^runtime\\.chanrecv1$').entries;
    expect(report.hint).toEqual(waitHint(entry!.callers[0]!.cum));
  });

  it('the helper list is data: exact names, each with what it allocates, no duplicates', () => {
    const names = ALLOCATION_HELPERS.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['runtime.malg', 'runtime.makeslice', 'runtime.growslice', 'bytes.growSlice', 'strings.(*Builder).grow']) {
      expect(isAllocationHelper(name)).toBe(true);
    }
    expect(isAllocationHelper('main.small')).toBe(false);
    expect(ALLOCATION_HELPERS.every((h) => h.allocates.length > 0)).toBe(true);
  });
});
