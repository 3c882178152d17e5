import type { F64List, IdList, U32List } from '../base/growable.js';
import type { FrameTable } from '../model/profile.js';
import { instantiate } from '../wasm/instantiate.js';
import { WASM_BASE64 } from '../wasm/wire-walk.wasm.js';
import { stackFrameLimit } from './frame-limit.js';
import type { RawStrings } from './raw-strings.js';
import { RawProfile } from './wire-walk.js';

/** The kernel's exports (src/wasm/wire-walk.as.ts). Addresses are u32, read with >>> 0. */
interface WalkKernel {
  readonly memory: WebAssembly.Memory;
  prepare(bytes: number): number;
  walk(entryLimit: number): void;
  columnTable(): number;
  scalarTable(): number;
  prepareResolve(): number;
  resolve(nextStringId: number, typeCount: number, frameLimit: number): void;
  resultTable(): number;
}

/**
 * The kernel that walked a RawProfile, which still holds its columns for resolving them; `lazy`:
 * the columns only resolving reads are not copied into the RawProfile yet (kernelWalk).
 */
const walkedBy = new WeakMap<RawProfile, { kernel: WalkKernel; lazy: boolean }>();

/**
 * Past this the walk stays JavaScript. The kernel's gain is the cold code it spares, about the
 * same for any size, while its memory grows with the input: a copy of it and the kernel's columns,
 * held until the GC frees the instance. On the fat pair (12.8 MB raw per side, decoded by two
 * threads) it cost 62 MB of peak memory (172 -> 234 MB) for ~5% of CPU; the 10k pair (3.2 MB
 * per side) decodes in half the time with it.
 */
const MAX_KERNEL_INPUT = 8 << 20;

/**
 * walkProfile (wire-walk.ts) done by the WebAssembly kernel: the same RawProfile, or null when
 * there is no WebAssembly or the kernel does not take this input (anything malformed or unusual,
 * see the kernel's source): the caller then walks it in JavaScript, which refuses it exactly as
 * before. A process decoding one profile runs this at full speed from its first byte, where the
 * JavaScript walk runs mostly unoptimised. `lazy`: the columns only resolving reads (location ids,
 * locations, lines, functions: most of a big profile's memory) stay in the kernel until
 * kernelResolve needs them in JavaScript, which it then copies; until then those lists are empty.
 */
export function kernelWalk(buf: Uint8Array, maxBytes: number, lazy = false): RawProfile | null {
  if (buf.length > MAX_KERNEL_INPUT) return null;
  const kernel = takeKernel();
  if (kernel === null) return null;
  const raw = new RawProfile(buf, maxBytes, false);
  try {
    const at = kernel.prepare(buf.length) >>> 0;
    new Uint8Array(kernel.memory.buffer, at, buf.length).set(buf);
    kernel.walk(Math.min(raw.entryLimit, 0xffffffff));
  } catch (thrown) {
    // A trap: the kernel refused the input (or ran out of memory).
    if (!(thrown instanceof WebAssembly.RuntimeError)) throw thrown;
    spare = kernel;
    return null;
  }
  copyColumns(kernel, raw, lazy ? LIGHT : ALL);
  const memory = kernel.memory.buffer;
  const s = new Float64Array(memory, kernel.scalarTable() >>> 0, SCALARS);
  raw.sampleCount = s[0]!;
  raw.labelCount = s[1]!;
  raw.stringSpan.set(s.subarray(2, 5));
  raw.stringSpan[3] = s[12]!;
  raw.header = {
    timeNanos: s[5]!,
    durationNanos: s[6]!,
    period: s[7]!,
    defaultSampleType: s[8]!,
    periodType: s[9] === 1 ? { type: s[10]!, unit: s[11]! } : undefined,
  };
  walkedBy.set(raw, { kernel, lazy });
  kernelCounts.walked++;
  return raw;
}

/** The RawProfile lists, in the kernel's column order (wire-walk.as.ts). */
function listsOf(raw: RawProfile): readonly (F64List | U32List | IdList)[] {
  // prettier-ignore
  return [
    raw.sampleTypes, raw.locationEnd, raw.locationIds, raw.valueEnd, raw.values,
    raw.mappingId, raw.mappingFile, raw.mappingStart, raw.mappingLimit, raw.mappingOffset, raw.mappingBuildId,
    raw.locationId, raw.locationMapping, raw.locationAddress, raw.lineEnd, raw.lineFunction, raw.lineNumber,
    raw.functionId, raw.functionName, raw.functionFile, raw.functionStartLine, raw.strings, raw.comments,
  ];
}

/** Columns of 32-bit integers; the rest are doubles. */
const INT_COLUMNS = [1, 2, 3, 14];
const ALL = Array.from({ length: 23 }, (_, c) => c);
/** What resolving in the model needs either way: sample types, values, mappings, strings, comments. */
const LIGHT = [0, 4, 5, 6, 7, 8, 9, 10, 21, 22];
const HEAVY = ALL.filter((c) => !LIGHT.includes(c));

