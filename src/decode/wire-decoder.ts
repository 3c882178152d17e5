import { ProfileError } from '../model/errors.js';
import type { Profile, ValueType } from '../model/profile.js';
import { ENTRY_BYTES, FRAME_BYTES, overBudget } from './budget.js';
import { U32List } from '../base/growable.js';
import { DEFAULT_MAX_PROFILE_BYTES } from './inflate.js';
import { IdIndex } from './id-index.js';
import { FrameHash } from './frame-hash.js';
import { frameLimit, tooManyFrames } from './frame-limit.js';
import { baseName, unsymbolizedKey, unsymbolizedName, type MappingInfo } from './interner.js';
import { RawStrings } from './raw-strings.js';
import { walkProfile, type RawProfile, type WalkProgress } from './wire-walk.js';

/**
 * Decodes raw (inflated) pprof protobuf bytes straight into the compact model: one pass over the
 * wire bytes into typed arrays, then ids and strings are resolved. Validates exactly what the
 * reference decoder (pprof-format + normalise) validates; the differential test holds them equal.
 */
export function decodeWire(bytes: Uint8Array, onProgress?: WalkProgress, maxBytes = DEFAULT_MAX_PROFILE_BYTES): Profile {
  // A plain view: node:zlib hands out Buffers, whose subarray is slower.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  return resolve(walkProfile(view, maxBytes, onProgress));
}

function malformed(detail: string): ProfileError {
  return new ProfileError('malformed profile', detail);
}

/** Refuses a number the walk read as NaN: beyond ±2^53. */
function exact(value: number, what: string): number {
  if (Number.isNaN(value)) throw malformed(`${what} is beyond ±2^53 and cannot be represented exactly`);
  return value;
}

function resolve(raw: RawProfile): Profile {
  const header = raw.header!;
  const strings = new RawStrings(raw.buf, raw.strings);
  const valueType = (type: number, unit: number, what: string): ValueType => ({
    type: strings.text(type, `${what} type`),
    unit: strings.text(unit, `${what} unit`),
  });
  const sampleTypes: ValueType[] = [];
  for (let i = 0; 2 * i < raw.sampleTypes.length; i++) {
    sampleTypes.push(valueType(raw.sampleTypes.at(2 * i), raw.sampleTypes.at(2 * i + 1), `sample type ${i}`));
  }
  const mappingFile = new Map<number, string>();
  const mappingIndex = new Map<number, number>();
  for (let k = 0; k < raw.mappingId.length; k++) {
    const id = exact(raw.mappingId.at(k), 'mapping id');
    mappingFile.set(id, strings.text(raw.mappingFile.at(k), 'mapping filename'));
    mappingIndex.set(id, k);
  }
  const frames = new FrameHash(raw.lineFunction.length + raw.locationId.length);
  const unsymbolized = new Map<number, string>();
  const locationFrames = expandLocations(raw, strings, { file: mappingFile, index: mappingIndex, unsymbolized }, frames);
  const samples = resolveSamples(raw, sampleTypes.length, locationFrames);
  return {
    strings: strings.interner.values,
    sampleTypes,
    defaultSampleType: strings.id(header.defaultSampleType, 'default sample type'),
    periodType: header.periodType ? valueType(header.periodType.type, header.periodType.unit, 'period type') : undefined,
    period: exact(header.period, 'period'),
    timeNanos: header.timeNanos,
    durationNanos: header.durationNanos,
    comments: Array.from(raw.comments.toArray(), (c, i) => strings.text(c, `comment ${i}`)),
    mainBinary: baseName(raw.mappingId.length > 0 ? strings.text(raw.mappingFile.at(0), 'mapping filename') : ''),
    frames: frames.finish(),
    ...(unsymbolized.size > 0 ? { unsymbolized } : {}),
    samples: { ...samples, fromBase: fromBase(raw, strings) },
  };
}

