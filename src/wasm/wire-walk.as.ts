// The wire walk of src/decode/wire-walk.ts (walkProfile) as a kernel: one pass over profile.proto's
// Profile message, filling the same columns as RawProfile. It takes only what it fully
// understands: on anything the JavaScript walk would refuse or read differently (a truncated or
// overlong varint, a length past its message, a known field of the wrong wire type, a tag of more
// than one byte, a sample value or location id beyond 2^53, a location id past 2^32, more entries
// than the budget) it traps (`unreachable`), and the caller decodes the whole profile in
// JavaScript, which then says what is wrong exactly as before.
//
// Memory: prepare(n) lays out [input | columns...]; columns grow by doubling (the old copy is left
// behind: an instance walks one profile and is dropped). Positions are absolute addresses.

// Columns, as RawProfile's lists (wasm-walk.ts reads them in this order).
const SAMPLE_TYPES = 0;
const LOCATION_END = 1; // u32
const LOCATION_IDS = 2; // u32
const VALUE_END = 3; // u32
const VALUES = 4;
const MAPPING_ID = 5;
const MAPPING_FILE = 6;
const MAPPING_START = 7;
const MAPPING_LIMIT = 8;
const MAPPING_OFFSET = 9;
const MAPPING_BUILD_ID = 10;
const LOCATION_ID = 11;
const LOCATION_MAPPING = 12;
const LOCATION_ADDRESS = 13;
const LINE_END = 14; // u32
const LINE_FUNCTION = 15;
const LINE_NUMBER = 16;
const FUNCTION_ID = 17;
const FUNCTION_NAME = 18;
const FUNCTION_FILE = 19;
const FUNCTION_START_LINE = 20;
const STRINGS = 21;
const COMMENTS = 22;
const COLUMNS = 23;

// Scalars (f64 each), after the columns' table.
const S_SAMPLE_COUNT = 0;
const S_LABEL_COUNT = 1;
const S_SPAN_FROM = 2;
const S_SPAN_TO = 3;
const S_SPAN_SIZE = 4;
const S_TIME = 5;
const S_DURATION = 6;
const S_PERIOD = 7;
const S_DEFAULT_TYPE = 8;
const S_HAS_PERIOD_TYPE = 9;
const S_PERIOD_TYPE_TYPE = 10;
const S_PERIOD_TYPE_UNIT = 11;
const SCALARS = 12;

const TWO53: f64 = 9007199254740992.0;

let top: usize = 0;
let input: usize = 0;
let inputEnd: usize = 0;
/** Per column: data address, length, capacity (elements), as three u32. */
let table: usize = 0;
let scalars: usize = 0;
/** Scratch for a message's fields (scalars()), 12 f64. */
let fields: usize = 0;
/** The position after the last varint read. */
let at: usize = 0;

function fail(): void {
  unreachable();
}

function alloc(bytes: u64): usize {
  const start = (<u64>top + 15) & ~(<u64>15);
  const end = start + bytes;
  if (end > 0xffff0000) fail();
  const have = (<u64>memory.size()) << 16;
  if (end > have) {
    if (memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) fail();
  }
  top = <usize>end;
  return <usize>start;
}

@inline function elementSize(column: i32): u32 {
  return column == LOCATION_END || column == LOCATION_IDS || column == VALUE_END || column == LINE_END ? 4 : 8;
}

@inline function dataOf(column: i32): usize {
  return load<u32>(table + 12 * column);
}
@inline function lengthOf(column: i32): u32 {
  return load<u32>(table + 12 * column, 4);
}
@inline function setLength(column: i32, n: u32): void {
  store<u32>(table + 12 * column, n, 4);
}

function makeColumn(column: i32, capacity: u32): void {
  const size = elementSize(column);
  store<u32>(table + 12 * column, alloc(<u64>capacity * size));
  store<u32>(table + 12 * column, 0, 4);
  store<u32>(table + 12 * column, capacity, 8);
}

/** Room for `extra` more elements; returns the column's data address (it may move). */
function reserve(column: i32, extra: u32): usize {
  const data = dataOf(column);
  const n = lengthOf(column);
  const capacity = load<u32>(table + 12 * column, 8);
  if (<u64>n + extra <= capacity) return data;
  let next = <u64>capacity * 2;
  if (next < <u64>n + extra) next = <u64>n + extra;
  const size = elementSize(column);
  const moved = alloc(next * size);
  memory.copy(moved, data, n * size);
  store<u32>(table + 12 * column, moved);
  store<u32>(table + 12 * column, <u32>next, 8);
  return moved;
}

function pushF(column: i32, value: f64): void {
  const data = reserve(column, 1);
  const n = lengthOf(column);
  store<f64>(data + (<usize>n << 3), value);
  setLength(column, n + 1);
}

