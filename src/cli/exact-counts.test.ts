import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

/**
 * Real goroutine profiles (testdata/go/goroutine-leak): 2000 idle workers, then 25 goroutines a
 * second that never return. Every parked goroutine's flat site is runtime.gopark: 2000 → 2100.
 */
const GOROUTINES = [0, 1, 2, 3, 4].map((n) => `testdata/go/goroutine-leak/profiles/goroutine-${n}.pb.gz`);

describe('trend on profiles that are not sampled', () => {
  it('judges goroutine counts as exact: 100 leaked goroutines on top of 2000 are a leak, not "stable"', async () => {
    const result = await runCli(['trend', '-f', 'json', ...GOROUTINES]);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.exactCounts).toBe(true);
    const gopark = doc.rows.find((r: { name: string }) => r.name === 'runtime.gopark');
    expect(gopark.series).toEqual([2000, 2025, 2050, 2075, 2100]);
    expect(gopark).toMatchObject({ verdict: 'leak', noiseFloor: 0 });
    // Under a heap's floor, 3·√(period·peak) = 3·√2100 ≈ 137 > 100, this was "stable".
    expect(3 * Math.sqrt(2100)).toBeGreaterThan(gopark.net);
  });

  it('says so in the text header', async () => {
    const result = await runCli(['trend', ...GOROUTINES]);
    expect(result.stdout.split('\n')[0]).toBe('Type: goroutine (count)  ·  by functions  ·  flat values  ·  exact counts (not sampled)');
    expect(result.stdout).toMatch(/leak .*2000 → 2100 +runtime\.gopark/);
  });

  it('keeps the noise floor for sampled heap profiles', async () => {
    const heaps = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `testdata/go/leakysvc/profiles/heap-0${n}.pb.gz`);
    const doc = JSON.parse((await runCli(['trend', '-f', 'json', '-n', '0', ...heaps])).stdout);
    expect(doc.exactCounts).toBe(false);
    expect(doc.snapshots[0].period).toBeGreaterThan(1);
    expect(doc.rows.every((r: { noiseFloor: number }) => r.noiseFloor >= doc.snapshots[0].period)).toBe(true);
  });
});

describe('capture names files by kind', () => {
  it.each([
    ['/debug/pprof/goroutine', GOROUTINES[1]!, /^goroutine-\d{8}T\d{6}\.\d{3}Z\.pb\.gz$/],
    ['/debug/pprof/allocs', 'testdata/go/leakysvc/profiles/allocs.pb.gz', /^allocs-/],
    ['/debug/pprof/heap', 'testdata/go/leakysvc/profiles/heap-01.pb.gz', /^heap-/],
    // A path that does not say: the profile's own sample types do.
    ['/internal/snapshot', GOROUTINES[1]!, /^goroutine-/],
    ['/internal/snapshot', 'testdata/go/leakysvc/profiles/allocs.pb.gz', /^allocs-/],
    ['/internal/snapshot', 'testdata/go/leakysvc/profiles/heap-01.pb.gz', /^heap-/],
  ])('%s serving %s', async (path, file, name) => {
    const body = readFileSync(file);
    const server = createServer((_, response) => response.end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const out = mkdtempSync(join(tmpdir(), 'heapdiff-kind-'));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
      const result = await runCli(['capture', url, '-c', '1', '--every', '10ms', '-o', out]);
      expect(result.stderr).toMatch(/^heapdiff: saved 1 snapshot/);
      const saved = readdirSync(out);
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatch(name);
    } finally {
      server.close();
    }
  });
});