/** Copies these columns out of the kernel's memory into the RawProfile's lists. */
function copyColumns(kernel: WalkKernel, raw: RawProfile, columns: readonly number[]): void {
  const memory = kernel.memory.buffer;
  const table = new Uint32Array(memory, kernel.columnTable() >>> 0, 3 * COLUMNS);
  const lists = listsOf(raw);
  for (const c of columns) {
    const list = lists[c]!;
    const n = table[3 * c + 1]!;
    list.data = INT_COLUMNS.includes(c) ? new Uint32Array(memory, table[3 * c]!, n).slice() : new Float64Array(memory, table[3 * c]!, n).slice();
    list.length = n;
  }
}

/** Profiles the kernel walked, and resolved, in this thread: how tests (and a curious reader) tell which path ran. */
export const kernelCounts = { walked: 0, resolved: 0 };

/**
 * A live view of column `column` (the kernel's numbering) of the kernel that walked `raw`, before
 * it resolves: for the test showing that a wrong kernel result would not go unnoticed.
 */
export function kernelColumn(raw: RawProfile, column: number): Float64Array | Uint32Array | null {
  const kernel = walkedBy.get(raw)?.kernel;
  if (kernel === undefined) return null;
  const table = new Uint32Array(kernel.memory.buffer, kernel.columnTable() >>> 0, 3 * COLUMNS);
  const wide = INT_COLUMNS.includes(column) ? Uint32Array : Float64Array;
  return new wide(kernel.memory.buffer, table[3 * column]!, table[3 * column + 1]!);
}

/** What the kernel resolves: the model's frames and stacks. */
export interface KernelStacks {
  readonly frames: FrameTable;
  readonly stackStart: Uint32Array;
  readonly stackFrames: Uint32Array;
}

/**
 * expandLocations and fillStacks (wire-decoder.ts) done by the kernel that walked `raw`, on its
 * columns still in its memory; `strings` gets the strings it interned. Null when the kernel did
 * not walk `raw`, or does not take it (an error to report, an ASCII-less string table, an
 * unnamed frame, sparse ids): then `strings` is untouched and the caller resolves in JavaScript.
 */
export function kernelResolve(raw: RawProfile, strings: RawStrings, typeCount: number): KernelStacks | null {
  const walked = walkedBy.get(raw);
  if (walked === undefined) return null;
  walkedBy.delete(raw);
  const { kernel, lazy } = walked;
  try {
    const table = new Uint32Array(kernel.memory.buffer, kernel.columnTable() >>> 0, 3 * COLUMNS);
    // As fillStacks: the frame limit, or what the budget leaves after the location ids and values.
    const frameLimit = stackFrameLimit(raw.maxBytes, table[3 * 2 + 1]! + table[3 * 4 + 1]!, raw.buf.length).limit;
    const at = kernel.prepareResolve() >>> 0;
    const assigned = strings.assigned();
    new Int32Array(kernel.memory.buffer, at, assigned.length).set(assigned);
    kernel.resolve(strings.values.length, typeCount, frameLimit);
    const memory = kernel.memory.buffer;
    const r = new Uint32Array(memory, kernel.resultTable() >>> 0, RESULTS);
    const count = r[0]!;
    const int32s = (at: number, n: number): Int32Array => new Int32Array(memory, at, n).slice();
    const frames: FrameTable = {
      count,
      name: int32s(r[1]!, count),
      file: int32s(r[2]!, count),
      line: int32s(r[3]!, count),
      startLine: int32s(r[4]!, count),
      inlined: new Uint8Array(memory, r[5]!, count).slice(),
    };
    const stackStart = new Uint32Array(memory, r[6]!, raw.sampleCount + 1).slice();
    const stackFrames = new Uint32Array(memory, r[7]!, r[8]!).slice();
    // The new strings decoded in one go, and split: a slice of a string each cost more.
    const texts = r[10] === 0 ? [] : utf8.decode(new Uint8Array(memory, r[11]!, r[12]!)).split('\0');
    const found = new Int32Array(memory, kernel.resultTable() >>> 0, RESULTS);
    strings.adopt(new Int32Array(memory, at, assigned.length), texts, new Map([['pprof::base', found[13]!], ['true', found[14]!]]));
    kernelCounts.resolved++;
    return { frames, stackStart, stackFrames };
  } catch (thrown) {
    if (!(thrown instanceof WebAssembly.RuntimeError)) throw thrown;
    // Refused before it changed any column: JavaScript resolves them.
    if (lazy) copyColumns(kernel, raw, HEAVY);
    return null;
  } finally {
    spare = kernel;
  }
}

/**
 * A kernel not walking or resolving anything, kept for the thread's next profile: its memory is
 * then already grown and its pages already touched (a new one costs a page fault per 4 kB it
 * uses). At most one, holding what the largest profile walked needed (inputs are at most 8 MB).
 */
let spare: WalkKernel | null = null;

function takeKernel(): WalkKernel | null {
  const kernel = spare;
  spare = null;
  return kernel ?? (instantiate(WASM_BASE64)?.exports as unknown as WalkKernel | undefined) ?? null;
}

const RESULTS = 15;
const utf8 = new TextDecoder();
const COLUMNS = 23;
const SCALARS = 13;
