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
  prepare(bytes: number, window: number): number;
  widen(window: number): number;
  walk(entryLimit: number, base: number, length: number, last: boolean): number;
  placeStrings(from: number, to: number): number;
  spanAscii(): void;
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
 * Past this many bytes of input, the stack frames the kernel resolves stay in its memory, which
 * the profile then owns, instead of being copied out of it; that kernel is not kept for the next
 * profile. Its memory (32 MB for a 12.8 MB profile, which it holds only a window of at a time) is
 * never given back while the thread keeps it, and freed only after the GC collects it: a copy
 * beside it (14 MB) made the fat pair, decoded by two threads at once, peak past 200 MB.
 */
const OWNED_RESULTS_INPUT = 8 << 20;

/**
 * walkProfile (wire-walk.ts) done by the WebAssembly kernel: the same RawProfile, or null when
 * there is no WebAssembly or the kernel does not take this input (anything malformed or unusual,
 * see the kernel's source): the caller then walks it in JavaScript, which refuses it exactly as
 * before. A process decoding one profile runs this at full speed from its first byte, where the
 * JavaScript walk runs mostly unoptimised. `lazy`: the columns only resolving reads (location ids,
 * locations, lines, functions: most of a big profile's memory) stay in the kernel until
 * kernelResolve needs them in JavaScript, which it then copies; until then those lists are empty.
 */
