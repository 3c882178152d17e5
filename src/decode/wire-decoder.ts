import { ProfileError } from '../model/errors.js';
import type { Profile, ValueType } from '../model/profile.js';
import { U32List } from './growable.js';
import { IdIndex } from './id-index.js';
import { FrameInterner, baseName, unsymbolizedName } from './interner.js';
import { RawStrings } from './raw-strings.js';
import { walkProfile, type RawProfile, type WalkProgress } from './wire-walk.js';

/**
 * Decodes raw (inflated) pprof protobuf bytes straight into the compact model: one pass over the
 * wire bytes into typed arrays, then ids and strings are resolved. Validates exactly what the
 * reference decoder (pprof-format + normalise) validates; the differential test holds them equal.
 */
export function decodeWire(bytes: Uint8Array, onProgress?: WalkProgress): Profile {
  return resolve(walkProfile(bytes, onProgress));
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
  for (let k = 0; k < raw.mappingId.length; k++) {
    mappingFile.set(exact(raw.mappingId.at(k), 'mapping id'), strings.text(raw.mappingFile.at(k), 'mapping filename'));
  }
  const frames = new FrameInterner();
  const locationFrames = expandLocations(raw, strings, mappingFile, frames);
  const samples = resolveSamples(raw, sampleTypes.length, locationFrames);
  return {
    strings: strings.interner.strings,
    sampleTypes,
    defaultSampleType: strings.id(raw.defaultSampleType, 'default sample type'),
    periodType: raw.periodType ? valueType(raw.periodType.type, raw.periodType.unit, 'period type') : undefined,
    period: exact(raw.period, 'period'),
    timeNanos: raw.timeNanos,
    durationNanos: raw.durationNanos,
    comments: Array.from(raw.comments.toArray(), (c, i) => strings.text(c, `comment ${i}`)),
    mainBinary: baseName(raw.mappingId.length > 0 ? strings.text(raw.mappingFile.at(0), 'mapping filename') : ''),
    frames: frames.finish(),
    samples: { ...samples, fromBase: fromBase(raw, strings) },
  };
}

/** Frames of location k are frames[start[k] .. start[k + 1]), one per Line, callee first. */
interface LocationFrames {
  readonly start: Uint32Array;
  readonly frames: Uint32Array;
}

function expandLocations(raw: RawProfile, strings: RawStrings, mappingFile: Map<number, string>, frames: FrameInterner): LocationFrames {
  for (let k = 0; k < raw.functionId.length; k++) exact(raw.functionId.at(k), 'function id');
  const functions = new IdIndex(raw.functionId);
  const count = raw.locationId.length;
  const start = new Uint32Array(count + 1);
  const out = new U32List(raw.lineFunction.length + count);
  let line = 0;
  for (let k = 0; k < count; k++) {
    const id = exact(raw.locationId.at(k), 'location id');
    const mappingId = exact(raw.locationMapping.at(k), 'mapping id');
    if (mappingId !== 0 && !mappingFile.has(mappingId)) {
      throw malformed(`location ${id} refers to mapping ${mappingId}, which does not exist`);
    }
    // A line without a named function is as anonymous as a location without lines.
    const anonymous = (): number => {
      const address = raw.locationAddress.at(k);
      exact(address, `location ${id} address`);
      return strings.interner.intern(unsymbolizedName(mappingFile.get(mappingId) ?? '', address));
    };
    const lineEnd = raw.lineEnd.at(k);
    if (line === lineEnd) out.push(frames.intern(anonymous(), 0, 0, 0));
    for (; line < lineEnd; line++) {
      const fnId = exact(raw.lineFunction.at(line), 'function id');
      const lineNumber = checkLine(raw.lineNumber.at(line), id);
      if (fnId === 0) {
        out.push(frames.intern(anonymous(), 0, lineNumber, 0));
        continue;
      }
      const fn = functions.get(fnId);
      if (fn < 0) throw malformed(`location ${id} refers to function ${fnId}, which does not exist`);
      const name = strings.id(raw.functionName.at(fn), `function ${fnId} name`);
      out.push(
        frames.intern(
          name === 0 ? anonymous() : name,
          strings.id(raw.functionFile.at(fn), `function ${fnId} filename`),
          lineNumber,
          checkLine(raw.functionStartLine.at(fn), id),
        ),
      );
    }
    start[k + 1] = out.length;
  }
  return { start, frames: out.data };
}

function checkLine(n: number, locationId: number): number {
  if (!(n >= 0 && n <= 0x7fffffff)) throw malformed(`location ${locationId} has line number ${n}, out of range`);
  return n;
}

function resolveSamples(raw: RawProfile, typeCount: number, locations: LocationFrames) {
  const count = raw.sampleCount;
  const valueEnd = raw.valueEnd.data;
  const locationEnd = raw.locationEnd.data;
  const ids = raw.locationIds.data;
  const byId = new IdIndex(raw.locationId);
  const { start: frameStart, frames } = locations;
  // First pass: check, turn location ids into positions in place, and size the stacks.
  let total = 0;
  let big = 0;
  for (let i = 0, v = 0, k = 0; i < count; i++) {
    const values = valueEnd[i]! - v;
    if (values !== typeCount) throw malformed(`sample ${i} has ${values} values but the profile has ${typeCount} sample types`);
    v = valueEnd[i]!;
    for (const end = locationEnd[i]!; k < end; k++) {
      const id = ids[k] === 0xffffffff ? raw.bigLocationIds.at(big++) : ids[k]!;
      const location = byId.get(id);
      if (location < 0) throw malformed(`sample ${i} refers to location ${id}, which does not exist`);
      ids[k] = location;
      total += frameStart[location + 1]! - frameStart[location]!;
    }
  }
  const stackStart = new Uint32Array(count + 1);
  const stackFrames = new Uint32Array(total);
  for (let i = 0, k = 0, at = 0; i < count; i++) {
    for (const end = locationEnd[i]!; k < end; k++) {
      const location = ids[k]!;
      for (let f = frameStart[location]!, stop = frameStart[location + 1]!; f < stop; f++) stackFrames[at++] = frames[f]!;
    }
    stackStart[i + 1] = at;
  }
  return { count, stackStart, stackFrames, values: raw.values.toArray() };
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
