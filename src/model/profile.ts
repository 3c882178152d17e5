/**
 * The compact, decoded profile every analysis works on. Strings and frames are interned once;
 * stacks are runs of frame indices in one typed array; values are signed doubles, converted
 * (and range-checked) once at the decode edge.
 */

/** A sample column, e.g. { type: 'inuse_space', unit: 'bytes' }. */
export interface ValueType {
  readonly type: string;
  readonly unit: string;
}

/**
 * Interned frames, as parallel arrays indexed by frame id. A frame is one (function, file, line)
 * of a location: a location with inlined calls expands to several frames.
 */
export interface FrameTable {
  readonly count: number;
  /** String index of the printable function name (unsymbolized frames get "[binary] 0x…"). */
  readonly name: Int32Array;
  /** String index of the source file; 0 (the empty string) when unknown. */
  readonly file: Int32Array;
  /** Source line; 0 when unknown. */
  readonly line: Int32Array;
  /** The function's first line (Function.start_line); 0 when the producer did not record it. */
  readonly startLine: Int32Array;
  /**
   * 1 when the frame is an inlined call: not the last Line of its location, so the next frame of
   * the stack (toward the root) is the function it was inlined into. pprof marks such call edges
   * `(inline)`. Part of the frame's identity: the same line can be inlined in one place only.
   */
  readonly inlined: Uint8Array;
}

/** Samples as a table: stacks are runs in `stackFrames`, values are row-major. */
export interface SampleTable {
  readonly count: number;
  /** Frames of sample i are stackFrames[stackStart[i] .. stackStart[i + 1]), leaf first. */
  readonly stackStart: Uint32Array;
  readonly stackFrames: Uint32Array;
  /** values[i * sampleTypes.length + t] is sample i's value for sample type t. */
  readonly values: Float64Array;
  /**
   * 1 where the sample carries pprof's `pprof::base=true` label, i.e. the profile is itself a
   * diff (written by `go tool pprof -proto -diff_base` or by heapdiff). Null when none does.
   */
  readonly fromBase: Uint8Array | null;
}

/** A sample table from plain arrays (a producer that builds samples one by one), not a diff. */
export function sampleTableOf(stackStart: readonly number[], stackFrames: readonly number[], values: readonly number[]): SampleTable {
  return {
    count: stackStart.length - 1,
    stackStart: Uint32Array.from(stackStart),
    stackFrames: Uint32Array.from(stackFrames),
    values: Float64Array.from(values),
    fromBase: null,
  };
}

/**
 * A decoded profile in heapdiff's compact model (what parseProfile returns): strings and frames
 * interned once, stacks as runs of frame indices, values as numbers.
 */
export interface Profile {
  /** The string table; index 0 is always ''. */
  readonly strings: readonly string[];
  readonly sampleTypes: readonly ValueType[];
  /** String index of the default sample type's name; 0 when the producer set none. */
  readonly defaultSampleType: number;
  readonly periodType: ValueType | undefined;
  readonly period: number;
  /**
   * Capture time in nanoseconds since the epoch; 0 when unknown. Today's times exceed 2^53, so
   * this is the nearest double (within 256 ns), far finer than any capture interval.
   */
  readonly timeNanos: number;
  readonly durationNanos: number;
  readonly comments: readonly string[];
  /** Base name of the main binary (the first mapping's file), '' when unknown. */
  readonly mainBinary: string;
  readonly frames: FrameTable;
  /**
   * For each unsymbolized frame name (by string index) whose location has a mapping: what
   * identifies that instruction across processes, as pprof's merge keys locations. ASLR moves
   * the address, not the mapping's build id (else file), size and offset, nor the address's
   * offset within it. Reports group by this key instead of the name.
   */
  readonly unsymbolized?: ReadonlyMap<number, string>;
  readonly samples: SampleTable;
  /** Set when the input was Go's legacy text heap profile (`?debug=1`) rather than protobuf. */
  readonly format?: 'legacy-text';
  /**
   * The legacy text format's `# runtime.MemStats` trailer: each `# Name = number` line whose
   * number is exact (HeapInuse, HeapAlloc, NumGC, …). Protobuf profiles carry none.
   */
  readonly memStats?: Readonly<Record<string, number>>;
}