export function kernelWalk(buf: Uint8Array, maxBytes: number, lazy = false, window = WINDOW): RawProfile | null {
  const kernel = takeKernel();
  if (kernel === null) return null;
  const raw = new RawProfile(buf, maxBytes, false);
  try {
    walkInWindows(kernel, buf, Math.min(raw.entryLimit, 0xffffffff), window);
  } catch (thrown) {
    // A trap: the kernel refused the input (or ran out of memory).
    if (!(thrown instanceof WebAssembly.RuntimeError)) throw thrown;
    spare = kernel;
    return null;
  }
  // A big profile's values are copied out now, as before its peak memory was measured (OWNED_RESULTS_INPUT).
  copyColumns(kernel, raw, !lazy ? ALL : buf.length > OWNED_RESULTS_INPUT ? [...LIGHT, VALUES] : LIGHT);
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

/**
 * Copies the input into the kernel a window at a time, each walked before the next is copied
 * over it, so that a big profile is not held twice (its Buffer and the kernel's copy, which the
 * kernel's memory keeps after). A window ends where the kernel stopped, before a field it did not
 * see whole; one too small for a field is doubled. Then only the string table's span is copied
 * in, for resolving. A profile of up to one window is copied whole, as it is.
 */
function walkInWindows(kernel: WalkKernel, buf: Uint8Array, limit: number, window: number): void {
  const n = buf.length;
  let size = Math.min(n, window);
  let at = kernel.prepare(n, size) >>> 0;
  let base = 0;
  for (;;) {
    const length = Math.min(size, n - base);
    const last = base + length === n;
    new Uint8Array(kernel.memory.buffer, at, length).set(buf.subarray(base, base + length));
    const walked = kernel.walk(limit, base, length, last) >>> 0;
    if (last) break;
    if (walked === 0) at = kernel.widen((size *= 2)) >>> 0;
    base += walked;
  }
  // Unless the last window held all of it, the strings resolving reads are copied in once more.
  if (base > 0) {
    const s = new Float64Array(kernel.memory.buffer, kernel.scalarTable() >>> 0, SCALARS);
    const from = s[2]!;
    const to = s[3]!;
    if (from < to) {
      const strings = kernel.placeStrings(from, to) >>> 0;
      new Uint8Array(kernel.memory.buffer, strings, to - from).set(buf.subarray(from, to));
    }
  }
  kernel.spanAscii();
}

/** Bytes of the input the kernel holds at once while walking (a window may grow for a larger field). */
const WINDOW = 1 << 20;

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
/** Columns the kernel keeps in 32 bits (ids, string indices, line numbers: it refuses larger ones), which RawProfile holds as doubles. */
const NARROW_COLUMNS = [11, 12, 15, 16, 17, 18, 19, 20];
const ALL = Array.from({ length: 23 }, (_, c) => c);
/** What resolving in the model needs either way: sample types, mappings, strings, comments (values come with the kernel's result). */
const LIGHT = [0, 5, 6, 7, 8, 9, 10, 21, 22];
const VALUES = 4;
const HEAVY = ALL.filter((c) => !LIGHT.includes(c));

/** Copies these columns out of the kernel's memory into the RawProfile's lists. */
function copyColumns(kernel: WalkKernel, raw: RawProfile, columns: readonly number[]): void {
  const memory = kernel.memory.buffer;
  const table = new Uint32Array(memory, kernel.columnTable() >>> 0, 3 * COLUMNS);
  const lists = listsOf(raw);
  for (const c of columns) {
    const list = lists[c]!;
    const n = table[3 * c + 1]!;
    const at = table[3 * c]!;
    list.data = INT_COLUMNS.includes(c) ? new Uint32Array(memory, at, n).slice() : NARROW_COLUMNS.includes(c) ? Float64Array.from(new Uint32Array(memory, at, n)) : new Float64Array(memory, at, n).slice();
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
  const wide = INT_COLUMNS.includes(column) || NARROW_COLUMNS.includes(column) ? Uint32Array : Float64Array;
  return new wide(kernel.memory.buffer, table[3 * column]!, table[3 * column + 1]!);
}

const ownedMemories = new WeakSet<ArrayBuffer>();

/**
 * Whether `buffer` is a kernel's memory that a profile's arrays view (OWNED_RESULTS_INPUT): it
 * cannot be transferred to another thread, and a structured clone copies all of it.
 */
export function isKernelMemory(buffer: ArrayBufferLike): boolean {
  return buffer instanceof ArrayBuffer && ownedMemories.has(buffer);
}

/** What the kernel resolves: the model's frames, stacks and values (stackFrames a view of its memory past OWNED_RESULTS_INPUT). */
export interface KernelStacks {
  readonly frames: FrameTable;
  readonly stackStart: Uint32Array;
  readonly stackFrames: Uint32Array;
  readonly values: Float64Array;
}

/**
 * kernelResolve's result, still in the kernel's memory: `settle` gives the profile's arrays, once
 * the decode no longer reads its input. Views of the kernel's memory are good only until its next
 * profile, so each is copied out (but stackFrames past OWNED_RESULTS_INPUT); into `spare` where it
 * fits: the input's buffer when the decode owns it (inflated), whose pages are touched already,
 * where fresh arrays cost a page fault per 4 kB (a third of a 10k profile's decode).
 */
export interface KernelResolved {
  settle(spare: Uint8Array | null): KernelStacks;
}

/**
 * expandLocations and fillStacks (wire-decoder.ts) done by the kernel that walked `raw`, on its
 * columns still in its memory; `strings` gets the strings it interned. Null when the kernel did
 * not walk `raw`, or does not take it (an error to report, an ASCII-less string table, an
 * unnamed frame, sparse ids): then `strings` is untouched and the caller resolves in JavaScript.
 */
export function kernelResolve(raw: RawProfile, strings: RawStrings, typeCount: number): KernelResolved | null {
  const walked = walkedBy.get(raw);
  if (walked === undefined) return null;
  walkedBy.delete(raw);
  const { kernel, lazy } = walked;
  // Whether the profile keeps the kernel's memory (OWNED_RESULTS_INPUT).
  let owned = false;
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
    const int32s = (at: number): Int32Array => new Int32Array(memory, at, count);
    const frames: FrameTable = {
      count,
      name: int32s(r[1]!),
      file: int32s(r[2]!),
      line: int32s(r[3]!),
      startLine: int32s(r[4]!),
      inlined: new Uint8Array(memory, r[5]!, count),
    };
    const stackStart = new Uint32Array(memory, r[6]!, raw.sampleCount + 1);
    owned = raw.buf.length > OWNED_RESULTS_INPUT;
    const stackFrames = new Uint32Array(memory, r[7]!, r[8]!);
    const valueColumn = new Uint32Array(memory, kernel.columnTable() >>> 0, 3 * COLUMNS);
    const values = new Float64Array(memory, valueColumn[3 * VALUES]!, valueColumn[3 * VALUES + 1]!);
    // A big profile's arrays are copied out at once (but its stack frames), before the strings: so
    // its peak memory was measured, and copied after them the fat pair's peak grew ~20 MB (200+).
    const own = <T extends Int32Array | Uint32Array | Uint8Array>(view: T): T => view.slice() as T;
    const big: KernelStacks | null = owned
      ? {
          frames: { count, name: own(frames.name), file: own(frames.file), line: own(frames.line), startLine: own(frames.startLine), inlined: own(frames.inlined) },
          stackStart: own(stackStart),
          stackFrames,
          values: raw.values.data.subarray(0, raw.values.length),
        }
      : null;
    // The new strings decoded in one go, and split: a slice of a string each cost more.
    const texts = r[10] === 0 ? [] : utf8.decode(new Uint8Array(memory, r[11]!, r[12]!)).split('\0');
    const found = new Int32Array(memory, kernel.resultTable() >>> 0, RESULTS);
    strings.adopt(new Int32Array(memory, at, assigned.length), texts, new Map([['pprof::base', found[13]!], ['true', found[14]!]]));
    kernelCounts.resolved++;
    if (big !== null) {
      ownedMemories.add(memory);
      return { settle: () => big };
    }
    const use = kernelUses;
    return {
      settle(spare) {
        // The kernel's memory holds them until its next profile: settled before that, or never.
        if (use !== kernelUses) throw new Error('kernelResolve: settled after the kernel took another profile');
        // The arrays keep the whole input alive: not for a few of them (a profile of labels or strings, say).
        const bytes = values.byteLength + 17 * count + stackStart.byteLength + stackFrames.byteLength;
        const into = new Spare(spare !== null && 2 * bytes >= spare.length ? spare : null);
        // Doubles first, bytes last: the fewest bytes lost to alignment.
        const settledValues = into.take(values);
        const name = into.take(frames.name);
        const file = into.take(frames.file);
        const line = into.take(frames.line);
        const startLine = into.take(frames.startLine);
        const settledStart = into.take(stackStart);
        const settledFrames = into.take(stackFrames);
        const inlined = into.take(frames.inlined);
        return { frames: { count, name, file, line, startLine, inlined }, stackStart: settledStart, stackFrames: settledFrames, values: settledValues };
      },
    };
  } catch (thrown) {
    if (!(thrown instanceof WebAssembly.RuntimeError)) throw thrown;
    // Refused before it changed any column: JavaScript resolves them.
    if (lazy) copyColumns(kernel, raw, HEAVY);
    return null;
  } finally {
    if (!owned) spare = kernel;
  }
}

/**
 * A kernel not walking or resolving anything, kept for the thread's next profile: its memory is
 * then already grown and its pages already touched (a new one costs a page fault per 4 kB it
 * uses). At most one, holding what the largest profile walked needed.
 */
let spare: WalkKernel | null = null;

/** Kernels taken for a profile in this thread: a KernelResolved is good until the next. */
let kernelUses = 0;

function takeKernel(): WalkKernel | null {
  kernelUses++;
  const kernel = spare;
  spare = null;
  return kernel ?? (instantiate(WASM_BASE64)?.exports as unknown as WalkKernel | undefined) ?? null;
}

/** Bytes of a spare buffer handed out from its start, each array at its alignment; a copy of its own when the rest is too small. */
class Spare {
  private at: number;
  private readonly end: number;
  constructor(private readonly bytes: Uint8Array | null) {
    this.at = bytes?.byteOffset ?? 0;
    this.end = bytes === null ? 0 : bytes.byteOffset + bytes.length;
  }

  take<T extends Int32Array | Uint32Array | Uint8Array | Float64Array>(view: T): T {
    const size = view.BYTES_PER_ELEMENT;
    const at = Math.ceil(this.at / size) * size;
    if (this.bytes === null || at + view.byteLength > this.end) return view.slice() as T;
    const copy = new (view.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T)(this.bytes.buffer, at, view.length);
    copy.set(view as never);
    this.at = at + view.byteLength;
    return copy;
  }
}

const RESULTS = 15;
const utf8 = new TextDecoder();
const COLUMNS = 23;
const SCALARS = 13;
