import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshots, type Shape } from '../bench/generate.js';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { aggregate, aggregateWithError, profileTotals } from './aggregate.js';
import { aggregateKernel, setAggregateKernel } from './aggregate-kernel.js';
import { CallEdges, siteInlineMarks } from './call-edges.js';
import { sampleVariances } from './sampling.js';
import { GRANULARITIES, SiteTable, type Granularity } from './sites.js';

/**
 * The WebAssembly kernel against aggregate.ts's JavaScript loops, its oracle: every column the
 * same to the bit (byte for byte), on real profiles of every kind in testdata, bench-shaped
 * profiles (runs of samples copied in several chunks) and a stack deeper than a chunk.
 */
const TESTDATA = resolve(import.meta.dirname, '../../testdata');
const REAL = [
  'node/heap-base.pb.gz',
  'node/heap-current.pb.gz',
  'go/leakysvc/profiles/heap-01.pb.gz',
  'go/leakysvc/profiles/heap-07.pb.gz',
  'go/leakysvc/profiles/allocs.pb.gz',
  'go/leakysvc/default-rate/null-a.pb.gz',
  'go/tenants/profiles/heap-06.pb.gz',
  'go/goroutine-leak/profiles/goroutine-4.pb.gz',
  'go/fleet/current/pod-1.pb.gz',
  ...readdirSync(join(TESTDATA, 'go/shapes/profiles'))
    .filter((name) => name !== 'capture-info.txt')
    .map((name) => `go/shapes/profiles/${name}`),
];
/** Bench-shaped (src/bench/generate.ts), small enough for a unit test, big enough for several chunks. */
const SMALL_BOX: Shape = { samples: 4000, functions: 3000, locations: 6000, seed: 7 };

const COLUMNS = ['flat', 'cum', 'flatVariance', 'cumVariance', 'flatCount', 'cumCount', 'flatAlloc', 'cumAlloc'] as const;

afterEach(() => setAggregateKernel(true));

/** sampleVariances, aggregateWithError, aggregate and profileTotals of every sample type, with the kernel (on) or JavaScript (off). */
function columns(original: Profile, granularity: Granularity, on: boolean): Record<string, Float64Array | null | string> {
  // A profile object of its own: sampleVariances remembers each profile's variances.
  const profile = { ...original };
  setAggregateKernel(on);
  const out: Record<string, Float64Array | null | string> = {};
  // One site table for all types, as a report shares it: later calls see sites the profile added.
  const sites = new SiteTable(granularity);
  for (let t = 0; t < profile.sampleTypes.length; t++) {
    const sampling = sampleVariances(profile, t);
    out[`${t} sample variance`] = sampling.variance;
    out[`${t} sample raw count`] = sampling.rawCount;
    const errors = aggregateWithError({ profile, typeIndex: t, sites });
    out[`${t} model`] = errors.model;
    for (const c of COLUMNS) out[`${t} ${c}`] = errors[c];
    const plain = aggregate({ profile, typeIndex: t, sites });
    out[`${t} plain flat`] = plain.flat;
    out[`${t} plain cum`] = plain.cum;
    // Summed along with aggregateWithError's columns (its kernel pass), and on their own (a profile not aggregated).
    const totals = profileTotals(profile, t);
    out[`${t} totals`] = Float64Array.of(totals.signed, totals.absolute, totals.variance, totals.rawCount, totals.alloc ?? -1, totals.deepest);
    const alone = profileTotals({ ...original }, t);
    out[`${t} totals alone`] = Float64Array.of(alone.signed, alone.absolute, alone.variance, alone.rawCount, alone.alloc ?? -1, alone.deepest);
  }
  setAggregateKernel(true);
  return out;
}

/** Byte-identical columns (so -0 and 0, or two NaNs, must match too), naming the first difference. */
function expectSameColumns(profile: Profile, granularity: Granularity): void {
  const kernel = columns(profile, granularity, true);
  const js = columns(profile, granularity, false);
  expect(Object.keys(kernel)).toEqual(Object.keys(js));
  for (const key of Object.keys(js)) {
    const a = kernel[key]!;
    const b = js[key]!;
    if (typeof b === 'string' || b === null || typeof a === 'string' || a === null) {
      expect(a, key).toEqual(b);
      continue;
    }
    expect(a.length, key).toBe(b.length);
    const bytesA = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const bytesB = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const at = bytesA.findIndex((x, i) => x !== bytesB[i]);
    expect(at < 0 ? 'same' : `${key}[${at >> 3}]: kernel ${a[at >> 3]}, JavaScript ${b[at >> 3]}`).toBe('same');
  }
}

