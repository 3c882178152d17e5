import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshots, type Shape } from '../bench/generate.js';
import { parseProfile } from '../decode/parse.js';
import { top, type TopOptions } from '../report/top.js';
import { siteStatistics } from '../report/significance.js';
import { correctedVarianceOf } from './sampling.js';
import { diffProfiles } from './diff.js';
import type { SiteErrors } from './aggregate.js';
import { changedSiteTests, kernelLeaders, setSiteTestsKernel, siteTestsMemory } from './site-tests-kernel.js';
import { leaders } from '../report/select.js';
import fc from 'fast-check';
import { aggregateKernel } from './aggregate-kernel.js';
import { WASM_BASE64 as AGGREGATE_BASE64 } from '../wasm/aggregate.wasm.js';
import { WASM_BASE64 as SITE_TESTS_BASE64 } from '../wasm/site-tests.wasm.js';

/**
 * The WebAssembly kernel against the report's JavaScript (top.ts changedSites, significance.ts
 * siteStatistics, fdr.ts zTestRejections), its oracle: the same reports, and the same statistics
 * to the bit, on real pairs, a bench-shaped pair and columns with numbers no profile holds.
 */
const TESTDATA = resolve(import.meta.dirname, '../../testdata');
const read = (path: string) => parseProfile(readFileSync(resolve(TESTDATA, path)));
const PAIRS = [
  ['go/leakysvc/profiles/heap-01.pb.gz', 'go/leakysvc/profiles/heap-08.pb.gz'],
  ['go/tenants/profiles/heap-01.pb.gz', 'go/tenants/profiles/heap-06.pb.gz'],
  ['node/heap-base.pb.gz', 'node/heap-current.pb.gz'],
  ['go/leakysvc/default-rate/null-a.pb.gz', 'go/leakysvc/default-rate/null-b.pb.gz'],
  ['go/goroutine-leak/profiles/goroutine-0.pb.gz', 'go/goroutine-leak/profiles/goroutine-4.pb.gz'],
] as const;
const SMALL_BOX: Shape = { samples: 3000, functions: 2000, locations: 4000, seed: 11 };
const OPTIONS: TopOptions[] = [
  { nodeCount: 0 },
  { nodeCount: 0, sort: 'cum', confidence: 0.8 },
  { nodeCount: 0, granularity: 'lines', confidence: 0.99 },
  { nodeCount: 5, sampleIndex: 'alloc_space', granularity: 'files' },
  { nodeCount: 0, sameProcess: true },
  // A cut list: its largest decreases come from the significant rows alone (top.ts largestDecreasesAt).
  { nodeCount: 10 },
  { nodeCount: 3, sort: 'cum', confidence: 0.8 },
];

afterEach(() => setSiteTestsKernel(true));

function reports(base: ReturnType<typeof parseProfile>, current: ReturnType<typeof parseProfile>, options: TopOptions) {
  // Profiles of their own for each run: reports remember per-profile work.
  const run = (on: boolean) => {
    setSiteTestsKernel(on);
    return top(diffProfiles({ ...base }, { ...current }), options);
  };
  return [run(true), run(false)] as const;
}

