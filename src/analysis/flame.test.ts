import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { top } from '../report/top.js';
import { encodeProfile, heap, type ProfileSpec } from '../test-support/build-profile.js';
import { EX3_BASE, EX3_CURRENT } from '../test-support/pprof-examples.js';
import { diffProfiles } from './diff.js';
import type { SampleFilters } from './filters.js';
import { flameGraph, type FlameNode } from './flame.js';

const parse = (spec: ProfileSpec): Profile => parseProfile(encodeProfile(spec));
const load = (n: string) => parseProfile(readFileSync(`testdata/go/leakysvc/profiles/heap-${n}.pb.gz`));

// The reference example of top.test.ts, plus a path only in current and one only in the base.
const current: ProfileSpec = { samples: [...EX3_CURRENT.samples, heap(['runtime.malg@/r/proc.go:1', 'runtime.newproc@/r/proc.go:2'], 7)] };
const base: ProfileSpec = { samples: [...EX3_BASE.samples, heap(['main.gone@/s/d.go:1', 'main.main@/s/a.go:34'], 5)] };

function* walk(node: FlameNode, path: readonly string[] = []): Generator<[FlameNode, readonly string[]]> {
  yield [node, path];
  for (const child of node.children) yield* walk(child, [...path, child.name]);
}

/**
 * Per function, from the unmerged tree: Σ self over its paths (pprof's flat), and Σ total over
 * its outermost paths, those without the function higher up (cum, counting recursion once).
 */
function perFunction(root: FlameNode, side: 'base' | 'current'): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const [node, path] of walk(root)) {
    if (node === root) continue;
    const values = node[side]!;
    const entry = (out[node.name] ??= [0, 0]);
    entry[0] += values.self;
    if (path.indexOf(node.name) === path.length - 1) entry[1] += values.total;
  }
  for (const [name, [flat, cum]] of Object.entries(out)) if (flat === 0 && cum === 0) delete out[name];
  return out;
}

function topNumbers(profile: Profile, filters: SampleFilters = {}): Record<string, [number, number]> {
  return Object.fromEntries(top(profile, { nodeCount: 0, ...filters }).rows.map((r) => [r.name, [r.flat, r.cum]]));
}

describe('flameGraph: one node per call path, with both sides', () => {
  const filterCases: Array<[string, SampleFilters]> = [
    ['no filters', {}],
    ['--focus', { focus: 'outer' }],
    ['--ignore', { ignore: 'rec' }],
    ['--hide', { hide: 'main\\.outer' }],
  ];
  it.each(filterCases)("self summed per function is top's flat and outermost totals are its cum (%s)", (_, filters) => {
    const [b, c] = [parse(base), parse(current)];
    const flame = flameGraph(diffProfiles(b, c), { minFraction: 0, ...filters });
    expect(perFunction(flame.root, 'base')).toEqual(topNumbers(b, filters));
    expect(perFunction(flame.root, 'current')).toEqual(topNumbers(c, filters));
  });

  it("holds on the real leaking service's snapshots too", () => {
    const [b, c] = [load('01'), load('08')];
    const flame = flameGraph(diffProfiles(b, c), { minFraction: 0 });
    expect(perFunction(flame.root, 'base')).toEqual(topNumbers(b));
    expect(perFunction(flame.root, 'current')).toEqual(topNumbers(c));
    const [leak] = [...walk(flame.root)].find(([n]) => n.name === 'main.(*dedupeCache).remember')!;
    expect(leak.current.total).toBeGreaterThan(leak.base!.total + 50 * 2 ** 20);
  });

  it('keeps a call path per stack, root first, recursion as nested boxes', () => {
    const flame = flameGraph(parse(current), { minFraction: 0 });
    const paths = [...walk(flame.root)].map(([node, path]) => `${path.join(' > ')} = ${node.current.self}/${node.current.total}`);
    expect(paths).toEqual([
      ' = 0/230',
      'main.main = 0/223',
      'main.main > main.odd = 0/8',
      'main.main > main.odd > main.even = 0/8',
      'main.main > main.odd > main.even > main.odd = 0/8',
      'main.main > main.odd > main.even > main.odd > main.even = 8/8',
      'main.main > main.outer = 50/175',
      'main.main > main.outer > main.inner = 125/125',
      'main.main > main.rec = 0/40',
      'main.main > main.rec > main.rec = 0/40',
      'main.main > main.rec > main.rec > main.rec = 40/40',
      'runtime.newproc = 0/7',
      'runtime.newproc > runtime.malg = 7/7',
    ]);
    expect(flame.kind).toBe('profile');
    expect(flame.paths).toBe(12);
    expect([...walk(flame.root)].every(([node]) => node.base === null)).toBe(true);
  });

  it('sizes nest: children never outgrow their parent in extent or growth, and totals add up', () => {
    const flame = flameGraph(diffProfiles(load('01'), load('08')), { minFraction: 0 });
    for (const [node] of walk(flame.root)) {
      const sum = (pick: (n: FlameNode) => number) => node.children.reduce((s, c) => s + pick(c), 0);
      expect(node.extent).toBeGreaterThanOrEqual(Math.max(node.base!.total, node.current.total));
      expect(sum((c) => c.extent)).toBeLessThanOrEqual(node.extent);
      expect(sum((c) => c.growth)).toBeLessThanOrEqual(node.growth);
      expect(sum((c) => c.current.total) + node.current.self).toBe(node.current.total);
      expect(sum((c) => c.base!.total) + node.base!.self).toBe(node.base!.total);
    }
  });

  it('width by the larger side still fits children that traded places', () => {
    // a shrank by 10 while b grew by 10: max(base, current) of the children is 20, of main 10.
    const before = parse({ samples: [heap(['a@x.go:1', 'main@x.go:9'], 10)] });
    const after = parse({ samples: [heap(['b@x.go:1', 'main@x.go:9'], 10)] });
    const main = flameGraph(diffProfiles(before, after), { minFraction: 0 }).root.children[0]!;
    expect([main.base!.total, main.current.total, main.extent, main.growth]).toEqual([10, 10, 20, 10]);
  });
});

