import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { runCli, type RunResult } from '../test-support/fake-io.js';

const PROFILES = resolve('testdata/go/leakysvc/profiles');
const BASE = join(PROFILES, 'heap-01.pb.gz');
const CURRENT = join(PROFILES, 'heap-08.pb.gz');
const GO_TESTDATA = resolve('testdata/go');

/** A temp directory holding `files`, as its real path (macOS' /tmp is a symlink). */
function tempTree(files: Record<string, string | Uint8Array> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'heapdiff-list-')));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * The `flat cum line:` columns of the text output, by line number, read at the right edges of the
 * `flat` and `cum` headers of the table above (so `±` and `~` columns between them are skipped);
 * pprof's output, which has no such header, as its first two cells.
 */
function columns(stdout: string): Map<number, [string, string]> {
  const out = new Map<number, [string, string]>();
  let edges: [number, number] | null = null;
  for (const text of stdout.split('\n')) {
    const header = /^(\s*Δ?flat)\b.*?(Δ?cum)\b/.exec(text);
    if (header) {
      edges = [header[1]!.length, header.index + header[0].length];
      continue;
    }
    if (edges === null) {
      const m = /^\s*(\S+)\s+(\S+)\s+(\d+):/.exec(text);
      if (m) out.set(Number(m[3]), [m[1]!, m[2]!]);
      continue;
    }
    const row = /^[^:]*?\s(\d+):/.exec(text);
    if (!row) continue;
    const cell = (end: number) => (text[end - 1] === ' ' ? '' : text.slice(0, end).trim().split(/\s+/).at(-1)!);
    out.set(Number(row[1]), [cell(edges[0]), cell(edges[1])]);
  }
  return out;
}

function expectOk(result: RunResult): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

