import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffProfiles, type ProfileOrDiff } from '../analysis/diff.js';
import { createSourceReader } from '../cli/source-reader.js';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { encodeProfile, heap, type ProfileSpec } from '../test-support/build-profile.js';
import { EX3_BASE, EX3_CURRENT } from '../test-support/pprof-examples.js';
import { list, type ListLine, type ListReport, type SourceFile } from './list.js';
import { top } from './top.js';

const PROFILES = 'testdata/go/leakysvc/profiles';
const REFERENCE = 'testdata/go/leakysvc/pprof';
const loadGo = (name: string): Profile => parseProfile(readFileSync(`${PROFILES}/${name}`));
const parse = (spec: ProfileSpec): Profile => parseProfile(encodeProfile(spec));

interface Numbers {
  readonly line?: number;
  readonly flat: number;
  readonly cum: number;
  readonly source?: string | null;
}
interface ReferenceRoutine extends Numbers {
  readonly name: string;
  readonly file: string;
  readonly lines: Numbers[];
}

/** `-unit=B` prints exact integers: `1234B`, `-5B`, `0` and `.` for zero. */
const bytes = (text: string): number => (text === '.' || text === '0' ? 0 : Number(/^(-?\d+)B$/.exec(text)![1]));

/** Parses `go tool pprof -list -unit=B` output: its Total and one entry per ROUTINE block. */
function parseReference(text: string): { total: number; routines: ReferenceRoutine[] } {
  const lines = text.split('\n');
  const total = bytes(/^Total: (\S+)$/.exec(lines[0]!)![1]!);
  const routines: ReferenceRoutine[] = [];
  for (let i = 1; i < lines.length; i++) {
    const head = /^ROUTINE =+ (.+) in (\S+)$/.exec(lines[i]!);
    if (head) {
      const sums = /^\s*(\S+)\s+(\S+) \(flat, cum\)/.exec(lines[++i]!)!;
      routines.push({ name: head[1]!, file: head[2]!, flat: bytes(sums[1]!), cum: bytes(sums[2]!), lines: [] });
      continue;
    }
    const row = /^\s*(\S+)\s+(\S+)\s+(\d+):(.*)$/.exec(lines[i]!);
    if (row) routines.at(-1)!.lines.push({ line: Number(row[3]), flat: bytes(row[1]!), cum: bytes(row[2]!), source: row[4]! });
  }
  return { total, routines };
}

/** The source lookup of the reference commands: `-source_path=.. -trim_path=example.com/leakysvc`. */
const readLeakysvc = createSourceReader({
  cwd: process.cwd(),
  sourcePaths: ['testdata/go/leakysvc'],
  trimPaths: ['example.com/leakysvc'],
}).read;

function asReference(report: ListReport): { total: number; routines: ReferenceRoutine[] } {
  return {
    total: report.percentOf,
    routines: report.routines.map((r) => ({
      name: r.name,
      file: r.file.replace('example.com/leakysvc/', ''),
      flat: r.flat,
      cum: r.cum,
      lines: r.lines.map(({ line, flat, cum, source }) => ({ line, flat, cum, source })),
    })),
  };
}

describe('list equals go tool pprof -list on the real Go profiles', () => {
  const diff = () => diffProfiles(loadGo('heap-01.pb.gz'), loadGo('heap-08.pb.gz'));
  it.each([
    ['the leak', 'dedupeCache', 'inuse_space', 'list_diff01-08_inuse_space_dedupeCache_B.txt', diff],
    ['an inlined function', 'newSlot', 'inuse_space', 'list_diff01-08_inuse_space_newSlot_B.txt', diff],
    ['the caller it is inlined into', 'slotRing', 'inuse_space', 'list_diff01-08_inuse_space_slotRing_B.txt', diff],
    ['a recursive function (its header cum counts each level)', 'buildTree', 'inuse_space', 'list_diff01-08_inuse_space_buildTree_B.txt', diff],
    ['garbage, by alloc_space', 'scratchChecksum', 'alloc_space', 'list_diff01-08_alloc_space_scratchChecksum_B.txt', diff],
    ['one profile', 'dedupeCache', 'inuse_space', 'list_heap08_inuse_space_dedupeCache_B.txt', () => loadGo('heap-08.pb.gz')],
  ])('%s: -list=%s -sample_index=%s', (_, regex, sampleIndex, reference, input: () => ProfileOrDiff) => {
    const expected = parseReference(readFileSync(`${REFERENCE}/${reference}`, 'utf8'));
    const report = list(input(), regex, { sampleIndex, readSource: readLeakysvc });
    expect(asReference(report)).toEqual(expected);
    for (const r of report.routines) {
      expect(r.resolvedFile).toMatch(/^testdata\/go\/leakysvc\/\w+\.go$/);
      for (const l of r.lines) expect(l.current.flat - (l.base?.flat ?? 0)).toBe(l.flat);
    }
  });

  it('the recursive header sums its lines: 541740 + 717741 + 1242268', () => {
    const [buildTree] = list(diff(), '^main\\.buildTree$', { readSource: readLeakysvc }).routines;
    expect(buildTree!.cum).toBe(2501749);
    expect(buildTree!.base!.cum + buildTree!.cum).toBe(buildTree!.current.cum);
  });
});

