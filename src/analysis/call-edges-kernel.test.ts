import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { snapshots, type Shape } from '../bench/generate.js';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { EdgesKernel, setEdgesKernel } from './call-edges-kernel.js';
import { SetDiffBuilder, type SetDiff, type SetOptions } from './profile-set.js';

/**
 * A set's call edges by the WebAssembly kernel against CallEdges.addInto, its oracle: the same
 * table (ids, both sides' weights to the bit, inline flags) and so the same inline marks and hint.
 */
const TESTDATA = resolve(import.meta.dirname, '../../testdata');
const FLEET: Shape = { samples: 2000, functions: 1500, locations: 3000, seed: 7 };

function setOf(base: readonly Profile[], current: readonly Profile[], options: SetOptions = {}): SetDiff {
  const builder = new SetDiffBuilder({ base: base.length, current: current.length }, options);
  base.forEach((p, i) => builder.add('base', i, p, `base ${i}`));
  current.forEach((p, i) => builder.add('current', i, p, `current ${i}`));
  return builder.finish();
}

function table(set: SetDiff) {
  const e = set.helperEdges!;
  const n = e.size;
  return {
    n,
    caller: Array.from(e.caller.subarray(0, n)),
    callee: Array.from(e.callee.subarray(0, n)),
    weight0: Array.from(e.weight[0].subarray(0, n)),
    weight1: Array.from(e.weight[1].subarray(0, n)),
    inline: Array.from(e.inline.subarray(0, n)),
    marks: set.inlineMarks,
  };
}

/** The set twice, the kernel on and off: its table, and how many profiles the kernel took. */
function both(base: readonly Profile[], current: readonly Profile[], options: SetOptions = {}) {
  const taken = vi.spyOn(EdgesKernel.prototype, 'addInto');
  const kernel = table(setOf(base, current, options));
  const calls = taken.mock.calls.length;
  taken.mockRestore();
  setEdgesKernel(false);
  const js = table(setOf(base, current, options));
  setEdgesKernel(true);
  return { kernel, js, calls };
}

afterEach(() => setEdgesKernel(true));

describe('the call edges kernel', () => {
  it('builds a fleet-shaped set\'s table exactly as CallEdges.addInto does, over more edges than its first table holds', () => {
    const [b1, b2, b3, c1, c2] = snapshots(FLEET, 5).map((bytes) => parseProfile(bytes));
    const { kernel, js, calls } = both([b1!, b2!, b3!], [c1!, c2!]);
    expect(calls).toBe(5);
    expect(js.n).toBeGreaterThan(1024);
    expect(kernel).toEqual(js);
  });

  it('builds real Go fleets\' tables as the JavaScript does, at every granularity', () => {
    const dir = resolve(TESTDATA, 'go/fleet');
    const side = (name: string) => readdirSync(resolve(dir, name)).sort().map((f) => parseProfile(readFileSync(resolve(dir, name, f))));
    const [base, current] = [side('base'), side('current')];
    for (const granularity of ['functions', 'lines', 'files'] as const) {
      const { kernel, js, calls } = both(base, current, { granularity });
      expect(kernel).toEqual(js);
      if (js.n > 0) expect(calls).toBe(base.length + current.length);
    }
  });

  it('is left out under filters, which CallEdges walks itself', () => {
    const [b, c] = snapshots(FLEET, 2).map((bytes) => parseProfile(bytes));
    const { kernel, js, calls } = both([b!], [c!], { hide: 'f1' });
    expect(calls).toBe(0);
    expect(kernel).toEqual(js);
  });
});
