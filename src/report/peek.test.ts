import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { encodeProfile, type ProfileSpec } from '../test-support/build-profile.js';
import {
  EDGES_BASE,
  EDGES_CURRENT,
  HIDDEN_HOST,
  INLINED_LATER_BASE,
  INLINED_LATER_CURRENT,
  MARKS,
} from '../test-support/peek-examples.js';
import { EX3_BASE, EX3_CURRENT } from '../test-support/pprof-examples.js';
import { profileErrorFrom } from '../test-support/profile-error.js';
import { peek, peekSites, type PeekEdge, type PeekReport } from './peek.js';
import { top } from './top.js';

const parse = (spec: ProfileSpec): Profile => parseProfile(encodeProfile(spec));
const edges = (list: readonly PeekEdge[]) => list.map((e) => `${e.name} ${e.cum}${e.inline ? ' (inline)' : ''}`);
/** name → [flat, cum, callers, callees], as `go tool pprof -peek -unit=B` printed them. */
const shape = (r: PeekReport) => r.entries.map((e) => [e.name, e.flat, e.cum, edges(e.callers), edges(e.callees)]);

// Every expectation below is what Go 1.19.8's pprof printed for the same profiles.
describe('peek edges', () => {
  it('recursion and mutual recursion: each pair once per sample, no edge from a function to itself', () => {
    const report = peek(diffProfiles(parse(EX3_BASE), parse(EX3_CURRENT)), 'main\\.(inner|outer|rec|even|odd)$');
    expect(shape(report)).toEqual([
      ['main.inner', 65, 65, ['main.outer 65'], []],
      ['main.outer', 50, 115, ['main.main 115'], ['main.inner 65']],
      ['main.rec', 30, 30, ['main.main 30'], []],
      ['main.even', 8, 8, ['main.odd 8'], ['main.odd 8']],
      ['main.odd', 0, 8, ['main.even 8', 'main.main 8'], ['main.even 8']],
    ]);
    expect(report.flatOfAll).toBe(153);
    expect(report.percentOf).toBe(70);
  });

  it('an edge is inline only when every sample through it had the callee inlined', () => {
    // outer → inner is inlined at a.go:10 and a real call at a.go:23: one edge, not inline.
    const [inner] = peek(diffProfiles(parse(EX3_BASE), parse(EX3_CURRENT)), 'main\\.inner$').entries;
    expect(inner!.callers.map((e) => e.inline)).toEqual([false]);
    expect(shape(peek(parse(MARKS), '.'))).toEqual([
      ['main.inner', 130, 130, ['main.outer 80 (inline)', 'main.main 50'], []],
      ['main.helper', 70, 70, ['main.main 70 (inline)'], []],
      ['main.main', 0, 200, [], ['main.outer 80', 'main.helper 70 (inline)', 'main.inner 50']],
      ['main.outer', 0, 80, ['main.main 80'], ['main.inner 80 (inline)']],
    ]);
  });

  it('a diff keeps edges whose nodes cancel, and edges whose change is zero', () => {
    const report = peek(diffProfiles(parse(EDGES_BASE), parse(EDGES_CURRENT)), 'main\\.(main|P|Q)$');
    expect(shape(report)).toEqual([
      ['main.P', 0, 5, ['main.main 5'], ['main.X 5']],
      ['main.Q', 0, -5, ['main.main -5'], ['main.X -5']],
      ['main.main', 0, 7, [], ['main.D 7', 'main.P 5', 'main.Q -5', 'main.A 0']],
    ]);
    const a = report.entries[2]!.callees[3]!;
    expect([a.base, a.current]).toEqual([10, 10]);
    // X itself cancelled out, so it is no entry of its own.
    expect(profileErrorFrom(() => peek(diffProfiles(parse(EDGES_BASE), parse(EDGES_CURRENT)), 'main\\.X$')).detail).toMatch(/no function matches/);
  });

  it('matches printable names, so by lines the regex sees file:line', () => {
    const report = peek(parse(MARKS), 'i\\.go:5', { granularity: 'lines' });
    expect(report.entries.map((e) => `${e.name} ${e.file}:${e.line}`)).toEqual(['main.inner /s/i.go:5']);
    expect(edges(report.entries[0]!.callers)).toEqual(['main.outer 80 (inline)', 'main.main 50']);
  });
});

describe('top marks inlined rows as pprof does', () => {
  const marks = (rows: ReturnType<typeof top>['rows']) =>
    Object.fromEntries(rows.map((r) => [r.name, r.inline ? 'inline' : r.partialInline ? 'partial-inline' : '']));

  it('(inline) when every call in is inlined, (partial-inline) when some are', () => {
    expect(marks(top(parse(MARKS), { nodeCount: 0 }).rows)).toEqual({
      'main.inner': 'partial-inline',
      'main.helper': 'inline',
      'main.main': '',
      'main.outer': '',
    });
  });

  it('a diff judges the edges of both sides: called normally in the base, no mark', () => {
    const report = top(diffProfiles(parse(INLINED_LATER_BASE), parse(INLINED_LATER_CURRENT)), { nodeCount: 0 });
    expect(marks(report.rows)).toEqual({ 'main.helper': '', 'main.main': '' });
    expect(marks(top(parse(INLINED_LATER_CURRENT)).rows)['main.helper']).toBe('inline');
  });

  it('hiding the function a call was inlined into makes the call a plain one', () => {
    expect(marks(top(parse(HIDDEN_HOST)).rows)).toEqual({ 'main.leaf': 'inline', 'main.main': '', 'main.wrap': '' });
    expect(marks(top(parse(HIDDEN_HOST), { hide: 'wrap' }).rows)).toEqual({ 'main.leaf': '', 'main.main': '' });
  });
});

describe('peekSites (the HTML top page’s peek of its rows)', () => {
  it('gives each row the entry peek gives its function, by functions and by lines', () => {
    const diff = diffProfiles(parse(EX3_BASE), parse(EX3_CURRENT));
    for (const granularity of ['functions', 'lines'] as const) {
      const rows = top(diff, { granularity, nodeCount: 0 }).rows;
      const report = peekSites(diff, rows, { granularity });
      expect(report.entries.map((e) => e.name).sort()).toEqual(rows.map((r) => r.name).sort());
      const all = peek(diff, '.', { granularity });
      expect(report.entries).toEqual(all.entries);
      // A subset: exactly those rows, in peek's order.
      const two = peekSites(diff, rows.slice(0, 2), { granularity });
      expect(two.entries).toEqual(all.entries.filter((e) => rows.slice(0, 2).some((r) => r.name === e.name && r.file === e.file && r.line === e.line)));
    }
    expect(peekSites(diff, [], {}).entries).toEqual([]);
  });
});