function pushU(column: i32, value: u32): void {
  const data = reserve(column, 1);
  const n = lengthOf(column);
  store<u32>(data + (<usize>n << 2), value);
  setLength(column, n + 1);
}

/** Lays out memory for an input of n bytes and returns where to copy it. */
export function prepare(n: u32): usize {
  top = __heap_base;
  table = alloc(12 * COLUMNS);
  scalars = alloc(8 * SCALARS);
  fields = alloc(8 * 12);
  // A few bytes past the input are readable: the sample loop reads 3 bytes ahead.
  input = alloc(<u64>n + 16);
  inputEnd = input + n;
  // As RawProfile's sizes: the hot lists once, room for tens of thousands of the rest.
  makeColumn(LOCATION_IDS, n / 3 + 16);
  makeColumn(VALUES, (n >> 5) + 16);
  makeColumn(LOCATION_END, (n >> 7) + 16);
  makeColumn(VALUE_END, (n >> 7) + 16);
  const meta: u32 = min<u32>(1 << 16, n >> 6) + 16;
  for (let c = 0; c < COLUMNS; c++) {
    if (c == LOCATION_IDS || c == VALUES || c == LOCATION_END || c == VALUE_END) continue;
    makeColumn(c, c >= MAPPING_ID && c <= MAPPING_BUILD_ID || c == SAMPLE_TYPES || c == COMMENTS ? 16 : c == STRINGS ? 2 * meta : meta);
  }
  for (let s = 0; s < SCALARS; s++) store<f64>(scalars + 8 * s, 0);
  store<f64>(scalars + 8 * S_SPAN_FROM, Infinity);
  return input;
}

export function columnTable(): usize {
  return table;
}

export function scalarTable(): usize {
  return scalars;
}

/** A varint at pos (before end): its 64 bits, Go's way (at most 10 bytes, bits past 64 dropped). */
function varint(pos: usize, end: usize): u64 {
  let value: u64 = 0;
  for (let i: u64 = 0; ; i++) {
    if (pos >= end || i == 10) fail();
    const b = <u64>load<u8>(pos++);
    value |= (b & 0x7f) << (7 * i);
    if (b < 0x80) break;
  }
  at = pos;
  return value;
}

/** As WireReader.uint: NaN beyond 2^53 - 1. */
@inline function unsigned(v: u64): f64 {
  return v < 0x20000000000000 ? <f64>v : NaN;
}

/** As WireReader.int: NaN beyond ±(2^53 - 1). */
@inline function signed(v: u64): f64 {
  const s = <i64>v;
  return s > -0x20000000000000 && s < 0x20000000000000 ? <f64>s : NaN;
}

/** A length prefix at pos: the end of the field it opens, which must be within end. */
function enter(pos: usize, end: usize): usize {
  const length = varint(pos, end);
  if (length > <u64>(end - at)) fail();
  return at + <usize>length;
}

/** Skips a field of a one-byte tag the walk does not read; refuses what WireReader.skip refuses. */
function skip(tag: u32, known: u32, pos: usize, end: usize): usize {
  const field = tag >> 3;
  if (((known >> field) & 1) != 0) fail();
  switch (tag & 7) {
    case 0:
      varint(pos, end);
      return at;
    case 1:
      if (end - pos < 8) fail();
      return pos + 8;
    case 2:
      return enter(pos, end);
    case 5:
      if (end - pos < 4) fail();
      return pos + 4;
    default:
      fail();
      return 0;
  }
}

/**
 * A message of varints into fields[n] for field n (0 when absent, the last when repeated), as
 * wire-walk.ts scalars does without a nested field. Bit n of `signedFields`: field n is int64.
 */
function readScalars(pos: usize, end: usize, count: u32, known: u32, signedFields: u32): void {
  for (let i: u32 = 0; i < count; i++) store<f64>(fields + 8 * i, 0);
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    pos++;
    const field = tag >> 3;
    if ((tag & 7) == 0 && field < count) {
      const v = varint(pos, end);
      pos = at;
      store<f64>(fields + 8 * field, ((signedFields >> field) & 1) != 0 ? signed(v) : unsigned(v));
    } else {
      pos = skip(tag, known, pos, end);
    }
  }
}

/** A Label's fields are checked and skipped (wire-walk.ts skipVarints). */
function label(pos: usize, end: usize): void {
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    pos++;
    if ((tag & 7) == 0) {
      varint(pos, end);
      pos = at;
    } else {
      pos = skip(tag, 0b11110, pos, end);
    }
  }
}

/** Location ids and values together stay within the budget (RawProfile.entryLimit). */
let entryLimit: u32 = 0;