/** Frames of location k are frames[start[k] .. start[k + 1]), one per Line, callee first. */
interface LocationFrames {
  readonly start: Uint32Array;
  readonly frames: Uint32Array;
}

/** What expanding a location into frames needs. */
interface Expansion {
  readonly raw: RawProfile;
  readonly strings: RawStrings;
  readonly mappings: Mappings;
  readonly functions: IdIndex;
  readonly frames: FrameHash;
  readonly out: U32List;
}

/** Mappings by id: their file, their index in the raw lists, and the unsymbolized keys found. */
interface Mappings {
  readonly file: Map<number, string>;
  readonly index: Map<number, number>;
  readonly unsymbolized: Map<number, string>;
}

function expandLocations(raw: RawProfile, strings: RawStrings, mappings: Mappings, frames: FrameHash): LocationFrames {
  for (let k = 0; k < raw.functionId.length; k++) exact(raw.functionId.at(k), 'function id');
  const count = raw.locationId.length;
  const x: Expansion = { raw, strings, mappings, frames, functions: new IdIndex(raw.functionId), out: new U32List(raw.lineFunction.length + count) };
  const start = new Uint32Array(count + 1);
  for (let k = 0, line = 0; k < count; k++) {
    const lineEnd = raw.lineEnd.at(k);
    expandLocation(x, k, line, lineEnd);
    line = lineEnd;
    start[k + 1] = x.out.length;
  }
  return { start, frames: x.out.data };
}

/** One frame per Line of location k (lines[from..to)), callee first. */
function expandLocation(x: Expansion, k: number, from: number, to: number): void {
  const { raw, strings, frames, out } = x;
  const id = exact(raw.locationId.at(k), 'location id');
  const mappingId = exact(raw.locationMapping.at(k), 'mapping id');
  if (mappingId !== 0 && !x.mappings.file.has(mappingId)) {
    throw malformed(`location ${id} refers to mapping ${mappingId}, which does not exist`);
  }
  if (from === to) out.push(frames.intern(anonymous(x, k), 0, 0, 0));
  for (let line = from; line < to; line++) {
    const fnId = exact(raw.lineFunction.at(line), 'function id');
    const lineNumber = checkLine(raw.lineNumber.at(line), id);
    // Every Line but the location's last is a call inlined into the next one.
    const inlined = line < to - 1 ? 1 : 0;
    if (fnId === 0) {
      out.push(frames.intern(anonymous(x, k), 0, lineNumber, 0, inlined));
      continue;
    }
    const fn = x.functions.get(fnId);
    if (fn < 0) throw malformed(`location ${id} refers to function ${fnId}, which does not exist`);
    const name = strings.idOrMissing(raw.functionName.at(fn));
    if (name < 0) throw strings.beyond(raw.functionName.at(fn), `function ${fnId} name`);
    const file = strings.idOrMissing(raw.functionFile.at(fn));
    if (file < 0) throw strings.beyond(raw.functionFile.at(fn), `function ${fnId} filename`);
    out.push(frames.intern(name === 0 ? anonymous(x, k) : name, file, lineNumber, checkLine(raw.functionStartLine.at(fn), id), inlined));
  }
}

/** A line without a named function is as anonymous as a location without lines: named by address. */
function anonymous(x: Expansion, k: number): number {
  const id = x.raw.locationId.at(k);
  const address = exact(x.raw.locationAddress.at(k), `location ${id} address`);
  const mappingId = x.raw.locationMapping.at(k);
  const name = x.strings.interner.id(unsymbolizedName(x.mappings.file.get(mappingId) ?? '', address));
  const m = x.mappings.index.get(mappingId);
  if (m !== undefined && !x.mappings.unsymbolized.has(name)) {
    const { raw, strings } = x;
    const info: MappingInfo = {
      file: x.mappings.file.get(mappingId)!,
      buildId: strings.text(raw.mappingBuildId.at(m), 'mapping build id'),
      start: exact(raw.mappingStart.at(m), 'mapping start'),
      limit: exact(raw.mappingLimit.at(m), 'mapping limit'),
      offset: exact(raw.mappingOffset.at(m), 'mapping offset'),
    };
    x.mappings.unsymbolized.set(name, unsymbolizedKey(info, address));
  }
  return name;
}

