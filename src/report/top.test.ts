import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { encodeProfile, heap, type ProfileSpec } from '../test-support/build-profile.js';
import { EX3_BASE, EX3_CURRENT } from '../test-support/pprof-examples.js';
import { HAS_GO, goPprof, scratchFiles } from '../test-support/go-pprof.js';
import { parsePprofTop } from '../test-support/pprof-output.js';
import { top, type TopReport } from './top.js';

const parse = (spec: ProfileSpec): Profile => parseProfile(encodeProfile(spec));

/** name → [flat, cum], the shape pprof's -top prints. */
function numbers(report: TopReport): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const r of report.rows) {
    const label = r.line > 0 ? `${r.name} ${r.file}:${r.line}` : r.name || r.file;
    out[label] = [r.flat, r.cum];
  }
  return out;
}

// The doc's example 3, with the numbers `go tool pprof -top -diff_base` printed for it.
const ex3 = () => diffProfiles(parse(EX3_BASE), parse(EX3_CURRENT));

describe('top over a diff equals go tool pprof (reference example 3)', () => {
  it('functions: inlined leaf gets the flat, recursion counts cum once', () => {
    const report = top(ex3(), { nodeCount: 0 });
    expect(report.percentOf).toBe(70);
    expect(numbers(report)).toEqual({
      'main.inner': [65, 65],
      'main.outer': [50, 115],
      'main.rec': [30, 30],
      'main.even': [8, 8],
      'main.main': [0, 153],
      'main.odd': [0, 8],
    });
  });

  it('lines', () => {
    expect(numbers(top(ex3(), { nodeCount: 0, granularity: 'lines' }))).toEqual({
      'main.outer /s/a.go:22': [50, 50],
      'main.inner /s/a.go:10': [40, 40],
      'main.rec /s/b.go:5': [30, 30],
      'main.inner /s/a.go:11': [25, 25],
      'main.even /s/c.go:3': [8, 8],
      'main.even /s/c.go:4': [0, 8],
      'main.main /s/a.go:30': [0, 40],
      'main.main /s/a.go:31': [0, 75],
      'main.main /s/a.go:32': [0, 30],
      'main.main /s/a.go:33': [0, 8],
      'main.odd /s/c.go:9': [0, 8],
      'main.outer /s/a.go:20': [0, 40],
      'main.outer /s/a.go:23': [0, 25],
      'main.rec /s/b.go:7': [0, 30],
    });
  });

  it('files', () => {
    expect(numbers(top(ex3(), { nodeCount: 0, granularity: 'files' }))).toEqual({
      '/s/a.go': [115, 153],
      '/s/b.go': [30, 30],
      '/s/c.go': [8, 8],
    });
  });

  it('ranks growth first, with base and current values and a status per row', () => {
    const report = top(ex3(), { nodeCount: 3 });
    expect(report.rows.map((r) => r.name)).toEqual(['main.inner', 'main.outer', 'main.rec']);
    expect(report.totalRows).toBe(6);
    expect(report.rows[0]).toMatchObject({ base: { flat: 60, cum: 60 }, current: { flat: 125, cum: 125 }, status: 'grew' });
    expect(report.rows[1]).toMatchObject({ base: { flat: 0, cum: 60 }, status: 'grew' });
  });

  it('--cum orders by cum growth', () => {
    expect(top(ex3(), { sort: 'cum', nodeCount: 2 }).rows.map((r) => r.name)).toEqual(['main.main', 'main.outer']);
  });
});

describe('statuses and filters', () => {
  const base = parse({ samples: [heap(['old@/a.go:1', 'main@/m.go:1'], 30), heap(['kept@/a.go:2', 'main@/m.go:1'], 50)] });
  const current = parse({ samples: [heap(['fresh@/a.go:3', 'main@/m.go:1'], 20), heap(['kept@/a.go:2', 'main@/m.go:1'], 40)] });

  it('marks new, gone and shrank sites', () => {
    const byName = Object.fromEntries(top(diffProfiles(base, current), { nodeCount: 0 }).rows.map((r) => [r.name, r.status]));
    expect(byName).toEqual({ fresh: 'new', old: 'gone', kept: 'shrank', main: 'shrank' });
  });

  it('focus and ignore select samples; hide moves flat to the caller; the total ignores filters', () => {
    const diff = diffProfiles(base, current);
    expect(numbers(top(diff, { focus: '^kept$', nodeCount: 0 }))).toEqual({ kept: [-10, -10], main: [0, -10] });
    expect(numbers(top(diff, { ignore: 'kept', nodeCount: 0 }))).toEqual({ fresh: [20, 20], old: [-30, -30], main: [0, -10] });
    const hidden = top(diff, { hide: '^(kept|fresh|old)$', nodeCount: 0 });
    expect(numbers(hidden)).toEqual({ main: [-20, -20] });
    expect(hidden.percentOf).toBe(80);
  });

  it('a single profile reports its own values', () => {
    const report = top(current, { nodeCount: 0 });
    expect(report.kind).toBe('profile');
    expect(numbers(report)).toEqual({ kept: [40, 40], fresh: [20, 20], main: [0, 60] });
    expect(report.rows.every((r) => r.status === 'present' && r.base === null)).toBe(true);
  });

  it('selects the sample type by name or index, matching base and current by name', () => {
    const twoTypes = (values: [number, number]) =>
      parse({ sampleTypes: [['inuse_objects', 'count'], ['inuse_space', 'bytes']], samples: [{ stack: ['f@/f.go:1'], values }] });
    const reordered = (values: [number, number]) =>
      parse({ sampleTypes: [['inuse_space', 'bytes'], ['inuse_objects', 'count']], samples: [{ stack: ['f@/f.go:1'], values }] });
    const diff = diffProfiles(reordered([100, 1]), twoTypes([3, 400]));
    expect(top(diff).rows[0]!.flat).toBe(300);
    expect(top(diff, { sampleIndex: 'inuse_objects' }).rows[0]!.flat).toBe(2);
    expect(top(diff, { sampleIndex: 0 }).sampleType.type).toBe('inuse_objects');
    expect(() => top(diff, { sampleIndex: 'alloc_space' })).toThrow(/no sample type "alloc_space".*inuse_objects, inuse_space/);
  });
});