describe('the site tests kernel', () => {
  it.each(PAIRS)('gives top the same report as the JavaScript: %s → %s', (a, b) => {
    const [base, current] = [read(a), read(b)];
    for (const options of OPTIONS) {
      if (options.sampleIndex !== undefined && !base.sampleTypes.some((t) => t.type === options.sampleIndex)) continue;
      const [kernel, js] = reports(base, current, options);
      expect(kernel).toEqual(js);
      expect(kernel.rows.length).toBeGreaterThan(0);
    }
  });

  it('gives the same report on a bench-shaped pair of thousands of changed sites', () => {
    const [base, current] = snapshots(SMALL_BOX, 2).map((bytes) => parseProfile(bytes));
    let decreases = 0;
    for (const options of OPTIONS) {
      const [kernel, js] = reports(base!, current!, options);
      expect(kernel).toEqual(js);
      expect(kernel.totalRows).toBeGreaterThan(1000);
      expect(kernel.rows.filter((r) => r.significant).length).toBeGreaterThan(0);
      decreases += kernel.decreases?.length ?? 0;
    }
    expect(decreases).toBeGreaterThan(0);
  });

  it('finds the leading rows select.ts leaders finds, ties at the k-th included, either way round', () => {
    // Keys from a small pool, so that ties (and -0 beside 0) are common.
    const pool = [-7, -1.5, -0, 0, 0.25, 3, 3, 1e300, -1e300, Infinity];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 60 }), fc.nat(70), fc.boolean(), (keys, k, smallestFirst) => {
        const key = Float64Array.from(keys);
        const rows = Array.from(key, (_, i) => i);
        expect(Array.from(kernelLeaders(key, k, smallestFirst)!)).toEqual(leaders(rows, key, k, smallestFirst));
      }),
      { numRuns: 300 },
    );
    const big = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 1013) - 500);
    expect(Array.from(kernelLeaders(big, 10)!)).toEqual(leaders(Array.from(big, (_, i) => i), big, 10));
    // A NaN key is the JavaScript's to order; so is a k past the kernel's limit.
    expect(kernelLeaders(Float64Array.from([1, NaN, 2]), 1)).toBeNull();
    expect(kernelLeaders(big, 100_000)).toBeNull();
  });

  it("runs in the aggregate kernel's memory, whose pages a report has touched already", () => {
    expect(siteTestsMemory()).not.toBeNull();
    expect(siteTestsMemory()).toBe(aggregateKernel()!.memory);
  });

  it('leaves the sites whose numbers are not finite to the general test, and computes the rest bit for bit', () => {
    const size = 9;
    const column = (values: number[]) => Float64Array.from(values);
    const side = (flat: number[], cum: number[], variance: number[], count: number[]): SiteErrors => ({
      model: 'bytes',
      period: 524288,
      flat: column(flat),
      cum: column(cum),
      flatVariance: column(variance),
      cumVariance: column(variance.map((v) => v * 2)),
      flatCount: column(count),
      cumCount: column(count.map((k) => k + 1)),
      flatAlloc: null,
      cumAlloc: null,
    });
    const base = side([0, 1, 5, 0, Infinity, 3, 7, 0, 1.5e308], [0, 1, 9, 4, 0, 3, 7, 2, 1.5e308], [0, 0.5, 2, 1, 0, NaN, 3, 0, 1e300], [0, 1, 3, 0, 1, 2, 3, 0, 1]);
    const current = side([0, 1, 2, 0, 1, 8, 7, 0, -1.5e308], [0, 2, 9, 6, 1, 8, 9, 0, -1.5e308], [0, 0.5, 1, 0, 0, 1, 3, -4, 1e300], [0, 1, 2, 0, 1, 2, 3, 0, 1]);
    for (const cumSort of [false, true]) {
      const tests = changedSiteTests(size, base, current, cumSort)!;
      expect(tests).not.toBeNull();
      // The JavaScript's changed sites and their keys.
      const sites: number[] = [];
      const cumKeys = new Uint8Array(size);
      for (let s = 0; s < size; s++) {
        const flat = current.flat[s]! - base.flat[s]!;
        const cum = current.cum[s]! - base.cum[s]!;
        if (flat === 0 && cum === 0) continue;
        cumKeys[sites.length] = cumSort !== ((cumSort ? cum : flat) === 0) ? 1 : 0;
        sites.push(s);
      }
      expect(Array.from(tests.site)).toEqual(sites);
      // Rows siteStatistics would not test itself (a change or variance not finite and non-negative) are left to the caller.
      const general = sites.flatMap((s, i) => {
        const key = cumKeys[i] === 1 ? 'cum' : 'flat';
        const change = current[key][s]! - base[key][s]!;
        const v = correctedVarianceOf(base[`${key}Variance`]![s]!, base[`${key}Count`]![s]!, current[`${key}Variance`]![s]!, current[`${key}Count`]![s]!);
        return Number.isFinite(change) && Number.isFinite(v) && v >= 0 ? [] : [i];
      });
      expect(Array.from(tests.fallback)).toEqual(general);
      expect(general.length).toBeGreaterThanOrEqual(3);
      const tested = sites.flatMap((_, i) => (general.includes(i) ? [] : [i]));
      const expected = siteStatistics(base, current, tested.map((i) => sites[i]!), Uint8Array.from(tested, (i) => cumKeys[i]!), false);
      tested.forEach((i, j) => expect(Object.is(tests.statistics[i], expected[j])).toBe(true));
      for (const i of general) expect(tests.statistics[i]).toBeNaN();
    }
  });
});

describe("the site-tests kernel in the aggregate kernel's memory", () => {
  /** The ids of a module's sections, in order (the wasm binary format: id byte, LEB128 size). */
  const sectionIds = (bytes: Uint8Array): number[] => {
    const ids: number[] = [];
    for (let at = 8; at < bytes.length; ) {
      const id = bytes[at++]!;
      let size = 0;
      for (let shift = 0; ; shift += 7) {
        const b = bytes[at++]!;
        size += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
      }
      ids.push(id);
      at += size;
    }
    return ids;
  };

  it('shares a memory in which neither module has static data: its scratch from its own heap base would write over the other\'s', () => {
    const DATA = 11;
    const [aggregate, siteTests] = [AGGREGATE_BASE64, SITE_TESTS_BASE64].map((base64) => sectionIds(Buffer.from(base64, 'base64')));
    // The parser reads real modules: both have code (section 10).
    expect(aggregate).toContain(10);
    expect(siteTests).toContain(10);
    expect(aggregate).not.toContain(DATA);
    expect(siteTests).not.toContain(DATA);
  });
});
