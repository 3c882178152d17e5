import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';

/** Profiles as they arrive from the wild: other producers, other kinds, other shapes. */
const GO = 'testdata/go/leakysvc/profiles';
const SHAPES = 'testdata/go/shapes/profiles';
const rowsOf = (stdout: string) => JSON.parse(stdout).rows.map((r: { name: string; flat: number; cum: number }) => [r.name, r.flat, r.cum]);

describe('heapdiff top on profiles from the wild', () => {
  it.each([
    ['@datadog/pprof ≥ 5.15.1 (inuse_*)', 'testdata/node/heap-current.pb.gz', 'inuse_space', 'rememberRequest'],
    ['@datadog/pprof ≤ 5.15.0 (objects/space)', 'testdata/node/legacy-objects-space/heap-current.pb.gz', 'space', 'rememberRequest'],
    ['a Go allocs profile (default_sample_type)', `${GO}/allocs.pb.gz`, 'alloc_space', 'main.scratchChecksum'],
    ['a Go CPU profile', `${SHAPES}/cpu.pb.gz`, 'cpu', 'sort.partition'],
    ['a Go goroutine profile', `${SHAPES}/goroutine.pb.gz`, 'goroutine', 'runtime.gopark'],
    ["Go's legacy text heap profile", `${GO}/heap-08.txt`, 'inuse_space', 'main.(*dedupeCache).remember'],
  ])('reads %s', async (_, path, type, first) => {
    const result = await runCli(['top', '-f', 'json', path]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.sampleType.type).toBe(type);
    expect(doc.rows[0].name).toBe(first);
  });

  it('names both sides\' sample types when two profiles share none', async () => {
    const result = await runCli(['top', `${SHAPES}/cpu.pb.gz`, `${GO}/heap-08.pb.gz`]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'heapdiff: comparing profiles: the profiles share no sample type: base has samples, cpu; ' +
        'current has alloc_objects, alloc_space, inuse_objects, inuse_space\n',
    });
  });

  it('reads a diff saved by go tool pprof -proto -diff_base as that diff', async () => {
    const saved = await runCli(['top', '-f', 'json', '-n', '0', 'testdata/go/leakysvc/pprof/diff01-08.pb.gz']);
    const direct = await runCli(['top', '-f', 'json', '-n', '0', `${GO}/heap-01.pb.gz`, `${GO}/heap-08.pb.gz`]);
    const doc = JSON.parse(saved.stdout);
    expect(doc.kind).toBe('diff');
    expect(doc.base.total).toBe(JSON.parse(direct.stdout).base.total);
    expect(rowsOf(saved.stdout)).toEqual(rowsOf(direct.stdout));
    expect(doc.rows[0]).toMatchObject({ name: 'main.(*dedupeCache).remember', status: 'grew' });
  });

  it('notes legacy text profiles in one line on stderr, and shows their MemStats', async () => {
    const result = await runCli(['top', `${GO}/heap-01.txt`, `${GO}/heap-08.txt`]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `heapdiff: note: ${GO}/heap-01.txt, ${GO}/heap-08.txt are Go's legacy text heap profiles (debug=1); ` +
        'the protobuf form (/debug/pprof/heap without debug=1) also records when it was taken\n',
    );
    expect(result.stdout).toContain('MemStats: HeapInuse 14.35MB → 77MB, HeapAlloc 13.63MB → 74.89MB');
    const one = await runCli(['top', `${GO}/heap-01.pb.gz`, `${GO}/heap-08.txt`]);
    expect(one.stderr).toMatch(/^heapdiff: note: \S+heap-08\.txt is Go's legacy text heap profile \(debug=1\); /);
  });

  it('diffs by symbol across two builds (other binary, other addresses), and names unsymbolized frames by binary and address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-mappings-'));
    const side = (mapping: string, address: number, leak: number) =>
      encodeProfile({
        mapping,
        addresses: { '?': address },
        samples: [heap(['main.leak@/a.go:3', 'main.main@/m.go:1'], leak), heap(['?', 'main.main@/m.go:9'], 7)],
      });
    writeFileSync(join(dir, 'v1.pb.gz'), side('/opt/app-1.0/app', 0x4010a0, 100));
    writeFileSync(join(dir, 'v2.pb.gz'), side('/usr/local/bin/app-2.0', 0x5020b0, 300));
    const result = await runCli(['top', '-f', 'json', '-n', '0', join(dir, 'v1.pb.gz'), join(dir, 'v2.pb.gz')]);
    expect(rowsOf(result.stdout)).toEqual([
      ['main.leak', 200, 200],
      ['[app-2.0] 0x5020b0', 7, 7],
      ['main.main', 0, 200],
      ['[app] 0x4010a0', -7, -7],
    ]);
  });
});
