import { WASM_BASE64 } from '../wasm/site-tests.wasm.js';
import { ensureBytes, instantiate } from '../wasm/instantiate.js';
import type { SiteErrors } from './aggregate.js';
import { aggregateKernel } from './aggregate-kernel.js';

/**
 * A diff's changed sites and their statistics by the WebAssembly kernel src/wasm/site-tests.as.ts:
 * a report tests every changed site (thousands) once per process, and as JavaScript those loops
 * run mostly before they are compiled. Null where WebAssembly is missing or the sides are not the
 * usual (see changedSiteTests); the report's JavaScript (report/top.ts changedSites, significance.ts
 * siteStatistics, stats/fdr.ts zTestRejections) then runs, and is the tests' oracle.
 */

interface Exports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  changed(size: number, columns: number, cumSort: number, site: number, flat: number, cum: number, z: number, fallback: number): number;
  fallbacks(): number;
  candidates(count: number, z: number, cut: number, out: number): number;
  tests(): number;
  leaders(count: number, key: number, k: number, smallestFirst: number, best: number, out: number): number;
}

let kernel: Exports | null | undefined;
let enabled = true;

/** For tests: off makes every answer null, so the report runs its JavaScript. */
export function setSiteTestsKernel(on: boolean): void {
  enabled = on;
}

/**
 * The kernel's instance, made once per thread, in the aggregate kernel's memory (a report runs
 * this kernel after that one, whose pages it finds touched already; see site-tests.as.ts), or in
 * one of its own where that kernel is off. Neither keeps anything in the memory between calls.
 */
function siteTestsKernel(): Exports | null {
  if (!enabled) return null;
  if (kernel === undefined) kernel = (instantiate(WASM_BASE64, aggregateKernel()?.memory)?.exports as unknown as Exports | undefined) ?? null;
  return kernel;
}

/** The kernel's memory (for tests: the aggregate kernel's, where that kernel is on); null without the kernel. */
export function siteTestsMemory(): WebAssembly.Memory | null {
  return siteTestsKernel()?.memory ?? null;
}

/** The changed sites of a diff, as columns in site order, with each one's statistic on the sort key. */
export interface ChangedSiteTests {
  readonly site: Int32Array;
  readonly flat: Float64Array;
  readonly cum: Float64Array;
  /**
   * The statistic (in the kernel's memory, until `candidates`: no kernel may run in between, the
   * aggregate kernel included, whose memory it is), NaN at the rows listed in `fallback`: the
   * caller tests those itself.
   */
  readonly statistics: Float64Array;
  /** Rows whose change or variance is not a finite, non-negative number (none, in a profile's numbers). */
  readonly fallback: Int32Array;
  /**
   * The rows whose statistic is at least `cut` in size, how many statistics are tests (not NaN),
   * and the statistics copied out, once the caller has filled in the fallback rows' statistics.
   */
  candidates(cut: number): { readonly rows: Int32Array; readonly tests: number; readonly statistics: Float64Array };
}

/**
 * changedSites and siteStatistics (independent sides: not the one-process model) of `size` sites,
 * or null: without WebAssembly, for an unknown model, or for columns not `size` long (a side
 * aggregated before the table grew), which the JavaScript reads as zeros through its own path.
 */
export function changedSiteTests(size: number, base: SiteErrors, current: SiteErrors, cumSort: boolean): ChangedSiteTests | null {
  if (base.model === 'unknown' || current.model === 'unknown') return null;
  const columns = [base.flat, base.cum, current.flat, current.cum, base.flatVariance, base.cumVariance, base.flatCount, base.cumCount, current.flatVariance, current.cumVariance, current.flatCount, current.cumCount];
  if (columns.some((c) => c !== null && c.length !== size)) return null;
  const k = siteTestsKernel();
  if (k === null) return null;
  const step = 8 * size;
  const at = (k.heapBase() + 7) & ~7;
  const site = at + 12 * step;
  const flat = site + 4 * size + (size & 1) * 4;
  const cum = flat + step;
  const z = cum + step;
  const fallback = z + step;
  const rows = fallback + 4 * size;
  ensureBytes(k.memory, rows + 4 * size);
  const memory = new Float64Array(k.memory.buffer, at, 12 * size);
  // Missing variance columns (an exact model) read as zeros, as siteStatistics reads them.
  columns.forEach((c, j) => (c === null ? memory.fill(0, j * size, (j + 1) * size) : memory.set(c, j * size)));
  const n = k.changed(size, at, cumSort ? 1 : 0, site, flat, cum, z, fallback);
  const buffer = k.memory.buffer;
  const statistics = new Float64Array(buffer, z, n);
  return {
    site: new Int32Array(buffer, site, n).slice(),
    flat: new Float64Array(buffer, flat, n).slice(),
    cum: new Float64Array(buffer, cum, n).slice(),
    statistics,
    fallback: new Int32Array(buffer, fallback, k.fallbacks()).slice(),
    candidates(cut) {
      const count = k.candidates(n, z, cut, rows);
      return { rows: new Int32Array(k.memory.buffer, rows, count).slice(), tests: k.tests(), statistics: statistics.slice() };
    },
  };
}

/** The most rows kernelLeaders keeps (k): each key past the k-th so far moves up to k of them. */
const MOST_LEADERS = 256;

/**
 * report/select.ts `leaders` of every row 0 … key.length − 1 by the kernel: the rows whose key is
 * among the k largest (smallestFirst: smallest), ties at the k-th included, ascending. A report
 * that shows ten rows of twenty thousand finds them in one pass, where the JavaScript copies and
 * sorts every key in a process that runs it once. Null without the kernel, for k above
 * MOST_LEADERS, or for a NaN key: the caller's `leaders` then.
 */
export function kernelLeaders(key: Float64Array, k: number, smallestFirst = false): Int32Array | null {
  if (k > MOST_LEADERS) return null;
  const kernel = siteTestsKernel();
  if (kernel === null) return null;
  const count = key.length;
  const at = (kernel.heapBase() + 7) & ~7;
  const best = at + 8 * count;
  const out = best + 8 * Math.max(k, 0);
  ensureBytes(kernel.memory, out + 4 * count);
  new Float64Array(kernel.memory.buffer, at, count).set(key);
  const n = kernel.leaders(count, at, k, smallestFirst ? 1 : 0, best, out);
  return n < 0 ? null : new Int32Array(kernel.memory.buffer, out, n).slice();
}