describe('flameGraph merging', () => {
  const wide: ProfileSpec = {
    samples: [heap(['big@x.go:1', 'main@x.go:9'], 1000), heap(['tiny1@x.go:1', 'main@x.go:9'], 3), heap(['tiny2@x.go:1 + deeper@x.go:5', 'main@x.go:9'], 4)],
  };

  it('folds children below the fraction into one box per parent, after the named ones', () => {
    const main = flameGraph(parse(wide), { minFraction: 0.01 }).root.children[0]!;
    expect(main.children.map((c) => [c.name, c.merged, c.current.total, c.children.length])).toEqual([
      ['big', 0, 1000, 0],
      ['', 2, 7, 0],
    ]);
    expect(main.children[1]!.current.self).toBe(7);
  });

  it('keeps a small box that holds a visible share of the growth', () => {
    const before = parse({ samples: [heap(['big@x.go:1', 'main@x.go:9'], 1000)] });
    const after = parse(wide);
    const main = flameGraph(diffProfiles(before, after), { minFraction: 0.01 }).root.children[0]!;
    expect(main.children.map((c) => c.name)).toEqual(['big', 'deeper', 'tiny1']);
    expect(main.growth).toBe(7);
  });

  it('keeps every path with minFraction 0, and the default merges nothing visible on the real data', () => {
    const diff = diffProfiles(load('01'), load('08'));
    const all = flameGraph(diff, { minFraction: 0 });
    expect([...walk(all.root)].some(([n]) => n.merged > 0)).toBe(false);
    expect([...walk(all.root)].length).toBe(all.paths + 1);
    const merged = flameGraph(diff);
    expect(merged.root).toMatchObject({ base: all.root.base, current: all.root.current, extent: all.root.extent });
  });
});

describe('flameGraph output', () => {
  it('is the same whatever order the samples come in', () => {
    const reversed = { samples: [...current.samples].reverse() };
    expect(JSON.stringify(flameGraph(parse(reversed)))).toBe(JSON.stringify(flameGraph(parse(current))));
  });

  it('sorts siblings by name (code-point order)', () => {
    const flame = flameGraph(parse({ samples: ['b', 'B', 'a', 'é'].map((n) => heap([`${n}@x.go:1`], 5)) }), { minFraction: 0 });
    expect(flame.root.children.map((c) => c.name)).toEqual(['B', 'a', 'b', 'é']);
  });

  it('uses the sample type top would, and another by name', () => {
    const b = parse(base);
    expect(flameGraph(b).sampleType.type).toBe('inuse_space');
    const objects = flameGraph(b, { sampleIndex: 'inuse_objects', minFraction: 0 });
    expect(objects.root.current.total).toBe(3);
  });
});
