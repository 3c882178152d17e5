import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { parseLegacyHeap } from '../decode/legacy-heap.js';
import { resolveSampleType } from '../model/sample-type.js';
import type { Profile } from '../model/profile.js';
import { encodeProfile } from '../test-support/build-profile.js';
import { aggregate, aggregateWithError } from './aggregate.js';
import { sampleVariances } from './sampling.js';
import { SiteTable } from './sites.js';

const load = (path: string): Profile => parseProfile(readFileSync(path));
const typeOf = (p: Profile, name: string) => resolveSampleType(p, name);
const column = (p: Profile, t: number) => Array.from({ length: p.samples.count }, (_, i) => p.samples.values[i * p.sampleTypes.length + t]!);

describe('per-sample sampling variance, from the profile itself', () => {
  it('Go heap (period 512, space/bytes): raw counts within 1 of whole numbers (Go truncates), V ≤ R·b, → 0 for big objects', () => {
    const p = load('testdata/go/leakysvc/profiles/heap-08.pb.gz');
    expect(p.periodType).toEqual({ type: 'space', unit: 'bytes' });
    for (const name of ['inuse_space', 'alloc_space']) {
      const t = typeOf(p, name);
      const s = sampleVariances(p, t);
      expect(s.model).toBe('bytes');
      expect(s.period).toBe(512);
      const b = column(p, t);
      b.forEach((bytes, i) => {
        const k = s.rawCount![i]!;
        expect(k - Math.floor(k + 1e-9)).toBeLessThan(1);
        expect(Math.abs(k - Math.round(k))).toBeLessThan(1);
        expect(s.variance![i]!).toBeLessThanOrEqual(512 * bytes * (1 + 1e-12));
      });
    }
    // The 4 KiB leak objects (Z = 8R): sampled with p ≈ 1, so nearly no variance per byte.
    const t = typeOf(p, 'inuse_space');
    const s = sampleVariances(p, t);
    const o = column(p, typeOf(p, 'inuse_objects'));
    const b = column(p, t);
    const big = b.findIndex((bytes, i) => o[i]! > 0 && bytes / o[i]! > 4000);
    expect(big).toBeGreaterThanOrEqual(0);
    expect(s.variance![big]! / b[big]!).toBeLessThan(512 * 0.01);
  });

  it('a Node heap profile (@datadog/pprof: inuse_space/bytes, period 32768) pairs inuse_space with inuse_objects; the old names too', () => {
    for (const path of ['testdata/node/heap-current.pb.gz', 'testdata/node/legacy-objects-space/heap-current.pb.gz']) {
      const p = load(path);
      expect(p.period).toBe(32768);
      const t = p.sampleTypes.findIndex((x) => x.unit === 'bytes');
      const s = sampleVariances(p, t);
      expect(s.model).toBe('bytes');
      // V8 rounds its counts: k = o·p is within a rounding of an integer for each sample.
      s.rawCount!.forEach((k) => expect(k).toBeGreaterThan(0));
      const objects = sampleVariances(p, 1 - t);
      expect(objects.model).toBe('bytes');
    }
  });

  it('no objects column: the bound R·b, flagged', () => {
    const p = parseProfile(encodeProfile({ sampleTypes: [['inuse_space', 'bytes']], period: 1000, samples: [{ stack: ['a@a.go:1'], values: [5000] }] }));
    const s = sampleVariances({ ...p, periodType: { type: 'space', unit: 'bytes' } }, 0);
    expect(s.model).toBe('bytes-bound');
    expect(s.variance![0]).toBe(5_000_000);
    expect(s.rawCount![0]).toBe(5);
  });

  it('goroutine and period-less profiles are exact; CPU counts are Poisson (count·period²)', () => {
    const g = load('testdata/go/shapes/profiles/goroutine.pb.gz');
    expect(sampleVariances(g, 0)).toMatchObject({ model: 'exact', variance: null });
    const cpu = load('testdata/go/shapes/profiles/cpu.pb.gz');
    expect(cpu.periodType?.unit).toBe('nanoseconds');
    const R = cpu.period;
    const samples = column(cpu, 0);
    const ns = column(cpu, 1);
    const vs = sampleVariances(cpu, 1);
    expect(vs.model).toBe('counts');
    samples.forEach((count, i) => {
      expect(ns[i]).toBe(count * R);
      expect(vs.variance![i]).toBeCloseTo(count * R * R, 0);
    });
    expect(Array.from(sampleVariances(cpu, 0).variance!)).toEqual(samples);
  });

  it('the legacy text heap profile reads as byte-sampled too', () => {
    const p = parseLegacyHeap(readFileSync('testdata/go/leakysvc/profiles/heap-08.txt'));
    expect(sampleVariances(p, typeOf(p, 'inuse_space')).model).toBe('bytes');
  });
});

describe('aggregateWithError', () => {
  it('sums variances like values: flat over leaf samples, cum once per sample; values equal aggregate()', () => {
    const p = load('testdata/go/shapes/profiles/deep.pb.gz');
    const t = typeOf(p, 'inuse_space');
    const sites = new SiteTable('functions');
    const plain = aggregate({ profile: p, typeIndex: t, sites });
    const withError = aggregateWithError({ profile: p, typeIndex: t, sites });
    expect(Array.from(withError.flat)).toEqual(Array.from(plain.flat));
    expect(Array.from(withError.cum)).toEqual(Array.from(plain.cum));
    // The same sums by a direct, slow computation.
    const s = sampleVariances(p, t);
    const frameSite = sites.siteOfFrames(p);
    const flatV = new Float64Array(sites.size);
    const cumV = new Float64Array(sites.size);
    for (let i = 0; i < p.samples.count; i++) {
      const stack = Array.from(p.samples.stackFrames.subarray(p.samples.stackStart[i]!, p.samples.stackStart[i + 1]!), (f) => frameSite[f]!);
      if (stack.length === 0) continue;
      flatV[stack[0]!]! += s.variance![i]!;
      for (const site of new Set(stack)) cumV[site]! += s.variance![i]!;
    }
    for (let site = 0; site < sites.size; site++) {
      expect(withError.flatVariance![site]).toBeCloseTo(flatV[site]!, 6);
      expect(withError.cumVariance![site]).toBeCloseTo(cumV[site]!, 6);
      expect(withError.cumVariance![site]!).toBeLessThanOrEqual(512 * withError.cum[site]! * (1 + 1e-9));
    }
    expect(withError.flatAlloc).not.toBeNull();
  });
});
