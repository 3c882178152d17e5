import { F64List, U32List } from './growable.js';
import { bigintToNumber } from './int64.js';
import { WireReader } from './wire-reader.js';

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
  /** Ids ≥ 0xffffffff are stored as 0xffffffff here, their value in `bigLocationIds` in order. */
  readonly locationIds: U32List;
  readonly bigLocationIds = new F64List();
  readonly valueEnd: U32List;
  readonly values: F64List;
  /** Per label: its sample, key and str string indices (only `pprof::base` matters). */
  readonly labelSample = new U32List();
  readonly labelKey = new F64List();
  readonly labelStr = new F64List();

  readonly mappingId = new F64List();
  readonly mappingFile = new F64List();

  readonly locationId = new F64List();
  readonly locationMapping = new F64List();
  readonly locationAddress = new F64List();
  /** Location k's lines are lines[lineEnd[k-1] .. lineEnd[k]). */
  readonly lineEnd = new U32List();
  readonly lineFunction = new F64List();
  readonly lineNumber = new F64List();

  readonly functionId = new F64List();
  readonly functionName = new F64List();
  readonly functionFile = new F64List();
  readonly functionStartLine = new F64List();

  /** [start, end) byte offsets of each string-table entry. */
  readonly strings = new F64List();
  readonly comments = new F64List();
  timeNanos = 0;
  durationNanos = 0;
  period = 0;
  defaultSampleType = 0;
  periodType: { type: number; unit: number } | undefined = undefined;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    // A Go heap sample takes ~120 bytes for ~30 locations: size the hot lists once.
    this.locationIds = new U32List(buf.length >>> 2);
    this.locationEnd = new U32List(buf.length >>> 7);
    this.valueEnd = new U32List(buf.length >>> 7);
    this.values = new F64List(buf.length >>> 5);
  }
}

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

/** The one pass over profile.proto's Profile message. Nesting is fixed by the schema (depth 3). */
export function walkProfile(buf: Uint8Array, onProgress?: WalkProgress): RawProfile {
  const raw = new RawProfile(buf);
  const r = new WireReader(buf);
  let nextReport = PROGRESS_EVERY;
  while (r.pos < r.end) {
    if (onProgress && r.pos >= nextReport) {
      onProgress(r.pos, buf.length);
      nextReport = r.pos + PROGRESS_EVERY;
    }
    const tag = r.tag();
    switch (tag) {
      case 0x0a: {
        const [type, unit] = valueType(r);
        raw.sampleTypes.push(type);
        raw.sampleTypes.push(unit);
        break;
      }
      case 0x12:
        sample(r, raw);
        break;
      case 0x1a:
        mapping(r, raw);
        break;
      case 0x22:
        location(r, raw);
        break;
      case 0x2a:
        fn(r, raw);
        break;
      case 0x32: {
        const outer = r.enter();
        raw.strings.push(r.pos);
        raw.strings.push(r.end);
        r.pos = r.end;
        r.leave(outer);
        break;
      }
      case 0x38: // drop_frames
      case 0x40: // keep_frames
      case 0x78: // doc_url
        r.uint();
        break;
      case 0x48:
        raw.timeNanos = r.approxInt();
        break;
      case 0x50:
        raw.durationNanos = r.approxInt();
        break;
      case 0x5a: {
        const [type, unit] = valueType(r);
        raw.periodType = { type, unit };
        break;
      }
      case 0x60:
        raw.period = r.int();
        break;
      case 0x68:
        raw.comments.push(r.uint());
        break;
      case 0x6a: {
        const outer = r.enter();
        while (r.pos < r.end) raw.comments.push(r.uint());
        r.leave(outer);
        break;
      }
      case 0x70:
        raw.defaultSampleType = r.uint();
        break;
      default:
        r.skip(tag, PROFILE_FIELDS, 'Profile');
    }
  }
  return raw;
}

/** Sample values are all kept, so one beyond ±2^53 is refused at once, with its exact value. */
function value(r: WireReader, raw: RawProfile, sampleIndex: number): void {
  const v = r.int();
  raw.values.push(v === v ? v : bigintToNumber(r.lastBig(true), `sample ${sampleIndex} value`));
}

