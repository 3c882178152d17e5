import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { resolveSampleType } from '../model/sample-type.js';
import { diffProfiles } from './diff.js';
import { FlameBuilder, flameGraph, type FlameNode } from './flame.js';
import { aggregateSets } from './profile-set.js';

const FLEET = 'testdata/go/fleet';
const pods = [1, 2, 3, 4, 5, 6];
const side = (name: string): Profile[] => pods.map((p) => parseProfile(readFileSync(`${FLEET}/${name}/pod-${p}.pb.gz`)));

/** Every call path of a graph with its total, by the names from the root down. */
function totals(root: FlameNode, side: 'base' | 'current'): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: FlameNode, path: string) => {
    if (node.merged > 0) return;
    out.set(path, node[side]!.total);
    for (const child of node.children) walk(child, `${path};${child.name}`);
  };
  walk(root, '');
  return out;
}

function builtFrom(base: readonly Profile[], current: readonly Profile[], minFraction?: number) {
  const builder = new FlameBuilder({}, minFraction);
  for (const [s, profiles] of [[0, base], [1, current]] as const) {
    for (const p of profiles) builder.add(s, p, resolveSampleType(p));
  }
  return builder.finish(current[0]!.sampleTypes[resolveSampleType(current[0]!)]!);
}

describe('the flame graph of two sets of profiles', () => {
  const base = side('base');
  const current = side('current');

  it('of one profile per side is flameGraph of their diff', () => {
    expect(builtFrom([base[0]!], [current[0]!])).toEqual(flameGraph(diffProfiles(base[0]!, current[0]!)));
  });

  it('gives every call path the per-profile mean of its total on each side, computed from each profile alone', () => {
    const graph = builtFrom(base, current, 0);
    for (const [name, profiles] of [['base', base], ['current', current]] as const) {
      const each = profiles.map((p) => totals(flameGraph(p, { minFraction: 0 }).root, 'current'));
      const got = totals(graph.root, name);
      expect(got.size).toBeGreaterThan(20);
      for (const [path, value] of got) {
        const byHand = each.reduce((sum, m) => sum + (m.get(path) ?? 0), 0) / profiles.length;
        expect(Math.abs(value - byHand), path).toBeLessThanOrEqual(1e-9 * Math.max(1, byHand));
      }
    }
  });

  it('is what aggregateSets keeps with flame: true, its root the sides\' mean totals', () => {
    const set = aggregateSets(base, current, { flame: true });
    expect(set.flame).toEqual(builtFrom(base, current));
    expect(set.flame!.root.base!.total).toBeCloseTo(set.base.total.mean, 6);
    expect(set.flame!.root.current.total).toBeCloseTo(set.current.total.mean, 6);
    expect(aggregateSets(base, current).flame).toBeNull();
  });
});