// Example 3 of ../shared/docs/pprof-reference.md (§11) and its `-list` output (ex4-list.out).
/** A reader that knows every file as `lineCount` lines reading "// <file> line <n>". */
function syntheticSource(lineCount: number, calls: string[] = []) {
  return (file: string): SourceFile => {
    calls.push(file);
    return { path: `src${file}`, lines: Array.from({ length: lineCount }, (_, i) => `// ${file} line ${i + 1}`) };
  };
}

const valued = (report: ListReport) =>
  Object.fromEntries(report.routines.map((r) => [r.name, r.lines.filter((l) => l.flat || l.cum).map((l) => [l.line, l.flat, l.cum])]));
const ranges = (report: ListReport) =>
  Object.fromEntries(report.routines.map((r) => [r.name, [r.lines[0]?.line, r.lines.at(-1)?.line]]));

describe('list rules', () => {
  it('reference example 3: inlined frames on their own lines, recursion counted per line', () => {
    const calls: string[] = [];
    const report = list(diffProfiles(parse(EX3_BASE), parse(EX3_CURRENT)), 'main\\.(inner|outer|rec)$', {
      readSource: syntheticSource(40, calls),
    });
    expect(report.routines.map((r) => [r.name, r.flat, r.cum])).toEqual([
      ['main.inner', 65, 65],
      ['main.outer', 50, 115],
      ['main.rec', 30, 60],
    ]);
    expect(valued(report)).toEqual({
      'main.inner': [[10, 40, 40], [11, 25, 25]],
      'main.outer': [[20, 0, 40], [22, 50, 50], [23, 0, 25]],
      'main.rec': [[5, 30, 30], [7, 0, 30]],
    });
    expect(ranges(report)).toEqual({ 'main.inner': [5, 16], 'main.outer': [15, 28], 'main.rec': [1, 12] });
    expect(report.routines[2]!.lines[4]).toMatchObject({ line: 5, source: '// /s/b.go line 5', base: { flat: 10 }, current: { flat: 40 } });
    // Each file is read once, however many routines it holds.
    expect(calls.sort()).toEqual(['/s/a.go', '/s/b.go']);
  });

  it('starts at the function start line when the profile has one, and stops at the end of the file', () => {
    const profile = parse({
      startLines: { 'main.f': 12 },
      samples: [heap(['main.f@/s/a.go:20', 'main.main@/s/a.go:3'], 10), heap(['main.f@/s/a.go:30', 'main.main@/s/a.go:3'], 5)],
    });
    expect(ranges(list(profile, 'main\\.f', { readSource: syntheticSource(100) }))).toEqual({ 'main.f': [12, 35] });
    expect(ranges(list(profile, 'main\\.f', { readSource: syntheticSource(32) }))).toEqual({ 'main.f': [12, 32] });
    expect(ranges(list(profile, 'main\\.main'))).toEqual({ 'main.main': [1, 8] });
  });

  it('still shows a sampled line past the end of a stale source file, so lines add up to the header', () => {
    const profile = parse({ samples: [heap(['main.f@/s/a.go:20'], 10)] });
    const [routine] = list(profile, 'f', { readSource: syntheticSource(17) }).routines;
    expect(routine!.lines.map((l) => [l.line, l.flat, l.source])).toEqual([
      [15, 0, '// /s/a.go line 15'],
      [16, 0, '// /s/a.go line 16'],
      [17, 0, '// /s/a.go line 17'],
      [20, 10, null],
    ]);
  });

  it('without a reader: the context range, no source', () => {
    const [routine] = list(parse({ samples: [heap(['main.f@/s/a.go:9'], 10)] }), 'f').routines;
    expect(routine).toMatchObject({ resolvedFile: null, flat: 10, cum: 10, base: null, current: { flat: 10, cum: 10 } });
    expect(routine!.lines.map((l) => [l.line, l.source])).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((n) => [n, null]));
  });

  it('without a reader, only the lines around each sampled one: line numbers far apart stretch nothing', () => {
    const profile = parse({ startLines: { 'main.f': 1 }, samples: [heap(['main.f@/s/a.go:3'], 10), heap(['main.f@/s/a.go:2000000000'], 5)] });
    const [routine] = list(profile, 'f').routines;
    expect(routine!.lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1999999995, 1999999996, 1999999997, 1999999998, 1999999999, 2000000000, 2000000001, 2000000002, 2000000003, 2000000004, 2000000005]);
  });

  it('a line whose change is zero does not exist: it neither matches nor widens the range', () => {
    const same = heap(['main.steady@/s/a.go:50', 'main.main@/s/a.go:3'], 7);
    const base = parse({ samples: [same, heap(['main.f@/s/a.go:10', 'main.main@/s/a.go:3'], 1), heap(['main.f@/s/a.go:40'], 4)] });
    const current = parse({ samples: [same, heap(['main.f@/s/a.go:10', 'main.main@/s/a.go:3'], 6), heap(['main.f@/s/a.go:40'], 4)] });
    const diff = diffProfiles(base, current);
    expect(ranges(list(diff, 'main\\.f'))).toEqual({ 'main.f': [5, 15] });
    expect(() => list(diff, 'steady')).toThrow(new ProfileError('selecting functions', 'no function matches /steady/'));
  });

  it('matches the function name only, unanchored; one routine per function and file, sorted', () => {
    const profile = parse({
      samples: [heap(['pkg.b@/s/z.go:3'], 1), heap(['pkg.a@/s/y.go:3'], 1), heap(['pkg.b@/s/x.go:3'], 1), heap(['other@/s/pkg.go:3'], 1)],
    });
    expect(list(profile, 'pkg').routines.map((r) => `${r.name} ${r.file}`)).toEqual(['pkg.a /s/y.go', 'pkg.b /s/x.go', 'pkg.b /s/z.go']);
  });

  it('honours the sample filters and the sample type', () => {
    const profile = parse({
      samples: [heap(['main.f@/s/a.go:3', 'main.x@/s/a.go:9'], 10, 100), heap(['main.f@/s/a.go:4', 'main.y@/s/a.go:9'], 20, 200)],
    });
    expect(valued(list(profile, 'main\\.f', { focus: 'main\\.x' }))).toEqual({ 'main.f': [[3, 10, 10]] });
    expect(valued(list(profile, 'main\\.f', { sampleIndex: 'alloc_space', ignore: 'main\\.x' }))).toEqual({ 'main.f': [[4, 200, 200]] });
    expect(valued(list(profile, 'main\\.(x|f)', { hide: 'main\\.f' }))).toEqual({ 'main.x': [[9, 10, 10]] });
  });

  it('rejects an invalid regex with a clear error', () => {
    const profile = parse({ samples: [heap(['main.f@/s/a.go:3'], 1)] });
    expect(() => list(profile, '(')).toThrow(/invalid option: the function regex "\(" is not a valid regular expression/);
  });
});