describe('laws', () => {
  const names = ['a', 'b', 'c', 'd'];
  const frame = fc.constantFrom(...names).chain((n) => fc.integer({ min: 1, max: 3 }).map((l) => `main.${n}@/src/${n}.go:${l}`));
  const sample = fc.record({
    stack: fc.array(frame, { minLength: 1, maxLength: 6 }),
    value: fc.integer({ min: -1000, max: 1_000_000 }),
  });
  const spec = fc.array(sample, { maxLength: 12 }).map((samples): ProfileSpec => ({
    samples: samples.map((s) => ({ stack: s.stack, values: [1, s.value, 1, s.value] })),
  }));
  const granularity = fc.constantFrom('functions' as const, 'lines' as const, 'files' as const);

  it('diff(a, a) has no rows', () => {
    fc.assert(
      fc.property(spec, granularity, (a, g) => {
        const p = parse(a);
        expect(top(diffProfiles(p, p), { nodeCount: 0, granularity: g }).rows).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('diff is linear: every row equals top(current) − top(base)', () => {
    fc.assert(
      fc.property(spec, spec, granularity, (a, b, g) => {
        const [base, current] = [parse(a), parse(b)];
        const diffed = numbers(top(diffProfiles(base, current), { nodeCount: 0, granularity: g }));
        const before = numbers(top(base, { nodeCount: 0, granularity: g }));
        const after = numbers(top(current, { nodeCount: 0, granularity: g }));
        const expected: Record<string, [number, number]> = {};
        for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
          const [bf, bc] = before[key] ?? [0, 0];
          const [af, ac] = after[key] ?? [0, 0];
          if (af - bf !== 0 || ac - bc !== 0) expected[key] = [af - bf, ac - bc];
        }
        expect(diffed).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('the row order does not depend on sample order', () => {
    fc.assert(
      fc.property(spec, (a) => {
        const reversed = { samples: [...a.samples].reverse() };
        const order = (s: ProfileSpec) => top(parse(s), { nodeCount: 0, granularity: 'lines' }).rows.map((r) => [r.name, r.line]);
        expect(order(reversed)).toEqual(order(a));
      }),
      { numRuns: 40 },
    );
  });
});

describe('the default sample type of a diff', () => {
  // Only the base names a default: pprof's merge keeps the first one set, current's then base's.
  const base = { defaultSampleType: 'alloc_space', samples: [heap(['main.f@/a.go:1'], 10, 1000)] };
  const current = { samples: [heap(['main.f@/a.go:1'], 30, 5000)] };

  it("is the current's default_sample_type, else the base's", () => {
    expect(top(diffProfiles(parse(base), parse(current))).sampleType.type).toBe('alloc_space');
    expect(top(diffProfiles(parse(base), parse({ ...current, defaultSampleType: 'inuse_space' }))).sampleType.type).toBe('inuse_space');
    // A default neither side names: the last type, as for one profile.
    expect(top(diffProfiles(parse(current), parse(current))).sampleType.type).toBe('inuse_space');
  });

  it.skipIf(!HAS_GO)('as go tool pprof -diff_base picks it', () => {
    const paths = scratchFiles({ 'base.pb.gz': encodeProfile(base), 'current.pb.gz': encodeProfile(current) });
    const out = goPprof(['-top', '-unit=B', '-diff_base', paths['base.pb.gz']!, paths['current.pb.gz']!]);
    expect(out).toMatch(/^Type: alloc_space$/m);
    expect(top(diffProfiles(parse(base), parse(current))).rows[0]!.flat).toBe(4000);
  });
});

describe('-g files', () => {
  // Frames without a file (a JIT, a stripped library) beside frames with one.
  const spec = { samples: [heap(['main.a@:0', 'main.b@:0', 'main.main@/m.go:1'], 100), heap(['main.c@:0', 'main.main@/m.go:1'], 10), heap(['main.d@/d.go:3'], 7)] };
  const rows = (mapping?: string) =>
    top(parse(mapping === undefined ? spec : { ...spec, mapping }), { granularity: 'files', nodeCount: 0 }).rows.map((r) => [r.name, r.file, r.flat, r.cum]);

  it('names each row by its file; frames without one are one row named after the binary', () => {
    expect(rows()).toEqual([
      ['[app]', '', 110, 110],
      ['/d.go', '/d.go', 7, 7],
      ['/m.go', '/m.go', 0, 110],
    ]);
    expect(rows('')[0]![0]).toBe('<unknown>');
  });

  it.skipIf(!HAS_GO)('as go tool pprof -files', () => {
    const paths = scratchFiles({ 'p.pb.gz': encodeProfile(spec) });
    const pprof = parsePprofTop(goPprof(['-top', '-files', '-unit=B', '-nodefraction=0', paths['p.pb.gz']!]));
    expect(Object.entries(pprof.rows).map(([name, [flat, cum]]) => [name, flat, cum])).toEqual(rows().map(([name, , flat, cum]) => [name, flat, cum]));
  });
});