/** One Sample: packed or single location ids and values, labels; anything else skipped. */
export function sample(pos: usize, end: usize): void {
  // Every number takes a byte at least: room for the whole sample up front.
  const length = <u32>(end - pos);
  let ids = reserve(LOCATION_IDS, length);
  let values = reserve(VALUES, length);
  let n = lengthOf(LOCATION_IDS);
  let m = lengthOf(VALUES);
  let labels: u32 = 0;
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    pos++;
    if (tag == 0x0a) {
      const runEnd = enter(pos, end);
      pos = at;
      while (pos < runEnd) {
        // Ids of 1-3 bytes without a branch on their size (as quickSample); longer ones checked.
        const b0 = <u32>load<u8>(pos);
        const b1 = <u32>load<u8>(pos, 1);
        const b2 = <u32>load<u8>(pos, 2);
        const more0 = b0 >> 7;
        const more1 = more0 & (b1 >> 7);
        const next = pos + 1 + more0 + more1;
        if ((more1 & (b2 >> 7)) == 0 && next <= runEnd) {
          store<u32>(ids + (<usize>n << 2), (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -more0) | (((b2 & 0x7f) << 14) & -more1));
          pos = next;
        } else {
          const v = varint(pos, runEnd);
          if (v > 0xffffffff) fail();
          store<u32>(ids + (<usize>n << 2), <u32>v);
          pos = at;
        }
        n++;
      }
    } else if (tag == 0x12) {
      const runEnd = enter(pos, end);
      pos = at;
      while (pos < runEnd) {
        const b0 = <u32>load<u8>(pos);
        if (b0 < 0x80) {
          store<f64>(values + (<usize>m << 3), <f64>b0);
          pos++;
        } else {
          const v = signed(varint(pos, runEnd));
          if (isNaN(v)) fail();
          store<f64>(values + (<usize>m << 3), v);
          pos = at;
        }
        m++;
      }
    } else if (tag == 0x08) {
      const v = varint(pos, end);
      if (v > 0xffffffff) fail();
      store<u32>(ids + (<usize>n << 2), <u32>v);
      n++;
      pos = at;
    } else if (tag == 0x10) {
      const v = signed(varint(pos, end));
      if (isNaN(v)) fail();
      store<f64>(values + (<usize>m << 3), v);
      m++;
      pos = at;
    } else if (tag == 0x1a) {
      const labelEnd = enter(pos, end);
      label(at, labelEnd);
      labels++;
      pos = labelEnd;
    } else {
      pos = skip(tag, 0b1110, pos, end);
    }
  }
  if (<u64>n + m > entryLimit) fail();
  setLength(LOCATION_IDS, n);
  setLength(VALUES, m);
  pushU(LOCATION_END, n);
  pushU(VALUE_END, m);
  store<f64>(scalars + 8 * S_SAMPLE_COUNT, load<f64>(scalars + 8 * S_SAMPLE_COUNT) + 1);
  store<f64>(scalars + 8 * S_LABEL_COUNT, load<f64>(scalars + 8 * S_LABEL_COUNT) + <f64>labels);
}

/** One Location: its scalars, and each Line as it comes (a Line is field 4, a message). */
export function location(pos: usize, end: usize): void {
  for (let i = 0; i < 6; i++) store<f64>(fields + 8 * i, 0);
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    pos++;
    const field = tag >> 3;
    if ((tag & 7) == 0 && field < 6 && field != 4) {
      const v = varint(pos, end);
      pos = at;
      store<f64>(fields + 8 * field, unsigned(v));
    } else if (tag == 0x22) {
      const lineEnd = enter(pos, end);
      line(at, lineEnd);
      pos = lineEnd;
    } else {
      pos = skip(tag, 0b111110, pos, end);
    }
  }
  pushF(LOCATION_ID, load<f64>(fields, 8 * 1));
  pushF(LOCATION_MAPPING, load<f64>(fields, 8 * 2));
  pushF(LOCATION_ADDRESS, load<f64>(fields, 8 * 3));
  pushU(LINE_END, lengthOf(LINE_FUNCTION));
}

/** A Line: function id (1), line (2, int64), column (3, not kept). */
export function line(pos: usize, end: usize): void {
  let fn: f64 = 0;
  let number: f64 = 0;
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    pos++;
    if ((tag & 7) == 0 && (tag >> 3) < 4) {
      const v = varint(pos, end);
      pos = at;
      if (tag == 0x08) fn = unsigned(v);
      else if (tag == 0x10) number = signed(v);
    } else {
      pos = skip(tag, 0b1110, pos, end);
    }
  }
  pushF(LINE_FUNCTION, fn);
  pushF(LINE_NUMBER, number);
}