function valueType(r: WireReader): [number, number] {
  const outer = r.enter();
  let type = 0;
  let unit = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x08) type = r.uint();
    else if (tag === 0x10) unit = r.uint();
    else r.skip(tag, VALUE_TYPE_FIELDS, 'ValueType');
  }
  r.leave(outer);
  return [type, unit];
}

function sample(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  const index = raw.sampleCount;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x0a) {
      // Packed location ids: the hot loop of the whole decode.
      const packed = r.enter();
      while (r.pos < r.end) locationId(r, raw, r.uint());
      r.leave(packed);
    } else if (tag === 0x12) {
      const packed = r.enter();
      while (r.pos < r.end) value(r, raw, index);
      r.leave(packed);
    } else if (tag === 0x08) locationId(r, raw, r.uint());
    else if (tag === 0x10) value(r, raw, index);
    else if (tag === 0x1a) label(r, raw, index);
    else r.skip(tag, SAMPLE_FIELDS, 'Sample');
  }
  r.leave(outer);
  raw.locationEnd.push(raw.locationIds.length);
  raw.valueEnd.push(raw.values.length);
  raw.sampleCount = index + 1;
}

function locationId(r: WireReader, raw: RawProfile, id: number): void {
  if (id < 0xffffffff) {
    raw.locationIds.push(id);
    return;
  }
  raw.locationIds.push(0xffffffff);
  raw.bigLocationIds.push(id === id ? id : bigintToNumber(r.lastBig(false), 'location id'));
}

function label(r: WireReader, raw: RawProfile, sampleIndex: number): void {
  const outer = r.enter();
  let key = 0;
  let str = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x08) key = r.uint();
    else if (tag === 0x10) str = r.uint();
    else if (tag === 0x18 || tag === 0x20) r.uint(); // num, num_unit
    else r.skip(tag, LABEL_FIELDS, 'Label');
  }
  r.leave(outer);
  raw.labelSample.push(sampleIndex);
  raw.labelKey.push(key);
  raw.labelStr.push(str);
}

function mapping(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  let id = 0;
  let file = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x08) id = r.uint();
    else if (tag === 0x28) file = r.uint();
    else if ((tag & 7) === 0 && tag >>> 3 <= 10) r.uint(); // addresses, build id, has_* flags
    else r.skip(tag, MAPPING_FIELDS, 'Mapping');
  }
  r.leave(outer);
  raw.mappingId.push(id);
  raw.mappingFile.push(file);
}

function location(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  let id = 0;
  let mappingId = 0;
  let address = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x08) id = r.uint();
    else if (tag === 0x10) mappingId = r.uint();
    else if (tag === 0x18) address = r.uint();
    else if (tag === 0x22) line(r, raw);
    else if (tag === 0x28) r.uint(); // is_folded
    else r.skip(tag, LOCATION_FIELDS, 'Location');
  }
  r.leave(outer);
  raw.locationId.push(id);
  raw.locationMapping.push(mappingId);
  raw.locationAddress.push(address);
  raw.lineEnd.push(raw.lineFunction.length);
}

function line(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  let functionId = 0;
  let lineNumber = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x08) functionId = r.uint();
    else if (tag === 0x10) lineNumber = r.int();
    else if (tag === 0x18) r.uint(); // column
    else r.skip(tag, LINE_FIELDS, 'Line');
  }
  r.leave(outer);
  raw.lineFunction.push(functionId);
  raw.lineNumber.push(lineNumber);
}

function fn(r: WireReader, raw: RawProfile): void {
  const outer = r.enter();
  let id = 0;
  let name = 0;
  let file = 0;
  let startLine = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 0x08) id = r.uint();
    else if (tag === 0x10) name = r.uint();
    else if (tag === 0x18) r.uint(); // system_name
    else if (tag === 0x20) file = r.uint();
    else if (tag === 0x28) startLine = r.int();
    else r.skip(tag, FUNCTION_FIELDS, 'Function');
  }
  r.leave(outer);
  raw.functionId.push(id);
  raw.functionName.push(name);
  raw.functionFile.push(file);
  raw.functionStartLine.push(startLine);
}
