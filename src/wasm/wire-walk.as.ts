// The wire walk of src/decode/wire-walk.ts (walkProfile) as a kernel: one pass over profile.proto's
// Profile message, filling the same columns as RawProfile. It takes only what it fully
// understands: on anything the JavaScript walk would refuse or read differently (a truncated or
// overlong varint, a length past its message, a known field of the wrong wire type, a tag of more
// than one byte, a sample value or location id beyond 2^53, a location id past 2^32, more entries
// than the budget) it traps (`unreachable`), and the caller decodes the whole profile in
// JavaScript, which then says what is wrong exactly as before.
//
// Memory: prepare(n, window) lays out [window | columns...]; columns grow by doubling (the old copy
// is left behind). Positions are absolute addresses; `input` is where byte 0 of the profile would
// be, so that a string's offset is its address minus `input` whichever window holds it. A big
// profile is walked in windows (walk() per window, whole top-level fields each), so that the
// kernel does not hold a second copy of it; its string table is then copied in once more for
// resolving (placeStrings()), its span only.

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
const LOCATION_ID = 11; // u32 (a double in RawProfile)
const LOCATION_MAPPING = 12; // u32 (a double in RawProfile)
const LOCATION_ADDRESS = 13;
const LINE_END = 14; // u32
const LINE_FUNCTION = 15; // u32 (a double in RawProfile)
const LINE_NUMBER = 16; // u32, 0 .. 2^31 - 1 (a double in RawProfile)
const FUNCTION_ID = 17; // u32 (a double in RawProfile)
const FUNCTION_NAME = 18; // u32 (a double in RawProfile)
const FUNCTION_FILE = 19; // u32 (a double in RawProfile)
const FUNCTION_START_LINE = 20; // u32, 0 .. 2^31 - 1 (a double in RawProfile)
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
const S_SPAN_ASCII = 12;
const SCALARS = 13;

const TWO53: f64 = 9007199254740992.0;

let top: usize = 0;
let input: usize = 0;
/** Where prepare() put the window each walk() reads, and its size. */
let window: usize = 0;
let windowSize: u32 = 0;
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

/** 32-bit columns: the four of RawProfile's integer lists, and ids, string indices and line numbers (which RawProfile holds as doubles). */
@inline function elementSize(column: i32): u32 {
  return (column >= LOCATION_END && column <= VALUE_END) || column == LOCATION_ID || column == LOCATION_MAPPING || (column >= LINE_END && column <= FUNCTION_START_LINE) ? 4 : 8;
}

/** An id or string index as the walk keeps it, in 32 bits: one past them (or NaN: past 2^53) traps. */
@inline function u32Of(x: f64): u32 {
  if (!(x <= 4294967295.0)) fail();
  return <u32>x;
}

