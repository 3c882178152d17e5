import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { runCli } from '../test-support/fake-io.js';
import { profileErrorFrom } from '../test-support/profile-error.js';
import { trend } from './trend.js';

const PROFILES = 'testdata/go/leakysvc/profiles';
const snapshots = (): Profile[] => [1, 2, 3, 4, 5, 6, 7, 8].map((n) => parseProfile(readFileSync(`${PROFILES}/heap-0${n}.pb.gz`)));
const LIMIT = 512 * 1024 * 1024;

describe('--limit says what it compares, and counts the process, not only the sampled heap', () => {
  it('by default compares the in-use heap itself (overhead 1), as before', () => {
    const p = trend(snapshots(), { limit: LIMIT }).projection!;
    expect(p).toMatchObject({ basis: 'heap', overhead: 1, memory: p.heap, heapLimit: LIMIT });
    expect(p.after).toBeCloseTo((LIMIT - p.heap) / p.rate, 6);
  });

  it('an overhead of 2 (Go with GOGC=100) counts memory as twice the heap: the limit comes sooner', () => {
    const one = trend(snapshots(), { limit: LIMIT }).projection!;
    const two = trend(snapshots(), { limit: LIMIT, overhead: 2 }).projection!;
    expect(two).toMatchObject({ basis: 'heap', overhead: 2, memory: 2 * one.heap, heapLimit: LIMIT / 2, rate: one.rate });
    // Memory 2H + 2·r·t reaches L when t = (L/2 − H) / r.
    expect(two.after).toBeCloseTo((LIMIT / 2 - one.heap) / one.rate, 6);
    expect(two.after!).toBeLessThan(one.after! / 2);
  });

  it("uses the runtime's MemStats Sys when the last snapshot has it", () => {
    const sys = 200 * 1024 * 1024;
    const withStats = snapshots().map((p) => ({ ...p, memStats: { Sys: sys, HeapSys: sys - 10 } }));
    const p = trend(withStats, { limit: LIMIT, overhead: 2 }).projection!;
    expect(p).toMatchObject({ basis: 'memstats', memory: sys });
    // Sys + 2·r·t reaches L when t = (L − Sys) / (2r).
    expect(p.after).toBeCloseTo((LIMIT - sys) / (2 * p.rate), 6);
    expect(p.heapLimit).toBeCloseTo(p.heap + (LIMIT - sys) / 2, 3);
    expect(trend(withStats, { limit: sys - 1 }).projection!.after).toBe(0);
  });

  it('refuses an overhead below 1, and one without a limit', () => {
    expect(profileErrorFrom(() => trend(snapshots(), { limit: LIMIT, overhead: 0.5 })).detail).toMatch(/overhead option must be a number from 1 to 100/);
    expect(profileErrorFrom(() => trend(snapshots(), { overhead: 2 })).detail).toMatch(/applies to a memory limit/);
  });

  it('the text report says what is compared, and the legacy profiles bring their MemStats', async () => {
    const plain = await runCli(['trend', '--limit', '512MB', `${PROFILES}/heap-0*.pb.gz`]);
    expect(plain.stdout).toMatch(/^Compared: the sampled in-use heap with the limit, not the whole process: .*--overhead 2/m);
    const doubled = await runCli(['trend', '--limit', '512MB', '--overhead', '2', `${PROFILES}/heap-0*.pb.gz`]);
    expect(doubled.stdout).toMatch(/^Compared: the in-use heap × 2 \(--overhead\), 146\.21MB, with the limit$/m);
    const legacy = await runCli(['trend', '--limit', '100MB', `${PROFILES}/heap-01.txt`, `${PROFILES}/heap-08.txt`, `${PROFILES}/heap-08.txt`]);
    expect(legacy.stdout).toMatch(/^Limit: +100MB already reached: MemStats Sys is 110\.95MB$/m);
    expect(legacy.stdout).toMatch(/^Compared: the last snapshot's MemStats Sys \(110\.95MB, all memory the Go runtime holds\) with the limit$/m);
    const bad = await runCli(['trend', '--limit', '512MB', '--overhead', 'lots', `${PROFILES}/heap-0*.pb.gz`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--overhead .* expected a number/);
  });
});

describe('--limit comes with an interval (real snapshots of one process)', () => {
  it('brackets the projection: the soonest time at the fastest rate, the latest at the slowest', () => {
    const p = trend(snapshots(), { limit: LIMIT }).projection!;
    expect(p.rateError!).toBeGreaterThan(0);
    expect(p.rateLow!).toBeLessThan(p.rate);
    expect(p.rateHigh!).toBeGreaterThan(p.rate);
    expect(p.rateHigh! - p.rate).toBeCloseTo(1.959964 * p.rateError!, 0);
    expect(p.afterLow!).toBeCloseTo((p.heapLimit - p.heap) / p.rateHigh!, 6);
    expect(p.afterHigh!).toBeCloseTo((p.heapLimit - p.heap) / p.rateLow!, 6);
    expect(p.afterLow!).toBeLessThan(p.after!);
    expect(p.afterHigh!).toBeGreaterThan(p.after!);
  });

  it('--confidence widens it (and sets the verdicts); already over, the interval is 0', () => {
    const at = (confidence: number) => trend(snapshots(), { limit: LIMIT, confidence }).projection!;
    const loose = at(0.5);
    const strict = at(0.999);
    expect(strict.afterHigh! - strict.afterLow!).toBeGreaterThan(3 * (loose.afterHigh! - loose.afterLow!));
    expect(trend(snapshots(), { confidence: 0.999 }).confidence).toBe(0.999);
    const over = trend(snapshots(), { limit: 1024 }).projection!;
    expect([over.after, over.afterLow, over.afterHigh]).toEqual([0, 0, 0]);
    expect(profileErrorFrom(() => trend(snapshots(), { confidence: 1 })).detail).toMatch(/confidence/);
  });

  it('nothing leaks: no rate error and no interval', () => {
    const p = trend(snapshots(), { limit: LIMIT, focus: 'batcher' }).projection!;
    expect(p).toMatchObject({ after: null, rateError: null, rateLow: null, rateHigh: null, afterLow: null, afterHigh: null });
  });

  it('the CLI takes --confidence and prints the range at that level', async () => {
    const result = await runCli(['trend', '--limit', '1GB', '--confidence', '0.99', `${PROFILES}/heap-0*.pb.gz`]);
    expect(result.stdout).toMatch(/^Limit: +1GB reached in about 2m 9s \(99%: 2m \d+s to 2m \d+s\) at the leaks' \+25\.82GB\/h ± [\d.]+MB\/h,/m);
    const bad = await runCli(['trend', '--confidence', '95', `${PROFILES}/heap-0*.pb.gz`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--confidence/);
  });
});
