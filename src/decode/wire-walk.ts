import { ENTRY_BYTES, overBudget } from './budget.js';
import { F64List, IdList, U32List } from '../base/growable.js';
import { bigintToNumber } from './int64.js';
import { WireReader } from './wire-reader.js';
import * as T from './wire-tags.js';

/**
 * What one pass over the Profile message collects, still as raw ids and string-table indices:
 * messages may come in any order (the string table usually last), so resolving them waits for
 * the end of the walk. Numbers beyond ±2^53 are NaN here; resolving refuses those it uses, as a
 * later field of the same number may replace them. Repeated values are refused at once.
 */
export class RawProfile {
  readonly buf: Uint8Array;
  /** [type, unit] string indices per sample type. */
  readonly sampleTypes = new F64List();

  sampleCount = 0;
  /** Sample i's location ids are locationIds[locationEnd[i-1] .. locationEnd[i]). */
  readonly locationEnd: U32List;
  readonly locationIds: IdList;
  readonly valueEnd: U32List;
  readonly values: F64List;
  /**
   * Labels are checked but not kept: Go puts a `bytes` label on every heap sample, and only
   * `pprof::base` ones matter, which baseMarks reads again when the string table has that key.
   */
  labelCount = 0;

  readonly mappingId = new F64List();
  readonly mappingFile = new F64List();
  readonly mappingStart = new F64List();
  readonly mappingLimit = new F64List();
  readonly mappingOffset = new F64List();
  readonly mappingBuildId = new F64List();

  readonly locationId: F64List;
  readonly locationMapping: F64List;
  readonly locationAddress: F64List;
  /** Location k's lines are lines[lineEnd[k-1] .. lineEnd[k]). */
  readonly lineEnd: U32List;
  readonly lineFunction: F64List;
  readonly lineNumber: F64List;

  readonly functionId: F64List;
  readonly functionName: F64List;
  readonly functionFile: F64List;
  readonly functionStartLine: F64List;

  /** [start, end) byte offsets of each string-table entry. */
  readonly strings: F64List;
  /** The first entry's start, the last one's end, the entries' total size, and 1 if the kernel found that span ASCII. */
  readonly stringSpan = Float64Array.of(Infinity, 0, 0, 0);
  readonly comments = new F64List();
  /**
   * The Profile's scalars, set once at the end of the walk as one object: assigning a double to a
   * field that held a small integer would give RawProfile a new shape, and every optimised loop
   * of the walk would then throw its code away on the next profile's RawProfile.
   */
  header: RawHeader | null = null;

  /** The memory budget (budget.ts): location ids and values together stay within entryLimit. */
  readonly maxBytes: number;
  readonly entryLimit: number;

  /** `presized` false: the lists start small, as the kernel walk (wasm-walk.ts) replaces their arrays. */
  constructor(buf: Uint8Array, maxBytes: number, presized = true) {
    this.buf = buf;
    this.maxBytes = maxBytes;
    this.entryLimit = Math.floor(maxBytes / ENTRY_BYTES);
    const size = presized ? buf.length : 0;
    // A Go heap sample takes ~120 bytes for ~30 locations (ids of 2-3 bytes, and the values):
    // size the hot lists once, as growing a list of millions of ids holds both copies a while.
    this.locationIds = new IdList(Math.floor(size / 3), this.entryLimit);
    this.locationEnd = new U32List(size >>> 7);
    this.valueEnd = new U32List(size >>> 7);
    this.values = new F64List(size >>> 5, this.entryLimit);
    // Tens of thousands of locations, functions and strings take ~20-40 bytes each: room for
    // them up front, instead of a dozen doublings of each list (pages never written cost nothing).
    const meta = Math.min(1 << 16, size >>> 6);
    this.locationId = new F64List(meta);
    this.locationMapping = new F64List(meta);
    this.locationAddress = new F64List(meta);
    this.lineEnd = new U32List(meta);
    this.lineFunction = new F64List(meta);
    this.lineNumber = new F64List(meta);
    this.functionId = new F64List(meta);
    this.functionName = new F64List(meta);
    this.functionFile = new F64List(meta);
    this.functionStartLine = new F64List(meta);
    this.strings = new F64List(2 * meta);
  }

  /** Room left for location ids and values within the budget. */
  entryRoom(): number {
    return this.entryLimit - this.locationIds.length - this.values.length;
  }
}