/** A line number as checkLine takes it: 0 .. 2^31 - 1, else a trap (the JavaScript walk keeps it, and says what is wrong). */
@inline function lineNumberOf(x: f64): u32 {
  if (!(x >= 0 && x <= 2147483647)) fail();
  return <u32>x;
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

/**
 * Appends to a column: in place while it has room (its capacity is set up front for most
 * profiles), else through reserve(). Inlined, without a call per value: a process's first
 * profile runs these in V8's baseline code, where a call costs more than the store.
 */
@inline function pushF(column: i32, value: f64): void {
  const at = table + 12 * column;
  const n = load<u32>(at, 4);
  if (n < load<u32>(at, 8)) {
    store<f64>(<usize>load<u32>(at) + (<usize>n << 3), value);
    store<u32>(at, n + 1, 4);
  } else pushGrownF(column, value);
}

function pushGrownF(column: i32, value: f64): void {
  const data = reserve(column, 1);
  const n = lengthOf(column);
  store<f64>(data + (<usize>n << 3), value);
  setLength(column, n + 1);
}

@inline function pushU(column: i32, value: u32): void {
  const at = table + 12 * column;
  const n = load<u32>(at, 4);
  if (n < load<u32>(at, 8)) {
    store<u32>(<usize>load<u32>(at) + (<usize>n << 2), value);
    store<u32>(at, n + 1, 4);
  } else pushGrownU(column, value);
}

function pushGrownU(column: i32, value: u32): void {
  const data = reserve(column, 1);
  const n = lengthOf(column);
  store<u32>(data + (<usize>n << 2), value);
  setLength(column, n + 1);
}

/** Lays out memory for an input of n bytes, copied in windows of `size` bytes, and returns where to copy each. */
export function prepare(n: u32, size: u32): usize {
  top = __heap_base;
  table = alloc(12 * COLUMNS);
  scalars = alloc(8 * SCALARS);
  fields = alloc(8 * 12);
  // A few bytes past the window are readable: the sample loop reads 3 bytes ahead.
  window = alloc(<u64>size + 16);
  windowSize = size;
  input = window;
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
  // The location, line and function columns, made one after another: newText() may write over them.
  expandedFrom = dataOf(LOCATION_ID);
  expandedTo = dataOf(FUNCTION_START_LINE) + <usize>load<u32>(table + 12 * FUNCTION_START_LINE, 8) * 4;
  for (let s = 0; s < SCALARS; s++) store<f64>(scalars + 8 * s, 0);
  store<f64>(scalars + 8 * S_SPAN_FROM, Infinity);
  return window;
}

/**
 * Where prepare() made the location, line and function columns: only resolve() reads them (and
 * the copy out of a refused one), and once it has expanded every location they are dead, their
 * pages touched: newText() writes there if its text fits (a column that grew was copied
 * elsewhere, and its copy is as dead; its first place stays in this range).
 */
let expandedFrom: usize = 0;
let expandedTo: usize = 0;

/** A larger window, for a field larger than the last one: returns where to copy it. */
export function widen(size: u32): usize {
  window = alloc(<u64>size + 16);
  windowSize = size;
  return window;
}

export function columnTable(): usize {
  return table;
}

export function scalarTable(): usize {
  return scalars;
}

/**
 * A varint at pos (before end): its 64 bits, Go's way (at most 10 bytes, bits past 64 dropped).
 * Inlined for one byte, the usual size: no call for it in the baseline compiler's code, which runs
 * a process's first profile (V8 compiles the optimised code meanwhile).
 */
@inline function varint(pos: usize, end: usize): u64 {
  if (pos < end) {
    const b = load<u8>(pos);
    if (b < 0x80) {
      at = pos + 1;
      return <u64>b;
    }
  }
  return longVarint(pos, end);
}

function longVarint(pos: usize, end: usize): u64 {
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
@inline function enter(pos: usize, end: usize): usize {
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

/**
 * One Sample: packed or single location ids and values, labels; anything else skipped.
 * Exported, as are location, line and fn, only so that binaryen does not inline them into walk():
 * V8 runs a call to its end in the code it started in (baseline code, in a process's first
 * profile), while a function called once per message switches to the optimised code once V8 has
 * compiled it, mid-walk.
 */
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
  pushU(LOCATION_ID, u32Of(load<f64>(fields, 8 * 1)));
  pushU(LOCATION_MAPPING, u32Of(load<f64>(fields, 8 * 2)));
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
  pushU(LINE_FUNCTION, u32Of(fn));
  pushU(LINE_NUMBER, lineNumberOf(number));
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
  pushU(FUNCTION_ID, u32Of(load<f64>(fields, 8 * 1)));
  pushU(FUNCTION_NAME, u32Of(load<f64>(fields, 8 * 2)));
  pushU(FUNCTION_FILE, u32Of(load<f64>(fields, 8 * 4)));
  pushU(FUNCTION_START_LINE, lineNumberOf(load<f64>(fields, 8 * 5)));
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

/**
 * Walks the `length` bytes of the window, which start at byte `base` of the profile; traps on
 * anything it does not take (see the top). Unless it is the `last` window, stops before a field
 * that may not end inside it, and returns how many bytes it walked: the next window starts there.
 */
export function walk(limit: u32, base: u32, length: u32, last: bool): u32 {
  entryLimit = limit;
  input = window - base;
  let pos = window;
  const end = window + length;
  while (pos < end) {
    const tag = <u32>load<u8>(pos);
    if (tag >= 0x80) fail();
    // Within 16 bytes of the end any field may go on past it (a tag and a varint take at most
    // 11); further from it, only a length-delimited one longer than what is left.
    if (!last && (end - pos < 16 || ((tag & 7) == 2 && varint(pos + 1, end) > <u64>(end - at)))) break;
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
  return <u32>(pos - window);
}

/**
 * After a walk in several windows: room for bytes [from, to) of the profile, its string table's
 * span, which resolve() reads; the caller copies them there. Over the window when they fit (it is
 * walked, and its pages are touched already: fresh ones cost a page fault per 4 kB).
 */
export function placeStrings(from: u32, to: u32): usize {
  const at = to - from <= windowSize ? window : alloc(<u64>(to - from) + 16);
  input = at - from;
  return at;
}

/** Whether the string table's span holds ASCII only (RawStrings would check it in JavaScript); after the walk and its strings are in place. */
export function spanAscii(): void {
  const from = load<f64>(scalars + 8 * S_SPAN_FROM);
  const to = load<f64>(scalars + 8 * S_SPAN_TO);
  if (!(from < to)) return;
  let p = input + <usize>from;
  const end = input + <usize>to;
  let high: u64 = 0;
  for (; p + 8 <= end; p += 8) high |= load<u64>(p);
  for (; p < end; p++) high |= <u64>load<u8>(p);
  if ((high & 0x8080808080808080) == 0) store<f64>(scalars + 8 * S_SPAN_ASCII, 1);
}

// ---------------------------------------------------------------------------------------------
// Resolving (src/decode/wire-decoder.ts expandLocations and fillStacks) on the walk's columns, for
// profiles whose string table is ASCII and whose every frame is named: anything else (an error
// to report, an anonymous location, sparse ids) traps, and the JavaScript resolves the walk.
// prepareResolve() gives where the caller writes the string ids it has assigned so far; then
// resolve() interns every location's frames (as FrameHash, frame ids in first-use order) and
// string-table entries (by their bytes, model string ids in first-use order, as RawStrings), and
// expands each sample's location ids into frames.

// Results, as u32 each at results(): see wasm-walk.ts.
const R_FRAME_COUNT = 0;
const R_FRAME_NAME = 1;
const R_FRAME_FILE = 2;
const R_FRAME_LINE = 3;
const R_FRAME_START_LINE = 4;
const R_FRAME_INLINED = 5;
const R_STACK_START = 6;
const R_STACK_FRAMES = 7;
const R_FRAME_TOTAL = 8;
const R_NEW_ENTRIES = 9;
const R_NEW_ENTRY_COUNT = 10;
const R_NEW_TEXT = 11;
const R_NEW_TEXT_BYTES = 12;
const R_BASE_KEY = 13;
const R_TRUE = 14;
const RESULTS = 15;

// The strings fromBase looks for (wire-decoder.ts): their first entries are found while deduplicating.
const PPROF_BASE = memory.data<u8>([0x70, 0x70, 0x72, 0x6f, 0x66, 0x3a, 0x3a, 0x62, 0x61, 0x73, 0x65]);
const TRUE = memory.data<u8>([0x74, 0x72, 0x75, 0x65]);

let results: usize = 0;
let entryCount: u32 = 0;
/** Per string-table entry: the model string id (-1 not yet), and the first entry of equal bytes. */
let stringIds: usize = 0;
let canon: usize = 0;
let newEntries: usize = 0;
let newEntryCount: u32 = 0;
let nextStringId: i32 = 0;

/** Room for the string ids the caller has assigned (an i32 per entry, -1 for none); 0 for no table. */
export function prepareResolve(): usize {
  results = alloc(4 * RESULTS);
  entryCount = lengthOf(STRINGS) >> 1;
  if (entryCount == 0) fail();
  stringIds = alloc(<u64>entryCount * 4);
  return stringIds;
}

export function resultTable(): usize {
  return results;
}

@inline function entryStart(e: u32): usize {
  return input + <usize>load<f64>(dataOf(STRINGS) + (<usize>e << 4));
}
@inline function entryEnd(e: u32): usize {
  return input + <usize>load<f64>(dataOf(STRINGS) + (<usize>e << 4), 8);
}

/** canon[e]: the first entry whose bytes equal entry e's. Traps on a byte past ASCII, or a NUL. */
function dedupeStrings(): void {
  canon = alloc(<u64>entryCount * 4);
  let size: u32 = 16;
  while (size < 2 * entryCount) size <<= 1;
  dedupeSlots = alloc(<u64>size * 4);
  memory.fill(dedupeSlots, 0, size * 4);
  dedupeMask = size - 1;
  dedupeHigh = 0;
  dedupeNul = 0;
  baseKey = -1;
  trueEntry = -1;
  for (let e: u32 = 0; e < entryCount; e++) dedupeEntry(e);
  store<i32>(results + 4 * R_BASE_KEY, baseKey);
  store<i32>(results + 4 * R_TRUE, trueEntry);
  // Past ASCII, entries are equal by their decoded text, not their bytes; a NUL would not survive newText().
  if ((dedupeHigh & 0x8080808080808080) != 0 || dedupeNul != 0) fail();
  // An entry the caller named gives its id to its whole class.
  for (let e: u32 = 0; e < entryCount; e++) {
    const id = load<i32>(stringIds + (<usize>e << 2));
    const c = load<u32>(canon + (<usize>e << 2));
    if (id >= 0 && load<i32>(stringIds + (<usize>c << 2)) < 0) store<i32>(stringIds + (<usize>c << 2), id);
  }
}

let dedupeSlots: usize = 0;
let dedupeMask: u32 = 0;
/** Every byte of the entries or-ed together, and whether one held a NUL. */
let dedupeHigh: u64 = 0;
let dedupeNul: u64 = 0;
let baseKey: i32 = -1;
let trueEntry: i32 = -1;

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * One entry of dedupeStrings, hashed eight bytes at a time. Exported only so that binaryen does
 * not inline it: V8 then runs the rest of the entries in the optimised code it compiles meanwhile
 * (see sample()). The last word is read past the entry's end (a placed span has 16 bytes to spare),
 * its extra bytes masked off.
 */
export function dedupeEntry(e: u32): void {
  const start = entryStart(e);
  const end = entryEnd(e);
  if (end - start == 11 && baseKey < 0 && sameBytes(start, end, PPROF_BASE, PPROF_BASE + 11)) baseKey = e;
  if (end - start == 4 && trueEntry < 0 && sameBytes(start, end, TRUE, TRUE + 4)) trueEntry = e;
  let h: u64 = 0xcbf29ce484222325 ^ <u64>(end - start);
  let high: u64 = 0;
  let nul: u64 = 0;
  let p = start;
  for (; p + 8 <= end; p += 8) {
    const w = load<u64>(p);
    high |= w;
    nul |= (w - ONES) & ~w & HIGHS;
    h = (h ^ w) * 0x100000001b3;
    h ^= h >> 29;
  }
  if (p < end) {
    const mask: u64 = (<u64>1 << (<u64>(end - p) << 3)) - 1;
    const w = load<u64>(p) & mask;
    high |= w;
    // The bytes masked off count as 1s, not NULs.
    const v = w | (~mask & ONES);
    nul |= (v - ONES) & ~v & HIGHS;
    h = (h ^ w) * 0x100000001b3;
    h ^= h >> 29;
  }
  dedupeHigh |= high;
  dedupeNul |= nul;
  let slot = <u32>(h ^ (h >> 32)) & dedupeMask;
  while (true) {
    const other = load<u32>(dedupeSlots + (<usize>slot << 2));
    if (other == 0) {
      store<u32>(dedupeSlots + (<usize>slot << 2), e + 1);
      store<u32>(canon + (<usize>e << 2), e);
      return;
    }
    if (sameBytes(start, end, entryStart(other - 1), entryEnd(other - 1))) {
      store<u32>(canon + (<usize>e << 2), other - 1);
      return;
    }
    slot = (slot + 1) & dedupeMask;
  }
}

function sameBytes(start: usize, end: usize, otherStart: usize, otherEnd: usize): bool {
  if (end - start != otherEnd - otherStart) return false;
  for (let p = start, q = otherStart; p < end; p++, q++) if (load<u8>(p) != load<u8>(q)) return false;
  return true;
}

/** The model string id of a table index (as RawStrings.idOrMissing); traps past the table. */
function stringId(e: u32): i32 {
  if (e >= entryCount) fail();
  let id = load<i32>(stringIds + (<usize>e << 2));
  if (id >= 0) return id;
  const c = load<u32>(canon + (<usize>e << 2));
  id = load<i32>(stringIds + (<usize>c << 2));
  if (id < 0) {
    if (entryEnd(c) == entryStart(c)) id = 0;
    else {
      id = nextStringId++;
      store<u32>(newEntries + (<usize>(newEntryCount++) << 2), c);
    }
    store<i32>(stringIds + (<usize>c << 2), id);
  }
  store<i32>(stringIds + (<usize>e << 2), id);
  return id;
}

/** Positions of ids 1..n in order need no table (ordered: 0 returned); else a dense table of positions. */
function idTable(column: i32): usize {
  const ids = dataOf(column);
  const n = lengthOf(column);
  let k: u32 = 0;
  while (k < n && load<u32>(ids + (<usize>k << 2)) == k + 1) k++;
  if (k == n) return 0;
  let largest: u32 = 0;
  for (k = 0; k < n; k++) largest = max<u32>(largest, load<u32>(ids + (<usize>k << 2)));
  // As IdIndex: sparse ids (a Map there) are left to JavaScript.
  if (<u64>largest > 2 * <u64>n + 1024) fail();
  const size = largest + 1;
  const table = alloc(<u64>size * 4 + 4);
  store<u32>(table, size);
  memory.fill(table + 4, 0xff, size * 4);
  for (k = 0; k < n; k++) store<u32>(table + 4 + (<usize>load<u32>(ids + (<usize>k << 2)) << 2), k);
  return table;
}

/** The position of id in a column indexed by idTable (-1: none). */
@inline function positionOf(table: usize, count: u32, id: u32): i32 {
  if (table == 0) return id >= 1 && id <= count ? <i32>(id - 1) : -1;
  return id < load<u32>(table) ? load<i32>(table + 4 + (<usize>id << 2)) : -1;
}

// The frame table (FrameHash): columns and open-addressing slots (frame id + 1, 0 empty).
let frameCount: u32 = 0;
let frameName: usize = 0;
let frameFile: usize = 0;
let frameLine: usize = 0;
let frameStart: usize = 0;
let frameInlined: usize = 0;
let frameSlots: usize = 0;
let frameMask: u32 = 0;

function intern(name: i32, file: i32, line: i32, startLine: i32, inlined: u32): u32 {
  let h = <u32>name * 0x9e3779b1 ^ <u32>file * 0x85ebca77 ^ <u32>line * 0xc2b2ae3d ^ (<u32>startLine + (inlined << 30)) * 0x27d4eb2f;
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 12;
  let slot = h & frameMask;
  while (true) {
    const at = frameSlots + (<usize>slot << 2);
    const stored = load<u32>(at);
    if (stored == 0) {
      const id = frameCount++;
      const o = <usize>id << 2;
      store<i32>(frameName + o, name);
      store<i32>(frameFile + o, file);
      store<i32>(frameLine + o, line);
      store<i32>(frameStart + o, startLine);
      store<u8>(frameInlined + id, inlined);
      store<u32>(at, id + 1);
      return id;
    }
    const o = <usize>(stored - 1) << 2;
    if (load<i32>(frameName + o) == name && load<i32>(frameFile + o) == file && load<i32>(frameLine + o) == line && load<i32>(frameStart + o) == startLine && <u32>load<u8>(frameInlined + stored - 1) == inlined) {
      return stored - 1;
    }
    slot = (slot + 1) & frameMask;
  }
}

// expandLocation's state, from one location to the next.
let expansion: usize = 0;
let expansionFrames: usize = 0;
let expandedLines: u32 = 0;
let expandedFrames: u32 = 0;
let knownMapping: f64 = 0;
let fnTable: usize = 0;
let fnTableCount: u32 = 0;

/**
 * Location k's frames (expandLocations), one per Line, callee first. Exported only so that binaryen
 * does not inline it into resolve(): see sample(); resolve() is called once per profile, and V8
 * runs a call to its end in the code it started in.
 */
export function expandLocation(k: u32): void {
  const mappingId = <f64>load<u32>(dataOf(LOCATION_MAPPING) + (<usize>k << 2));
  if (mappingId != 0 && mappingId != knownMapping) {
    let found = false;
    const mappings = lengthOf(MAPPING_ID);
    for (let m: u32 = 0; m < mappings; m++) if (load<f64>(dataOf(MAPPING_ID) + (<usize>m << 3)) == mappingId) found = true;
    if (!found) fail();
    knownMapping = mappingId;
  }
  const end = load<u32>(dataOf(LINE_END) + (<usize>k << 2));
  let line = expandedLines;
  // A location without lines is named by its address: left to JavaScript.
  if (line == end) fail();
  const lineFunction = dataOf(LINE_FUNCTION);
  const lineNumber = dataOf(LINE_NUMBER);
  const fnName = dataOf(FUNCTION_NAME);
  const fnFile = dataOf(FUNCTION_FILE);
  const fnStartLine = dataOf(FUNCTION_START_LINE);
  let n = expandedFrames;
  for (; line < end; line++) {
    // Ids, string indices and line numbers were checked as the walk kept them (u32Of, lineNumberOf).
    const fnId = load<u32>(lineFunction + (<usize>line << 2));
    if (fnId == 0) fail();
    const number = load<i32>(lineNumber + (<usize>line << 2));
    const fn = positionOf(fnTable, fnTableCount, fnId);
    if (fn < 0) fail();
    const o = <usize>fn << 2;
    const name = stringId(load<u32>(fnName + o));
    const file = stringId(load<u32>(fnFile + o));
    if (name == 0) fail();
    const frame = intern(name, file, number, load<i32>(fnStartLine + o), line < end - 1 ? 1 : 0);
    store<u32>(expansionFrames + (<usize>(n++) << 2), frame);
  }
  expandedLines = line;
  expandedFrames = n;
  store<u32>(expansion + (<usize>(k + 1) << 2), n);
}

/**
 * Resolves the walk: `nextId` is the next model string id (the caller's count of strings),
 * `typeCount` the sample types, `limit` the most frames the stacks may expand to.
 */
export function resolve(nextId: i32, typeCount: u32, limit: f64): void {
  nextStringId = nextId;
  dedupeStrings();
  newEntries = alloc(<u64>entryCount * 4);
  newEntryCount = 0;
  // Mapping ids: exact, as resolve's Map of them needs.
  const mappings = lengthOf(MAPPING_ID);
  for (let m: u32 = 0; m < mappings; m++) if (isNaN(load<f64>(dataOf(MAPPING_ID) + (<usize>m << 3)))) fail();
  const fnCount = lengthOf(FUNCTION_ID);
  const functions = idTable(FUNCTION_ID);
  const locations = lengthOf(LOCATION_ID);
  const lines = lengthOf(LINE_FUNCTION);
  // A frame per line at most: a location without lines traps below.
  const capacity = lines + 16;
  frameName = alloc(<u64>capacity * 4);
  frameFile = alloc(<u64>capacity * 4);
  frameLine = alloc(<u64>capacity * 4);
  frameStart = alloc(<u64>capacity * 4);
  frameInlined = alloc(<u64>capacity);
  let slots: u32 = 32;
  while (slots < 2 * capacity) slots <<= 1;
  frameSlots = alloc(<u64>slots * 4);
  memory.fill(frameSlots, 0, slots * 4);
  frameMask = slots - 1;
  frameCount = 0;
  // Frames of location k: locationFrames[start[k] .. start[k + 1]).
  const start = alloc(<u64>(locations + 1) * 4);
  const locationFrames = alloc(<u64>(lines + 1) * 4);
  store<u32>(start, 0);
  expansion = start;
  expansionFrames = locationFrames;
  expandedLines = 0;
  expandedFrames = 0;
  knownMapping = 0;
  fnTable = functions;
  fnTableCount = fnCount;
  for (let k: u32 = 0; k < locations; k++) expandLocation(k);
  // Every entry of a class some entry of which is named shares its id (for the caller's later lookups).
  for (let e: u32 = 0; e < entryCount; e++) {
    if (load<i32>(stringIds + (<usize>e << 2)) < 0) store<i32>(stringIds + (<usize>e << 2), load<i32>(stringIds + (<usize>load<u32>(canon + (<usize>e << 2)) << 2)));
  }
  // The new strings' place first: its alloc is the one step left that can trap (a memory that
  // cannot grow), and it must not after stacks() has written frames over the location ids, which
  // the JavaScript then resolving in the kernel's place would read.
  placeNewText();
  stacks(typeCount, limit, start, locationFrames);
  newText();
  store<u32>(results + 4 * R_FRAME_COUNT, frameCount);
  store<u32>(results + 4 * R_FRAME_NAME, frameName);
  store<u32>(results + 4 * R_FRAME_FILE, frameFile);
  store<u32>(results + 4 * R_FRAME_LINE, frameLine);
  store<u32>(results + 4 * R_FRAME_START_LINE, frameStart);
  store<u32>(results + 4 * R_FRAME_INLINED, frameInlined);
  store<u32>(results + 4 * R_NEW_ENTRIES, newEntries);
  store<u32>(results + 4 * R_NEW_ENTRY_COUNT, newEntryCount);
}

// Where newText() writes the new strings, and their bytes with a NUL after each: placeNewText()'s.
let newTextAt: usize = 0;
let newTextBytes: u64 = 0;

/**
 * Sizes the new strings' text and finds its place: over the dead location, line and function
 * columns when it fits there (written only after stacks(), which still reads them), else a new
 * allocation, made now, before anything the caller's JavaScript could not undo.
 */
function placeNewText(): void {
  let bytes: u64 = 0;
  for (let i: u32 = 0; i < newEntryCount; i++) {
    const e = load<u32>(newEntries + (<usize>i << 2));
    bytes += <u64>(entryEnd(e) - entryStart(e)) + 1;
  }
  newTextBytes = bytes;
  newTextAt = bytes <= <u64>(expandedTo - expandedFrom) ? expandedFrom : alloc(bytes);
}

/**
 * The new strings' bytes, NUL between them: the caller decodes them in one go and splits them.
 * Last of resolve(), at placeNewText()'s place: nothing here traps.
 */
function newText(): void {
  const text = newTextAt;
  const bytes = newTextBytes;
  let at = text;
  for (let i: u32 = 0; i < newEntryCount; i++) {
    const e = load<u32>(newEntries + (<usize>i << 2));
    const size = entryEnd(e) - entryStart(e);
    memory.copy(at, entryStart(e), size);
    store<u8>(at + size, 0);
    at += size + 1;
  }
  store<u32>(results + 4 * R_NEW_TEXT, text);
  // Without the last NUL.
  store<u32>(results + 4 * R_NEW_TEXT_BYTES, bytes > 0 ? <u32>bytes - 1 : 0);
}

/** resolveSamples: each sample's values counted, its location ids expanded into their frames. */
function stacks(typeCount: u32, limit: f64, start: usize, locationFrames: usize): void {
  const count = lengthOf(VALUE_END);
  const valueEnd = dataOf(VALUE_END);
  for (let i: u32 = 0, v: u32 = 0; i < count; i++) {
    const end = load<u32>(valueEnd + (<usize>i << 2));
    if (end - v != typeCount) fail();
    v = end;
  }
  stackLocations = lengthOf(LOCATION_ID);
  stackById = idTable(LOCATION_ID);
  stackIds = dataOf(LOCATION_IDS);
  stackEnds = dataOf(LOCATION_END);
  stackFrom = start;
  stackLocationFrames = locationFrames;
  stackLimit = limit;
  // First every id checked and the frames counted, within the limit, the columns untouched (the
  // caller resolves them in JavaScript if this traps); then the frames, from the last id back.
  stackStarts = alloc(<u64>(count + 1) * 4);
  store<u32>(stackStarts, 0);
  stackTotal = 0;
  stackId = 0;
  for (let i: u32 = 0; i < count; i++) countStack(i);
  const total = stackTotal;
  // Into the ids' own column when it has room: every location has a frame, so a location's
  // frames never start before its id's place, and no id is overwritten before it is read.
  const frames = <f64>load<u32>(table + 12 * LOCATION_IDS, 8) >= total ? stackIds : alloc(<u64>total * 4 + 4);
  stackAt = frames + (<usize>(<u32>total) << 2);
  for (let i = <i32>count - 1; i >= 0; i--) writeStack(<u32>i);
  store<u32>(results + 4 * R_STACK_START, stackStarts);
  store<u32>(results + 4 * R_STACK_FRAMES, frames);
  store<u32>(results + 4 * R_FRAME_TOTAL, <u32>total);
}

// stacks()' state, from one sample to the next.
let stackLocations: u32 = 0;
let stackById: usize = 0;
let stackIds: usize = 0;
let stackEnds: usize = 0;
let stackFrom: usize = 0;
let stackLocationFrames: usize = 0;
let stackLimit: f64 = 0;
let stackStarts: usize = 0;
let stackTotal: f64 = 0;
let stackId: u32 = 0;
let stackAt: usize = 0;

/**
 * Sample i's location ids checked and its frames counted (stackStarts[i + 1]). Exported, as is
 * writeStack, only so that binaryen does not inline it into stacks(): see sample().
 */
export function countStack(i: u32): void {
  const end = load<u32>(stackEnds + (<usize>i << 2));
  const start = stackFrom;
  let total = stackTotal;
  let k = stackId;
  // Ids 1..n in order (as Go writes them): the location is id - 1, in integers (id 0 wraps past n).
  if (stackById == 0) {
    for (; k < end; k++) {
      const location = load<u32>(stackIds + (<usize>k << 2)) - 1;
      if (location >= stackLocations) fail();
      total += <f64>(load<u32>(start + (<usize>(location + 1) << 2)) - load<u32>(start + (<usize>location << 2)));
    }
  } else {
    for (; k < end; k++) {
      const location = positionOf(stackById, stackLocations, load<u32>(stackIds + (<usize>k << 2)));
      if (location < 0) fail();
      total += <f64>(load<u32>(start + (<usize>(location + 1) << 2)) - load<u32>(start + (<usize>location << 2)));
    }
  }
  if (total > stackLimit) fail();
  store<u32>(stackStarts + (<usize>(i + 1) << 2), <u32>total);
  stackTotal = total;
  stackId = k;
}

/** Sample i's frames, from its last id back, ending where sample i + 1's begin (stackAt). */
export function writeStack(i: u32): void {
  const first = i == 0 ? 0 : load<u32>(stackEnds + (<usize>(i - 1) << 2));
  const start = stackFrom;
  let at = stackAt;
  for (let k = <i32>load<u32>(stackEnds + (<usize>i << 2)) - 1; k >= <i32>first; k--) {
    const id = load<u32>(stackIds + (<usize>k << 2));
    const location = stackById == 0 ? id - 1 : <u32>positionOf(stackById, stackLocations, id);
    const low = load<u32>(start + (<usize>location << 2));
    for (let f = load<u32>(start + (<usize>(location + 1) << 2)); f > low; ) {
      f--;
      at -= 4;
      store<u32>(at, load<u32>(stackLocationFrames + (<usize>f << 2)));
    }
  }
  stackAt = at;
}