function checkLine(n: number, locationId: number): number {
  if (!(n >= 0 && n <= 0x7fffffff)) throw malformed(`location ${locationId} has line number ${Number.isNaN(n) ? 'beyond ±2^53' : n}, out of range`);
  return n;
}

// Each loop over all samples is a function of its own, so the JIT optimises it on its own.
function resolveSamples(raw: RawProfile, typeCount: number, locations: LocationFrames) {
  const count = raw.sampleCount;
  checkValueCounts(raw.valueEnd.data, count, typeCount);
  const stackStart = new Uint32Array(count + 1);
  const stackFrames = fillStacks(raw, new IdIndex(raw.locationId), locations, stackStart);
  return { count, stackStart, stackFrames, values: raw.values.toArray() };
}

function checkValueCounts(valueEnd: Uint32Array, count: number, typeCount: number): void {
  for (let i = 0, v = 0; i < count; v = valueEnd[i++]!) {
    const values = valueEnd[i]! - v;
    if (values !== typeCount) throw malformed(`sample ${i} has ${values} values but the profile has ${typeCount} sample types`);
  }
}

/**
 * Every sample's location ids become their locations' frames, in two passes: the first turns each
 * id into its location's index (in place) and counts each stack's frames; the second writes the
 * frames from the last id back, into the ids' own array when it has room. As every location has
 * a frame, a location's frames never start before its id's place, so nothing is overwritten
 * before it is read, and no second array of millions of entries is needed.
 */
function fillStacks(raw: RawProfile, byId: IdIndex, { start: frameStart, frames }: LocationFrames, stackStart: Uint32Array): Uint32Array {
  const ids = raw.locationIds.data;
  const count = raw.locationIds.length;
  const locationEnd = raw.locationEnd.data;
  // Frames get what the budget has left after the location ids and values.
  const budget = Math.max(0, Math.floor((raw.maxBytes - ENTRY_BYTES * (raw.locationIds.length + raw.values.length)) / FRAME_BYTES));
  const limit = Math.min(frameLimit(raw.buf.length), budget);
  let total = 0;
  for (let i = 0, k = 0; i < raw.sampleCount; i++) {
    for (const end = locationEnd[i]!; k < end; k++) {
      const location = byId.get(ids[k]!);
      if (location < 0) throw malformed(`sample ${i} refers to location ${ids[k]}, which does not exist`);
      ids[k] = location;
      total += frameStart[location + 1]! - frameStart[location]!;
      if (total > limit) throw limit === budget ? overBudget(raw.maxBytes) : tooManyFrames(limit);
    }
    stackStart[i + 1] = total;
  }
  const out = ids instanceof Uint32Array && ids.length >= total ? ids : new Uint32Array(total);
  for (let k = count - 1, at = total; k >= 0; k--) {
    const location = ids[k]!;
    for (let f = frameStart[location + 1]! - 1; f >= frameStart[location]!; f--) out[--at] = frames[f]!;
  }
  return out.subarray(0, total);
}

/** Samples labelled pprof::base=true, matched by the first table entries equal to those strings. */
function fromBase(raw: RawProfile, strings: RawStrings): Uint8Array | null {
  if (raw.labelSample.length === 0) return null;
  const baseKey = strings.indexOf('pprof::base');
  const baseTrue = strings.indexOf('true');
  if (baseKey <= 0) return null;
  let marks: Uint8Array | null = null;
  for (let j = 0; j < raw.labelSample.length; j++) {
    if (raw.labelKey.at(j) === baseKey && raw.labelStr.at(j) === baseTrue) {
      marks ??= new Uint8Array(raw.sampleCount);
      marks[raw.labelSample.at(j)] = 1;
    }
  }
  return marks;
}
