import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { renderTopHtml } from '../render/html/top.js';
import { renderListText } from '../render/text-list.js';
import { renderTopText } from '../render/text-top.js';
import { list } from '../report/list.js';
import { top } from '../report/top.js';
import { trend } from '../report/trend.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { diffProfiles } from './diff.js';
import { flameGraph, type FlameNode } from './flame.js';

/**
 * Stacks far deeper than any runtime records, as a hostile or hand-made profile may hold: no
 * step may recurse once per frame. A 20,000-frame stack of distinct functions, and one function
 * recursing 10,000 deep, whose cum counts each sample once.
 */
const WIDE = 20_000;
const DEEP = 10_000;

const wide = (v: number): Profile =>
  parseProfile(encodeProfile({ samples: [heap(Array.from({ length: WIDE }, (_, i) => `main.f${i}@/w.go:${i + 1}`), v)] }));

const recursion = (v: number, other = 0): Profile =>
  parseProfile(
    encodeProfile({
      timeNanos: 1_700_000_000_000_000_000n + BigInt(v),
      samples: [
        heap(['main.rec@/r.go:5', ...Array<string>(DEEP - 1).fill('main.rec@/r.go:7'), 'main.main@/m.go:1'], v),
        heap(['main.other@/o.go:3', 'main.main@/m.go:2'], other),
      ],
    }),
  );

/** The deepest path of a flame graph, walked without recursion, with each node's current values. */
function deepestPath(root: FlameNode): FlameNode[] {
  const path = [root];
  for (let node = root; node.children.length > 0; ) {
    node = node.children.reduce((a, b) => (b.current.total > a.current.total ? b : a));
    path.push(node);
  }
  return path;
}

describe('stacks deeper than any runtime records', () => {
  it(`top: a ${WIDE}-frame stack gives every function cum = the sample, flat on the leaf only`, () => {
    const report = top(wide(4096), { nodeCount: 0 });
    expect(report.rows).toHaveLength(WIDE);
    expect(report.rows[0]).toMatchObject({ name: 'main.f0', flat: 4096, cum: 4096 });
    expect(report.rows.slice(1).every((r) => r.flat === 0 && r.cum === 4096)).toBe(true);
    expect(renderTopText(report)).toContain('main.f19999');
  });

  it(`top: a ${DEEP}-deep recursion counts its cum once, equal to the flat total`, () => {
    const report = top(diffProfiles(recursion(1000, 10), recursion(5000, 10)), { nodeCount: 0 });
    const rows = Object.fromEntries(report.rows.map((r) => [r.name, [r.flat, r.cum]]));
    expect(rows).toEqual({ 'main.rec': [4000, 4000], 'main.main': [0, 4000] });
  });

  it('list: the recursive call line counts each sample once, the leaf line holds the flat', () => {
    const report = list(recursion(5000), 'main\\.rec$');
    const lines = Object.fromEntries(report.routines[0]!.lines.filter((l) => l.cum !== 0).map((l) => [l.line, [l.flat, l.cum]]));
    expect(lines).toEqual({ 5: [5000, 5000], 7: [0, 5000] });
    expect(renderListText(report)).toContain('ROUTINE main.rec in /r.go');
  });

  it('trend: deep snapshots rank the growing recursion first', () => {
    const report = trend([recursion(1000, 7), recursion(2000, 7), recursion(3000, 7), recursion(4000, 7)], { nodeCount: 0 });
    expect(report.rows[0]).toMatchObject({ name: 'main.rec', series: [1000, 2000, 3000, 4000] });
  });

  it.each([
    ['wide', () => diffProfiles(wide(10), wide(30)), WIDE + 1],
    ['recursive', () => diffProfiles(recursion(10), recursion(30)), DEEP + 2],
  ])('flame graph and its HTML page: one path %s, as deep as the stack', (_, input, depth) => {
    const flame = flameGraph(input(), { minFraction: 0 });
    const path = deepestPath(flame.root);
    expect(path).toHaveLength(depth);
    expect(path.at(-1)!.current).toEqual({ self: 30, total: 30 });
    expect(path.at(-1)!.base).toEqual({ self: 10, total: 10 });
    expect(path.every((node) => node.current.total === 30)).toBe(true);
    const html = renderTopHtml(top(input()), flame);
    expect(html).toContain('"kids"');
  });
});