/**
 * Call edges into some sites (every `every`-th, from `from`; a few sites take the native-search
 * path of the JS, many its scan) and the inline marks of every site, built after the kernel's or
 * the JavaScript's search for the samples that hold them.
 */
function edges(profile: Profile, on: boolean): unknown[] {
  setAggregateKernel(on);
  const sites = new SiteTable('lines');
  sites.siteOfFrames(profile);
  const side = { profile, typeIndex: profile.sampleTypes.length - 1 };
  const some = new Uint8Array(sites.size).map((_, s) => (s % 3 === 0 ? 1 : 0));
  const out: unknown[] = [siteInlineMarks([side], sites), siteInlineMarks([side, side], sites, {}, some)];
  for (const [from, every] of [[0, 1], [3, 7], [1, 50], [sites.size >> 1, sites.size]] as const) {
    const only = new Uint8Array(sites.size);
    for (let s = from; s < sites.size; s += every) only[s] = 1;
    const table = new CallEdges();
    table.add(profile, profile.sampleTypes.length - 1, sites, 0, {}, only);
    const n = table.size;
    out.push([n, table.caller.slice(0, n), table.callee.slice(0, n), table.weight[0].slice(0, n), table.inline.slice(0, n)]);
  }
  setAggregateKernel(true);
  return out;
}

describe('aggregation kernel (WebAssembly) against the JavaScript loops', () => {
  it('runs here: Node has WebAssembly, so a broken kernel cannot hide behind the JavaScript path', () => {
    expect(aggregateKernel()).not.toBeNull();
    setAggregateKernel(false);
    expect(aggregateKernel()).toBeNull();
  });

  it.each(REAL)('%s: every column of every sample type and granularity is the same, and the call edges into some sites', (file) => {
    const profile = parseProfile(readFileSync(join(TESTDATA, file)));
    for (const granularity of GRANULARITIES) expectSameColumns(profile, granularity);
    expect(edges(profile, true)).toEqual(edges(profile, false));
  });

  it('bench-shaped profiles (several chunks of samples): the same columns', () => {
    const [base, current] = snapshots(SMALL_BOX, 2).map((bytes) => parseProfile(bytes));
    expect(base!.samples.stackStart[base!.samples.count]).toBeGreaterThan(2 * 65536);
    for (const granularity of GRANULARITIES) {
      expectSameColumns(base!, granularity);
      expectSameColumns(current!, granularity);
    }
    expect(edges(current!, true)).toEqual(edges(current!, false));
  });

  it("objects of every size against the sampling period (every branch of V8's expm1): the same variances", () => {
    // Z/R from 1e-6 to ~700 and past it, both columns zero, one of them zero: as Go writes them.
    const samples = Array.from({ length: 3000 }, (_, i) => {
      const objects = i % 97 === 0 ? 0 : 1 + (i % 13);
      const size = Math.round(Math.exp((i % 300) / 12) * (1 + (i % 7) / 10) * 0.5);
      const bytes = i % 89 === 0 ? 0 : objects * size;
      return { stack: [`main.f${i % 40}@/s.go:${i % 5}`, 'main.main@/m.go:1'], values: [objects, bytes, objects, bytes] };
    });
    const profile = parseProfile(encodeProfile({ samples, period: 512 * 1024 }));
    expect(sampleVariances(profile, 3).model).toBe('bytes');
    expectSameColumns(profile, 'functions');
  });

  it('a stack deeper than a chunk, between shallow ones, with recursion and a zero sample: the same columns', () => {
    const deep = Array.from({ length: 70_000 }, (_, i) => `main.f${i % 5000}@/d.go:${i % 7}`);
    const profile = parseProfile(
      encodeProfile({
        samples: [heap(['main.a@/a.go:1', 'main.main@/m.go:1'], 512), heap(deep, 4096), heap(['main.b@/b.go:2', 'main.a@/a.go:1'], 0), heap(['main.a@/a.go:3'], 64)],
      }),
    );
    for (const granularity of GRANULARITIES) expectSameColumns(profile, granularity);
    expect(edges(profile, true)).toEqual(edges(profile, false));
  });
});