describe('heapdiff list', () => {
  it('walks to the leaking line, found by suffix under --source-path from another directory', async () => {
    const elsewhere = tempTree();
    const result = await runCli(['list', 'dedupeCache', BASE, CURRENT, '--source-path', relative(elsewhere, GO_TESTDATA)], { cwd: elsewhere });
    expectOk(result);
    expect(result.stdout).toContain('ROUTINE main.(*dedupeCache).remember in example.com/leakysvc/cache.go\n');
    expect(result.stdout).toContain(`Source: ${join(GO_TESTDATA, 'leakysvc/cache.go')}\n`);
    expect(result.stdout).toMatch(/^flat +7\.75MB → 63\.66MB +\+55\.91MB +19\.20kB +\+467%$/m);
    expect(result.stdout).toContain('+54.69MB  19.20kB  +54.69MB  19.20kB  27:\tfp := make([]byte, fingerprintSize) // LEAK: one buffer per request, never freed\n');
    expect(result.stdout).toMatch(/^ +\. +\. +31:}$/m);
  });

  it("marks a routine's total within noise with ~ and its ±, as a line's", async () => {
    const tenants = (n: string) => `testdata/go/tenants/profiles/heap-${n}.pb.gz`;
    const result = await runCli(['list', '^main\\.indexDocument$', tenants('01'), tenants('02')]);
    expectOk(result);
    // +528kB of flat from a routine sampled every 512 KiB: one sample, noise; its cum grew for real.
    expect(result.stdout).toMatch(/^flat +0 → 528\.17kB +\+528\.17kB +1\.64MB +~ +\+1\.12%$/m);
    expect(result.stdout).toMatch(/^cum +27\.05MB → 60\.63MB +\+33\.58MB +12\.97MB +\+72\.9%$/m);
    const json = JSON.parse((await runCli(['list', '-f', 'json', '^main\\.indexDocument$', tenants('01'), tenants('02')])).stdout);
    expect(json.routines[0].significant).toBe(false);
    // Its flat is one line's: the same samples, so the same error as that line's.
    const flatLines = json.routines[0].lines.filter((l: { flat: number }) => l.flat !== 0);
    expect(flatLines).toHaveLength(1);
    expect(json.routines[0].flatError).toBeCloseTo(flatLines[0].flatError, 6);
  });

  it("scales each value on its own, as pprof's list does", async () => {
    const result = await runCli(['list', 'dedupeCache', BASE, CURRENT, '--source-path', GO_TESTDATA]);
    const pprof = readFileSync('testdata/go/leakysvc/pprof/list_diff01-08_inuse_space_dedupeCache_human.txt', 'utf8');
    const ours = [...columns(result.stdout)].map(([line, [flat, cum]]) => [line, flat.replace(/^\+/, ''), cum.replace(/^\+/, '')]);
    expect(ours).toEqual([...columns(pprof)].map(([line, [flat, cum]]) => [line, flat, cum]));
    expect(ours.length).toBe(10);
  });

  it('--confidence sets the level of ± and the verdicts; --same-process says so in the header', async () => {
    const at = async (...flags: string[]) => (await runCli(['list', ...flags, 'dedupeCache', BASE, CURRENT, '--source-path', GO_TESTDATA])).stdout;
    const wide = await at('--confidence', '0.999');
    expect(wide).toContain('± is the 99.9% interval of the value before it');
    // 19.20kB at 95 %: 3.29/1.96 times as wide at 99.9 %.
    expect(wide).toContain('+54.69MB  32.23kB  +54.69MB  32.23kB  27:');
    expect(await at('--same-process')).toMatch(/^ {10}--same-process: one-process error bounds/m);
  });

  it('lists one profile', async () => {
    const result = await runCli(['list', 'newSlot', CURRENT, '--source-path', GO_TESTDATA]);
    expectOk(result);
    expect(result.stdout).toContain(`Profile:  ${CURRENT}  (2026-11-26 12:45:01 UTC)\n`);
    expect(columns(result.stdout).get(21)).toEqual(['3.98MB', '3.98MB']);
  });

  it('--trim-path (repeatable) strips a prefix before the lookup', async () => {
    const root = tempTree({ 'cache.go': 'package top\n', 'x/cache.go': 'package nested\n' });
    const profile = join(root, 'p.pb.gz');
    writeFileSync(profile, encodeProfile({ samples: [heap(['main.f@/build/x/cache.go:1'], 8)] }));
    const plain = await runCli(['list', 'main', profile], { cwd: root });
    expect(plain.stdout).toContain('Source: x/cache.go\n');
    const trimmed = await runCli(['list', 'main', profile, '--trim-path', '/nomatch', '--trim-path', '/build/x'], { cwd: root });
    expect(trimmed.stdout).toContain('Source: cache.go\n');
    expect(trimmed.stdout).toMatch(/^ +8B +\S+ +8B +\S+ +1:package top$/m);
  });

  it('without the source: the lines with values and one note saying where it looked', async () => {
    const elsewhere = tempTree();
    const result = await runCli(['list', 'dedupeCache', BASE, CURRENT, '--source-path', '/nonexistent'], { cwd: elsewhere });
    expectOk(result);
    const block = result.stdout.slice(result.stdout.indexOf('ROUTINE'));
    expect(block.match(/^Source not found.*\n.*$/gm)).toEqual([
      'Source not found: looked for example.com/leakysvc/cache.go (or its tail, down to cache.go) under ., /nonexistent; showing the lines with values.\n' +
        '--source-path DIR adds a directory to look under (repeatable); --trim-path PREFIX strips a build prefix first.',
    ]);
    expect([...columns(block).keys()]).toEqual([27, 29]);
    expect(block).toContain('+54.69MB  19.20kB  +54.69MB  19.20kB  27:\n');
  });

  it('says so when lines with values are not in the file found', async () => {
    const root = tempTree({ 'stale.go': 'package stale\n' });
    const profile = join(root, 'p.pb.gz');
    writeFileSync(profile, encodeProfile({ samples: [heap(['main.f@/build/stale.go:9'], 8)] }));
    const result = await runCli(['list', 'main', profile], { cwd: root });
    expect(result.stdout).toContain('Source: stale.go\nSome lines with values are not in that file: it may not be the source that was profiled.\n');
    expect([...columns(result.stdout).entries()]).toEqual([[9, ['8B', '8B']]]);
  });

  it('finds the standard library under $GOROOT', async () => {
    const goroot = tempTree({ 'src/runtime/malloc.go': 'package runtime\n\nfunc mallocgc() {}\n' });
    const profile = join(goroot, 'p.pb.gz');
    writeFileSync(profile, encodeProfile({ samples: [heap(['runtime.mallocgc@runtime/malloc.go:3'], 8)] }));
    const result = await runCli(['list', 'mallocgc', profile], { cwd: tempTree(), env: { GOROOT: goroot } });
    expect(result.stdout).toContain(`Source: ${join(goroot, 'src/runtime/malloc.go')}\n`);
    expect(result.stdout).toContain('3:func mallocgc() {}\n');
  });

  it('prints JSON: routines with lines, signed deltas and base and current values', async () => {
    const result = await runCli(['list', '--format', 'json', 'buildTree', BASE, CURRENT, '--source-path', GO_TESTDATA]);
    expectOk(result);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schemaVersion: 2, command: 'list', kind: 'diff', regex: 'buildTree', percentOf: 12564014 });
    expect(doc.base.source).toBe(BASE);
    expect(doc.routines).toHaveLength(1);
    const [routine] = doc.routines;
    expect(routine).toMatchObject({
      name: 'main.buildTree',
      file: 'example.com/leakysvc/recurse.go',
      resolvedFile: 'testdata/go/leakysvc/recurse.go',
      startLine: 0,
      flat: 1259481,
      cum: 2501749,
    });
    expect(routine.current.cum - routine.base.cum).toBe(routine.cum);
    expect(routine.lines.map((l: { line: number }) => l.line)).toEqual(Array.from({ length: 16 }, (_, i) => 14 + i));
    expect(routine.lines[10]).toMatchObject({ line: 24, flat: 0, cum: 1242268, source: '\t\t\tn.kids[i] = buildTree(depth-1, seed*treeFanout+i)' });
    expect(routine.lines[10].current.cum - routine.lines[10].base.cum).toBe(1242268);
  });

  it('has no --granularity: list is always by line', async () => {
    const result = await runCli(['list', '-g', 'functions', 'x', CURRENT]);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: "heapdiff: unknown option '-g'\n" });
  });
});