function mapping(pos: usize, end: usize): void {
  readScalars(pos, end, 11, 0x7fe, 0);
  pushF(MAPPING_ID, load<f64>(fields, 8 * 1));
  pushF(MAPPING_START, load<f64>(fields, 8 * 2));
  pushF(MAPPING_LIMIT, load<f64>(fields, 8 * 3));
  pushF(MAPPING_OFFSET, load<f64>(fields, 8 * 4));
  pushF(MAPPING_FILE, load<f64>(fields, 8 * 5));
  pushF(MAPPING_BUILD_ID, load<f64>(fields, 8 * 6));
}

export function fn(pos: usize, end: usize): void {
  readScalars(pos, end, 6, 0b111110, 1 << 5);
  pushF(FUNCTION_ID, load<f64>(fields, 8 * 1));
  pushF(FUNCTION_NAME, load<f64>(fields, 8 * 2));
  pushF(FUNCTION_FILE, load<f64>(fields, 8 * 4));
  pushF(FUNCTION_START_LINE, load<f64>(fields, 8 * 5));
}

/** A ValueType's [type, unit] into fields 1 and 2. */
function valueType(pos: usize, end: usize): void {
  readScalars(pos, end, 3, 0b110, 0);
}

/** The string table's entry [start, end) offsets, and the span RawProfile.stringSpan holds. */
function stringEntry(start: usize, end: usize): void {
  const from = <f64>(start - input);
  const to = <f64>(end - input);
  pushF(STRINGS, from);
  pushF(STRINGS, to);
  store<f64>(scalars + 8 * S_SPAN_FROM, min(load<f64>(scalars + 8 * S_SPAN_FROM), from));
  store<f64>(scalars + 8 * S_SPAN_TO, max(load<f64>(scalars + 8 * S_SPAN_TO), to));
  store<f64>(scalars + 8 * S_SPAN_SIZE, load<f64>(scalars + 8 * S_SPAN_SIZE) + (to - from));
}

/** Walks the input prepare() placed; traps on anything it does not take (see the top). */
export function walk(limit: u32): void {
  entryLimit = limit;
  let pos = input;
  const end = inputEnd;
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    pos++;
    switch (tag) {
      case 0x0a: {
        const fieldEnd = enter(pos, end);
        valueType(at, fieldEnd);
        pushF(SAMPLE_TYPES, load<f64>(fields, 8 * 1));
        pushF(SAMPLE_TYPES, load<f64>(fields, 8 * 2));
        pos = fieldEnd;
        break;
      }
      case 0x12: {
        const fieldEnd = enter(pos, end);
        sample(at, fieldEnd);
        pos = fieldEnd;
        break;
      }
      case 0x1a: {
        const fieldEnd = enter(pos, end);
        mapping(at, fieldEnd);
        pos = fieldEnd;
        break;
      }
      case 0x22: {
        const fieldEnd = enter(pos, end);
        location(at, fieldEnd);
        pos = fieldEnd;
        break;
      }
      case 0x2a: {
        const fieldEnd = enter(pos, end);
        fn(at, fieldEnd);
        pos = fieldEnd;
        break;
      }
      case 0x32: {
        const fieldEnd = enter(pos, end);
        stringEntry(at, fieldEnd);
        pos = fieldEnd;
        break;
      }
      case 0x38: // drop_frames, keep_frames, doc_url: read, not kept
      case 0x40:
      case 0x78:
        varint(pos, end);
        pos = at;
        break;
      case 0x48: // time_nanos, duration_nanos: the nearest double, as WireReader.approxInt
        store<f64>(scalars + 8 * S_TIME, <f64>(<i64>varint(pos, end)));
        pos = at;
        break;
      case 0x50:
        store<f64>(scalars + 8 * S_DURATION, <f64>(<i64>varint(pos, end)));
        pos = at;
        break;
      case 0x5a: {
        const fieldEnd = enter(pos, end);
        valueType(at, fieldEnd);
        store<f64>(scalars + 8 * S_HAS_PERIOD_TYPE, 1);
        store<f64>(scalars + 8 * S_PERIOD_TYPE_TYPE, load<f64>(fields, 8 * 1));
        store<f64>(scalars + 8 * S_PERIOD_TYPE_UNIT, load<f64>(fields, 8 * 2));
        pos = fieldEnd;
        break;
      }
      case 0x60:
        store<f64>(scalars + 8 * S_PERIOD, signed(varint(pos, end)));
        pos = at;
        break;
      case 0x68:
        pushF(COMMENTS, unsigned(varint(pos, end)));
        pos = at;
        break;
      case 0x6a: {
        const fieldEnd = enter(pos, end);
        pos = at;
        while (pos < fieldEnd) {
          pushF(COMMENTS, unsigned(varint(pos, fieldEnd)));
          pos = at;
        }
        break;
      }
      case 0x70:
        store<f64>(scalars + 8 * S_DEFAULT_TYPE, unsigned(varint(pos, end)));
        pos = at;
        break;
      default:
        pos = skip(tag, 0xfffe, pos, end);
    }
  }
}