export interface RawHeader {
  readonly timeNanos: number;
  readonly durationNanos: number;
  readonly period: number;
  readonly defaultSampleType: number;
  readonly periodType: { type: number; unit: number } | undefined;
}

/**
 * One small reader and raw profile (with its lists) kept alive for good. V8 holds a class's shape
 * (map) only weakly once its last instance is gone: the first full GC after a walk dropped them,
 * and with them every optimised walk function (--trace-deopt: "weak objects"), so the next
 * profile's walk ran in the interpreter again. Exported only so that nothing removes it.
 */
export const WALK_SHAPES: readonly object[] = [new WireReader(new Uint8Array(0)), new RawProfile(new Uint8Array(0), 0)];

/** Reports progress as (bytes read, total bytes), about every 4 MB. */
export type WalkProgress = (done: number, total: number) => void;
const PROGRESS_EVERY = 4 << 20;

// Bit n set: field n exists in that message of profile.proto (a wrong wire type is refused).
const PROFILE_FIELDS = 0xfffe;
const VALUE_TYPE_FIELDS = 0b110;
const SAMPLE_FIELDS = 0b1110;
const LABEL_FIELDS = 0b11110;
const MAPPING_FIELDS = 0x7fe;
const LOCATION_FIELDS = 0b111110;
const LINE_FIELDS = 0b1110;
const FUNCTION_FIELDS = 0b111110;

/**
 * The one pass over profile.proto's Profile message. Its twin, src/wasm/wire-walk.as.ts, does the
 * same where WebAssembly exists (wasm-walk.ts); this walk is its oracle and its fallback. Nesting is fixed by the schema (depth 3).
 * Producers write each kind of message in one run (Go: samples, mappings, locations, functions,
 * strings), so each run is read by its own loop: the JIT then optimises each loop for its one
 * message type instead of deoptimising a shared loop every time a new type shows up.
 */
export function walkProfile(buf: Uint8Array, maxBytes: number, onProgress?: WalkProgress): RawProfile {
  const raw = new RawProfile(buf, maxBytes);
  const r = new WireReader(buf);
  const progress = { next: PROGRESS_EVERY, report: onProgress };
  // Scalars stay local until the end (see RawProfile.header).
  let periodType: RawHeader['periodType'] = undefined;
  let timeNanos = 0;
  let durationNanos = 0;
  let period = 0;
  let defaultSampleType = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case T.PROFILE_SAMPLE_TYPE: {
        const [type, unit] = valueType(r);
        raw.sampleTypes.push(type);
        raw.sampleTypes.push(unit);
        break;
      }
      case T.PROFILE_SAMPLE:
        samples(r, raw, progress);
        break;
      case T.PROFILE_MAPPING:
        mapping(r, raw);
        break;
      case T.PROFILE_LOCATION:
        locations(r, raw);
        break;
      case T.PROFILE_FUNCTION:
        functions(r, raw);
        break;
      case T.PROFILE_STRING_TABLE:
        strings(r, raw);
        break;
      case T.PROFILE_DROP_FRAMES:
      case T.PROFILE_KEEP_FRAMES:
      case T.PROFILE_DOC_URL:
        r.uint();
        break;
      case T.PROFILE_TIME_NANOS:
        timeNanos = r.approxInt();
        break;
      case T.PROFILE_DURATION_NANOS:
        durationNanos = r.approxInt();
        break;
      case T.PROFILE_PERIOD_TYPE: {
        const [type, unit] = valueType(r);
        periodType = { type, unit };
        break;
      }
      case T.PROFILE_PERIOD:
        period = r.int();
        break;
      case T.PROFILE_COMMENT:
        raw.comments.push(r.uint());
        break;
      case T.PROFILE_COMMENT_PACKED: {
        const outer = r.enter();
        while (r.pos < r.end) raw.comments.push(r.uint());
        r.leave(outer);
        break;
      }
      case T.PROFILE_DEFAULT_SAMPLE_TYPE:
        defaultSampleType = r.uint();
        break;
      default:
        r.skip(tag, PROFILE_FIELDS, 'Profile');
    }
  }
  raw.header = { timeNanos, durationNanos, period, defaultSampleType, periodType };
  return raw;
}

/** Whether the next field is another one with this one-byte tag; if so, its tag is consumed. */
function another(r: WireReader, tag: number): boolean {
  if (r.pos >= r.end || r.buf[r.pos] !== tag) return false;
  r.pos++;
  return true;
}

