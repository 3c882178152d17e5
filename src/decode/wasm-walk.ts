import type { F64List, IdList, U32List } from '../base/growable.js';
import type { FrameTable } from '../model/profile.js';
import { instantiate } from '../wasm/instantiate.js';
import { WASM_BASE64 } from '../wasm/wire-walk.wasm.js';
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

/** The kernel that walked a RawProfile, which still holds its columns for resolving them. */
const walkedBy = new WeakMap<RawProfile, WalkKernel>();

/**
 * Past this the walk stays JavaScript: the kernel holds a copy of its input and its columns in
 * one 32-bit memory (at most 4 GB), and a profile this big spends its time walking, not compiling.
 */
const MAX_KERNEL_INPUT = 1 << 28;

/**
 * walkProfile (wire-walk.ts) done by the WebAssembly kernel: the same RawProfile, or null when
 * there is no WebAssembly or the kernel does not take this input (anything malformed or unusual,
 * see the kernel's source): the caller then walks it in JavaScript, which refuses it exactly as
 * before. A process decoding one profile runs this at full speed from its first byte, where the
 * JavaScript walk runs mostly unoptimised.
 */
export function kernelWalk(buf: Uint8Array, maxBytes: number): RawProfile | null {
  if (buf.length > MAX_KERNEL_INPUT) return null;
  const instance = instantiate(WASM_BASE64);
  if (instance === null) return null;
  const kernel = instance.exports as unknown as WalkKernel;
  const raw = new RawProfile(buf, maxBytes, false);
  try {
    const at = kernel.prepare(buf.length) >>> 0;
    new Uint8Array(kernel.memory.buffer, at, buf.length).set(buf);
    kernel.walk(Math.min(raw.entryLimit, 0xffffffff));
  } catch (thrown) {
    // A trap: the kernel refused the input (or ran out of memory).
    if (thrown instanceof WebAssembly.RuntimeError) return null;
    throw thrown;
  }
  const memory = kernel.memory.buffer;
  const table = new Uint32Array(memory, kernel.columnTable() >>> 0, 3 * COLUMNS);
  const floats = (column: number, list: F64List): void => {
    const n = table[3 * column + 1]!;
    list.data = new Float64Array(memory, table[3 * column]!, n).slice();
    list.length = n;
  };
  const ints = (column: number, list: U32List | IdList): void => {
    const n = table[3 * column + 1]!;
    list.data = new Uint32Array(memory, table[3 * column]!, n).slice();
    list.length = n;
  };
  // In the kernel's column order.
  floats(0, raw.sampleTypes);
  ints(1, raw.locationEnd);
  ints(2, raw.locationIds);
  ints(3, raw.valueEnd);
  floats(4, raw.values);
  floats(5, raw.mappingId);
  floats(6, raw.mappingFile);
  floats(7, raw.mappingStart);
  floats(8, raw.mappingLimit);
  floats(9, raw.mappingOffset);
  floats(10, raw.mappingBuildId);
  floats(11, raw.locationId);
  floats(12, raw.locationMapping);
  floats(13, raw.locationAddress);
  ints(14, raw.lineEnd);
  floats(15, raw.lineFunction);
  floats(16, raw.lineNumber);
  floats(17, raw.functionId);
  floats(18, raw.functionName);
  floats(19, raw.functionFile);
  floats(20, raw.functionStartLine);
  floats(21, raw.strings);
  floats(22, raw.comments);
  const s = new Float64Array(memory, kernel.scalarTable() >>> 0, SCALARS);
  raw.sampleCount = s[0]!;
  raw.labelCount = s[1]!;
  raw.stringSpan.set(s.subarray(2, 5));
  raw.header = {
    timeNanos: s[5]!,
    durationNanos: s[6]!,
    period: s[7]!,
    defaultSampleType: s[8]!,
    periodType: s[9] === 1 ? { type: s[10]!, unit: s[11]! } : undefined,
  };
  walkedBy.set(raw, kernel);
  kernelCounts.walked++;
  return raw;
}

/** Profiles the kernel walked, and resolved, in this thread: how tests (and a curious reader) tell which path ran. */
export const kernelCounts = { walked: 0, resolved: 0 };

/**
 * A live view of column `column` (the kernel's numbering) of the kernel that walked `raw`, before
 * it resolves: for the test showing that a wrong kernel result would not go unnoticed.
 */
export function kernelColumn(raw: RawProfile, column: number): Float64Array | Uint32Array | null {
  const kernel = walkedBy.get(raw);
  if (kernel === undefined) return null;
  const table = new Uint32Array(kernel.memory.buffer, kernel.columnTable() >>> 0, 3 * COLUMNS);
  const wide = [1, 2, 3, 14].includes(column) ? Uint32Array : Float64Array;
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
export function kernelResolve(raw: RawProfile, strings: RawStrings, typeCount: number, frameLimit: number): KernelStacks | null {
  const kernel = walkedBy.get(raw);
  if (kernel === undefined) return null;
  walkedBy.delete(raw);
  try {
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
    strings.adopt(new Int32Array(memory, at, assigned.length), new Uint32Array(memory, r[9]!, r[10]!));
    kernelCounts.resolved++;
    return { frames, stackStart, stackFrames };
  } catch (thrown) {
    if (thrown instanceof WebAssembly.RuntimeError) return null;
    throw thrown;
  }
}

const RESULTS = 11;
const COLUMNS = 23;
const SCALARS = 12;