describe('list: bad input is one line on stderr, exit 2', () => {
  it.each([
    ['a regex that matches nothing', ['list', 'nosuchfunction', BASE, CURRENT], 'heapdiff: selecting functions: no function matches /nosuchfunction/\n'],
    ['an invalid regex', ['list', 'remember(', CURRENT], 'heapdiff: invalid option: the function regex "remember(" is not a valid regular expression: unterminated group\n'],
    [
      '--same-process on sets',
      ['list', '--same-process', 'dedupeCache', '--base', 'testdata/go/fleet/base', '--current', 'testdata/go/fleet/current'],
      'heapdiff: invalid option: --same-process bounds the error of two snapshots of one process; for sets of profiles use --paired\n',
    ],
  ])('%s', async (_, argv, stderr) => {
    expect(await runCli(argv)).toEqual({ code: 2, stdout: '', stderr });
  });
});

describe('list never reads source outside its roots', () => {
  it('a crafted profile naming /etc/passwd, ../, /proc/self/environ and symlinks out of the root', async () => {
    const outside = tempTree({ 'secret.go': 'TOP-SECRET\n' });
    const root = tempTree({ 'ok.go': 'package ok\n' });
    symlinkSync(join(outside, 'secret.go'), join(root, 'link.go'));
    symlinkSync(outside, join(root, 'out'));
    const files = ['/etc/passwd', '../../../../../../etc/passwd', '/proc/self/environ', join(outside, 'secret.go'), 'link.go', 'out/secret.go', `${root}/../${relative(dirname(root), outside)}/secret.go`];
    const profile = join(root, 'crafted.pb.gz');
    writeFileSync(profile, encodeProfile({ samples: files.map((file, i) => heap([`main.f${i}@${file}:1`], 100)) }));

    const io = { cwd: root, env: { GOROOT: '/nonexistent-goroot' } };
    const text = await runCli(['list', 'main', profile], io);
    expectOk(text);
    expect(text.stdout.match(/^Source not found/gm)).toHaveLength(files.length);
    expect(text.stdout).not.toMatch(/TOP-SECRET|root:|PATH=/);
    const json = JSON.parse((await runCli(['list', '--format', 'json', 'main', profile], io)).stdout);
    expect(json.routines.map((r: { file: string }) => r.file).sort()).toEqual([...files].sort());
    for (const routine of json.routines) {
      expect(routine.resolvedFile).toBeNull();
      expect(routine.lines.every((l: { source: unknown }) => l.source === null)).toBe(true);
    }
  });
});