function samples(r: WireReader, raw: RawProfile, progress: { next: number; report: WalkProgress | undefined }): void {
  do {
    if (!quickSample(r, raw)) sample(r, raw);
    if (progress.report && r.pos >= progress.next) {
      progress.report(r.pos, r.buf.length);
      progress.next = r.pos + PROGRESS_EVERY;
    }
  } while (another(r, T.PROFILE_SAMPLE));
}

function locations(r: WireReader, raw: RawProfile): void {
  do location(r, raw);
  while (another(r, T.PROFILE_LOCATION));
}

function functions(r: WireReader, raw: RawProfile): void {
  do fn(r, raw);
  while (another(r, T.PROFILE_FUNCTION));
}

/**
 * A run of string-table entries, tens of thousands of them: lengths of one byte are read here,
 * longer ones (and one running past the end) by the reader. Nothing follows the loop: the JIT
 * compiles it mid-way, and code after it would not have run yet (wire-decoder.ts locateStacks).
 */
function strings(r: WireReader, raw: RawProfile): void {
  const { buf, end } = r;
  const offsets = raw.strings;
  const span = raw.stringSpan;
  for (let pos = r.pos; ; pos++) {
    const length = buf[pos]!;
    if (length < 0x80 && pos < end && length < end - pos) {
      r.pos = pos + 1 + length;
      offsets.push(pos + 1);
    } else {
      r.pos = pos;
      const outer = r.enter();
      offsets.push(r.pos);
      r.pos = r.end;
      r.leave(outer);
    }
    offsets.push(r.pos);
    span[0] = Math.min(span[0]!, offsets.data[offsets.length - 2]!);
    span[1] = Math.max(span[1]!, r.pos);
    span[2] = span[2]! + r.pos - offsets.data[offsets.length - 2]!;
    pos = r.pos;
    if (pos >= end || buf[pos] !== T.PROFILE_STRING_TABLE) return;
  }
}

/** Sample values are all kept, so one beyond ±2^53 is refused at once, with its exact value. */
function value(r: WireReader, raw: RawProfile, sampleIndex: number): void {
  if (raw.entryRoom() <= 0) throw overBudget(raw.maxBytes);
  const v = r.int();
  raw.values.push(v === v ? v : bigintToNumber(r.lastBig(true), `sample ${sampleIndex} value`));
}

function valueType(r: WireReader): [number, number] {
  const outer = r.enter();
  scalars(r, VALUE_TYPE, VALUE_TYPE_FIELDS, 0, 'ValueType');
  r.leave(outer);
  return [VALUE_TYPE[T.VALUE_TYPE_TYPE]!, VALUE_TYPE[T.VALUE_TYPE_UNIT]!];
}

/**
 * The usual sample (Go's: packed ids and values, labels of varints, runs of less than 16 kB) read
 * in one go, without a call per field: a big profile's hundred thousand samples are most of its
 * bytes. Returns false, having kept nothing, for anything else (a long varint, another field, a
 * sample that could pass the budget, ids wider than 32 bits), which sample() then reads.
 */