describe('readSource may return the text itself', () => {
  const diff = () => diffProfiles(loadGo('heap-01.pb.gz'), loadGo('heap-08.pb.gz'));
  const text = readFileSync('testdata/go/leakysvc/cache.go', 'utf8');

  it('a string reads as that file, line for line, as {path, lines} does', () => {
    const asText = list(diff(), 'dedupeCache', { readSource: (file) => (file.endsWith('/cache.go') ? text : null) });
    const asFile = list(diff(), 'dedupeCache', { readSource: readLeakysvc });
    const [routine] = asText.routines;
    expect(routine!.resolvedFile).toBe('example.com/leakysvc/cache.go');
    expect(routine!.lines.find((l) => l.line === 27)!.source).toContain('LEAK: one buffer per request');
    expect(asText.routines.map((r) => r.lines)).toEqual(asFile.routines.map((r) => r.lines));
  });

  it('a final newline ends the last line; CRLF reads as LF', () => {
    const source = (s: string) => list(diff(), 'dedupeCache', { readSource: () => s }).routines[0]!.lines.map((l) => l.source);
    expect(source(text.replaceAll('\n', '\r\n'))).toEqual(source(text));
  });

  it('undefined is "not found"; anything else is named as the mistake it is', () => {
    expect(list(diff(), 'dedupeCache', { readSource: () => undefined }).routines[0]!.resolvedFile).toBeNull();
    const wrong = { readSource: () => 42 as unknown as string };
    expect(() => list(diff(), 'dedupeCache', wrong)).toThrow(/readSource\(".*cache\.go"\) must return the file's text, \{path, lines\} or null/);
  });
});

describe('list: how sure each line is (real pairs at the default 512 KiB rate)', () => {
  const DEFAULT_RATE = 'testdata/go/leakysvc/default-rate';
  const pair = (a: string, b: string) =>
    diffProfiles(parseProfile(readFileSync(`${DEFAULT_RATE}/${a}.pb.gz`)), parseProfile(readFileSync(`${DEFAULT_RATE}/${b}.pb.gz`)));
  const withValues = (report: ListReport): ListLine[] => report.routines.flatMap((r) => r.lines.filter((l) => l.flat !== 0 || l.cum !== 0));
  const context = (report: ListReport): ListLine[] => report.routines.flatMap((r) => r.lines.filter((l) => l.flat === 0 && l.cum === 0));

  it("each line carries top -g lines' errors, p-value and verdict, whatever the regex", () => {
    const diff = pair('leak-base', 'leak-current');
    const byLine = new Map(top(diff, { granularity: 'lines', nodeCount: 0 }).rows.map((r) => [`${r.name}:${r.line}`, r]));
    for (const regex of ['main\\.', 'batcher']) {
      const report = list(diff, regex, { readSource: readLeakysvc });
      expect(report.testedLines).toBe(byLine.size);
      const lines = report.routines.flatMap((r) => withValues({ ...report, routines: [r] }).map((l) => [r.name, l] as const));
      expect(lines.length).toBeGreaterThan(0);
      for (const [name, l] of lines) {
        const row = byLine.get(`${name}:${l.line}`)!;
        expect({ flatError: l.flatError, cumError: l.cumError, pValue: l.pValue, significant: l.significant }).toEqual({
          flatError: row.flatError,
          cumError: row.cumError,
          pValue: row.pValue,
          significant: row.significant,
        });
      }
    }
    // +2.50MB ± 2.47MB (p ≈ 0.047) is within noise among the profile's 21 changed lines; listed
    // alone it would pass a single test, which is why the family is not the regex's.
    const batcher = withValues(list(diff, 'batcher', { readSource: readLeakysvc }))[0]!;
    expect(batcher.pValue).toBeGreaterThan(0.01);
    expect(batcher.pValue).toBeLessThan(0.05);
    expect(batcher.significant).toBe(false);
  });

  it('the leaking line is significant; on the null pair no line is, though every line moved', () => {
    const leak = list(pair('leak-base', 'leak-current'), 'dedupeCache', { readSource: readLeakysvc });
    const fp = withValues(leak).find((l) => l.line === 27)!;
    expect(fp.significant).toBe(true);
    expect(fp.flat / fp.flatError!).toBeGreaterThan(5);
    const noise = list(pair('null-a', 'null-b'), 'main\\.', { readSource: readLeakysvc });
    const moved = withValues(noise);
    expect(moved.length).toBeGreaterThan(3);
    for (const l of moved) {
      expect(l.significant).toBe(false);
      expect(l.flatError! + l.cumError!).toBeGreaterThan(0);
    }
  });

  it('context lines carry no error or verdict; one profile has errors but no verdicts', () => {
    const report = list(pair('null-a', 'null-b'), 'dedupeCache', { readSource: readLeakysvc });
    expect(context(report).length).toBeGreaterThan(0);
    for (const l of context(report)) expect([l.flatError, l.cumError, l.pValue, l.significant]).toEqual([null, null, null, null]);
    const one = list(parseProfile(readFileSync(`${DEFAULT_RATE}/null-a.pb.gz`)), 'dedupeCache', { readSource: readLeakysvc });
    const [line] = withValues(one);
    expect(line!.flatError).toBeGreaterThan(0);
    expect([line!.pValue, line!.significant]).toEqual([null, null]);
  });

  it('--confidence sets the verdicts: a higher level keeps only lines a lower one found', () => {
    const diff = pair('leak-base', 'leak-current');
    const at = (confidence: number) => withValues(list(diff, 'main\\.', { confidence })).map((l) => l.significant);
    const loose = at(0.5);
    const strict = at(0.999);
    expect(strict.filter(Boolean).length).toBeLessThan(loose.filter(Boolean).length);
    strict.forEach((s, i) => {
      if (s) expect(loose[i]).toBe(true);
    });
    expect(() => list(diff, 'main', { confidence: 1 })).toThrow(/confidence/);
  });
});