function quickSample(r: WireReader, raw: RawProfile): boolean {
  const { buf, end } = r;
  let pos = r.pos;
  // Lengths and ids of 1-3 bytes are read without a branch on their size: a branch taken only
  // now and then would be mispredicted, and, once compiled, throw the compiled loop away the
  // first time it is (bytes read past a field are masked out, or the field refused).
  const last = Math.min(end, buf.length - 2);
  if (pos >= last) return false;
  const { value: length, size } = short2(buf, pos);
  if (size === 0) return false;
  pos += size;
  const sampleEnd = pos + length;
  const ids = raw.locationIds;
  const values = raw.values;
  // Every number takes a byte at least, so within the room left this sample cannot pass the budget.
  if (sampleEnd > last || length > raw.entryRoom()) return false;
  ids.reserve(length);
  values.reserve(length);
  const idData = ids.data;
  const valueData = values.data;
  if (!(idData instanceof Uint32Array)) return false;
  let n = ids.length;
  let m = values.length;
  let labels = 0;
  while (pos < sampleEnd) {
    const tag = buf[pos]!;
    const run = short2(buf, pos + 1);
    pos += 1 + run.size;
    const runEnd = pos + run.value;
    if (run.size === 0 || runEnd > sampleEnd) return false;
    if (tag === T.SAMPLE_LOCATION_ID_PACKED) {
      while (pos < runEnd) {
        // As packed(); the varint must end within the run, and 4-byte ids go to sample().
        const b0 = buf[pos]!;
        const b1 = buf[pos + 1]!;
        const b2 = buf[pos + 2]!;
        const more0 = b0 >>> 7;
        const more1 = more0 & (b1 >>> 7);
        const next = pos + 1 + more0 + more1;
        if ((more1 & (b2 >>> 7)) !== 0 || next > runEnd) return false;
        idData[n++] = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -more0) | (((b2 & 0x7f) << 14) & -more1);
        pos = next;
      }
    } else if (tag === T.SAMPLE_VALUE_PACKED) {
      while (pos < runEnd) {
        // Values of up to 5 bytes (2^35); negative ones take 10 bytes, and sample() reads them.
        // Half of each value is summed, from a shift of 0.5: doubles from the first byte, so a
        // value past 2^31 meets no multiplication compiled for small integers (which overflowed).
        let half = 0;
        let shift = 0.5;
        let b = 0x80;
        const stop = Math.min(runEnd, pos + 5);
        while (b >= 0x80 && pos < stop) {
          b = buf[pos++]!;
          half += (b & 0x7f) * shift;
          shift *= 0x80;
        }
        if (b >= 0x80) return false;
        valueData[m++] = 2 * half;
      }
    } else if (tag === T.SAMPLE_LABEL) {
      // Checked as skipVarints does: one-byte varint tags, varints ending within the label.
      while (pos < runEnd) {
        if ((buf[pos]! & 0x87) !== 0) return false;
        let at = pos + 1;
        const stop = Math.min(runEnd, at + 10);
        while (at < stop && buf[at]! >= 0x80) at++;
        if (at >= stop) return false;
        pos = at + 1;
      }
      labels++;
    } else {
      return false;
    }
  }
  ids.length = n;
  values.length = m;
  raw.labelCount += labels;
  raw.locationEnd.push(n);
  raw.valueEnd.push(m);
  raw.sampleCount++;
  r.pos = sampleEnd;
  return true;
}

/** A varint of 1 or 2 bytes at buf[pos] (two bytes readable): its value and size, size 0 if longer. */
function short2(buf: Uint8Array, pos: number): { value: number; size: number } {
  const b0 = buf[pos]!;
  const b1 = buf[pos + 1]!;
  const more = b0 >>> 7;
  SHORT.value = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -more);
  SHORT.size = (more & (b1 >>> 7)) !== 0 ? 0 : 1 + more;
  return SHORT;
}

const SHORT = { value: 0, size: 0 };

function sample(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  const index = raw.sampleCount;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === T.SAMPLE_LOCATION_ID_PACKED) packed(r, raw, index, false);
    else if (tag === T.SAMPLE_VALUE_PACKED) packed(r, raw, index, true);
    else if (tag === T.SAMPLE_LOCATION_ID) locationId(r, raw);
    else if (tag === T.SAMPLE_VALUE) value(r, raw, index);
    else if (tag === T.SAMPLE_LABEL) label(r, raw);
    else r.skip(tag, SAMPLE_FIELDS, 'Sample');
  }
  r.leave(outer);
  raw.locationEnd.push(raw.locationIds.length);
  raw.valueEnd.push(raw.values.length);
  raw.sampleCount = index + 1;
}

/**
 * A packed run of location ids or values: the hot loop of the whole decode, so varints of up to
 * 4 bytes (2^28) are read inline into the list's array (a byte past the run reads as a
 * continuation); longer ones (negative values too), and cut-off ones, take the reader's checked
 * path. (Inline, a 5-byte sum past 2^31 deoptimised the loop: it had been compiled for int32.)
 */
function packed(r: WireReader, raw: RawProfile, sampleIndex: number, values: boolean): void {
  const outer = r.enter();
  const { buf, end } = r;
  const list = values ? raw.values : raw.locationIds;
  // At most one number per byte, and at least one per 10: a run longer than the budget allows
  // (the packed-location bomb) is refused before anything is allocated for it.
  const room = raw.entryRoom();
  const runBytes = end - r.pos;
  if (runBytes > room && (runBytes > 10 * room || holdsMoreVarints(buf, r.pos, end, room))) throw overBudget(raw.maxBytes);
  list.reserve(Math.min(runBytes, room));
  let data = list.data;
  let n = list.length;
  let pos = r.pos;
  while (pos < end) {
    const b0 = buf[pos]!;
    if (pos + 2 < end) {
      // Varints of 1-3 bytes (ids of up to 2^21, most values) without a branch on their length:
      // ids of 2 or 3 bytes come in random order, and a mispredicted branch each cost more.
      const b1 = buf[pos + 1]!;
      const b2 = buf[pos + 2]!;
      const more0 = b0 >>> 7;
      const more1 = more0 & (b1 >>> 7);
      if ((more1 & (b2 >>> 7)) === 0) {
        data[n++] = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -more0) | (((b2 & 0x7f) << 14) & -more1);
        pos += 1 + more0 + more1;
        continue;
      }
    }
    if (b0 < 0x80) {
      data[n++] = b0;
      pos += 1;
      continue;
    }
    const b1 = pos + 1 < end ? buf[pos + 1]! : 0x80;
    if (b1 < 0x80) {
      data[n++] = (b0 & 0x7f) | (b1 << 7);
      pos += 2;
      continue;
    }
    const b2 = pos + 2 < end ? buf[pos + 2]! : 0x80;
    if (b2 < 0x80) {
      data[n++] = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
      pos += 3;
      continue;
    }
    const b3 = pos + 3 < end ? buf[pos + 3]! : 0x80;
    if (b3 < 0x80) {
      data[n++] = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
      pos += 4;
      continue;
    }
    r.pos = pos;
    list.length = n;
    if (values) value(r, raw, sampleIndex);
    else locationId(r, raw);
    // The slow way may have widened the list into a new array.
    data = list.data;
    n = list.length;
    pos = r.pos;
  }
  list.length = n;
  r.pos = pos;
  r.leave(outer);
}

/** Whether buf[from..to) holds more than `limit` varints (one per byte without the continuation bit). */
function holdsMoreVarints(buf: Uint8Array, from: number, to: number, limit: number): boolean {
  let n = 0;
  for (let pos = from; pos < to; pos++) if (buf[pos]! < 0x80 && ++n > limit) return true;
  return false;
}

/** Location ids are all kept, so one beyond 2^53 is refused at once. */
function locationId(r: WireReader, raw: RawProfile): void {
  if (raw.entryRoom() <= 0) throw overBudget(raw.maxBytes);
  const id = r.uint();
  raw.locationIds.push(id === id ? id : bigintToNumber(r.lastBig(false), 'location id'));
}

function label(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  skipVarints(r, LABEL_FIELDS, 'Label');
  r.leave(outer);
  raw.labelCount++;
}

/** Checks and skips a message's fields (as scalars would read them), keeping none. */
function skipVarints(r: WireReader, known: number, message: string): void {
  const { buf, end } = r;
  while (r.pos < end) {
    // A one-byte tag of a varint, and a varint of at most 10 bytes ending within the message.
    if ((buf[r.pos]! & 0x87) === 0) {
      let pos = r.pos + 1;
      const last = Math.min(end, pos + 10);
      while (pos < last && buf[pos]! >= 0x80) pos++;
      if (pos < last) {
        r.pos = pos + 1;
        continue;
      }
    }
    // Anything else, or the error, as the reader has it.
    r.skip(r.tag(), known, message);
  }
}

/**
 * Marks the samples having a label with this key and str (string-table indices), walking the
 * samples again: rare (only diffs carry `pprof::base`), and the first walk checked every byte.
 */
export function labelMarks(raw: RawProfile, key: number, str: number): Uint8Array | null {
  const r = new WireReader(raw.buf);
  let marks: Uint8Array | null = null;
  for (let sample = 0; r.pos < r.end; ) {
    const tag = r.tag();
    if (tag !== T.PROFILE_SAMPLE) {
      r.skip(tag, 0, 'Profile');
      continue;
    }
    const outer = r.enter();
    while (r.pos < r.end) {
      const field = r.tag();
      if (field !== T.SAMPLE_LABEL) {
        r.skip(field, 0, 'Sample');
        continue;
      }
      const inner = r.enter();
      scalars(r, LABEL, LABEL_FIELDS, 0, 'Label');
      r.leave(inner);
      if (LABEL[T.LABEL_KEY] === key && LABEL[T.LABEL_STR] === str) {
        marks ??= new Uint8Array(raw.sampleCount);
        marks[sample] = 1;
      }
    }
    r.leave(outer);
    sample++;
  }
  return marks;
}

/**
 * Reads a message whose fields are varints (Mapping, Line, Function, Label, ValueType, and
 * Location but for its lines) into fields[n] for field n: 0 when absent, the last occurrence
 * when repeated, NaN beyond ±2^53. Fields in `signed` are int64, the rest uint64. Field `nested`
 * (0: none) is a repeated message instead: the [start, end) of each goes to `ranges`. Every
 * message but Sample is read here, so the JIT compiles this one loop, not one per message type.
 */
function scalars(r: WireReader, fields: Float64Array, known: number, signed: number, message: string, nested = 0, ranges = NO_RANGES): void {
  // Not fields.fill(0): a call into the runtime for 4-11 numbers, a hundred thousand times.
  for (let i = 0; i < fields.length; i++) fields[i] = 0;
  const { buf, end } = r;
  while (r.pos < end) {
    let pos = r.pos;
    const tag = buf[pos]!;
    const field = tag >>> 3;
    if (tag < 0x80 && (tag & 7) === 0 && field < fields.length && field !== nested) {
      // One-byte tag, varint: up to 4 bytes inline.
      let number = 0;
      let k = 0;
      pos++;
      for (; k < 4 && pos + k < end; k++) {
        const b = buf[pos + k]!;
        number |= (b & 0x7f) << (7 * k);
        if (b < 0x80) break;
      }
      if (k < 4 && pos + k < end) {
        fields[field] = number;
        r.pos = pos + k + 1;
      } else {
        r.pos = pos;
        fields[field] = ((signed >>> field) & 1) !== 0 ? r.int() : r.uint();
      }
    } else if (tag === ((nested << 3) | 2) && nested !== 0) {
      r.pos = pos + 1;
      const outer = r.enter();
      ranges.push(r.pos);
      ranges.push(r.end);
      r.pos = r.end;
      r.leave(outer);
    } else {
      r.skip(r.tag(), known, message);
    }
  }
}

const NO_RANGES = new U32List();
/** Where the Lines of the Location being read are. */
const LINE_RANGES = new U32List();

// Scratch field arrays, one per message type (decoding is synchronous).
const VALUE_TYPE = new Float64Array(3);
const LABEL = new Float64Array(5);
const MAPPING = new Float64Array(11);
const LINE = new Float64Array(4);
const LOCATION = new Float64Array(6);
const FUNCTION = new Float64Array(6);

function mapping(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  scalars(r, MAPPING, MAPPING_FIELDS, 0, 'Mapping');
  r.leave(outer);
  raw.mappingId.push(MAPPING[T.MAPPING_ID]!);
  raw.mappingStart.push(MAPPING[T.MAPPING_MEMORY_START]!);
  raw.mappingLimit.push(MAPPING[T.MAPPING_MEMORY_LIMIT]!);
  raw.mappingOffset.push(MAPPING[T.MAPPING_FILE_OFFSET]!);
  raw.mappingFile.push(MAPPING[T.MAPPING_FILENAME]!);
  raw.mappingBuildId.push(MAPPING[T.MAPPING_BUILD_ID]!);
}

function location(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  const end = r.end;
  const lines = LINE_RANGES;
  lines.length = 0;
  scalars(r, LOCATION, LOCATION_FIELDS, 0, 'Location', T.LOCATION_LINE_FIELD, lines);
  for (let j = 0; j < lines.length; j += 2) {
    r.pos = lines.data[j]!;
    r.end = lines.data[j + 1]!;
    scalars(r, LINE, LINE_FIELDS, 1 << T.LINE_LINE, 'Line');
    raw.lineFunction.push(LINE[T.LINE_FUNCTION_ID]!);
    raw.lineNumber.push(LINE[T.LINE_LINE]!);
  }
  r.pos = end;
  r.leave(outer);
  raw.locationId.push(LOCATION[T.LOCATION_ID_FIELD]!);
  raw.locationMapping.push(LOCATION[T.LOCATION_MAPPING_ID_FIELD]!);
  raw.locationAddress.push(LOCATION[T.LOCATION_ADDRESS_FIELD]!);
  raw.lineEnd.push(raw.lineFunction.length);
}

function fn(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  scalars(r, FUNCTION, FUNCTION_FIELDS, 1 << T.FUNCTION_START_LINE, 'Function');
  r.leave(outer);
  raw.functionId.push(FUNCTION[T.FUNCTION_ID]!);
  raw.functionName.push(FUNCTION[T.FUNCTION_NAME]!);
  raw.functionFile.push(FUNCTION[T.FUNCTION_FILENAME]!);
  raw.functionStartLine.push(FUNCTION[T.FUNCTION_START_LINE]!);
}
