import { Profile as PprofProfile } from 'pprof-format';
import type { Location as PprofLocation, Function as PprofFunction, Mapping as PprofMapping } from 'pprof-format';
import { ProfileError, describeThrown } from '../model/errors.js';
import type { Profile, ValueType } from '../model/profile.js';
import { frameLimit, tooManyFrames } from '../decode/frame-limit.js';
import { int64ToApproxNumber, int64ToNumber, uint64ToNumber } from '../decode/int64.js';
import { Interner } from '../base/interner.js';
import { FrameInterner, baseName, unsymbolizedKey, unsymbolizedName, type MappingInfo } from '../decode/interner.js';

/**
 * Decodes raw (inflated) pprof protobuf bytes with pprof-format and normalises the result into
 * the compact model. This is the reference path: simple and obviously right, checked at every
 * reference.
 */
export function decodeWithPprofFormat(raw: Uint8Array): Profile {
  let decoded: PprofProfile;
  try {
    decoded = PprofProfile.decode(raw);
  } catch (thrown) {
    throw new ProfileError('parsing profile', describeThrown(thrown));
  }
  return normalise(decoded, raw);
}

function malformed(detail: string): ProfileError {
  return new ProfileError('malformed profile', detail);
}

function normalise(p: PprofProfile, raw: Uint8Array): Profile {
  const table = p.stringTable.strings;
  const str = (index: number | bigint, what: string): string => {
    const i = uint64ToNumber(index, what);
    const s = table[i];
    if (s === undefined) throw malformed(`${what} refers to string ${i}, beyond the ${table.length}-entry string table`);
    return s;
  };
  const strings = new Interner(['']);
  const valueType = (vt: { type: number | bigint; unit: number | bigint }, what: string): ValueType => ({
    type: str(vt.type, `${what} type`),
    unit: str(vt.unit, `${what} unit`),
  });

  const sampleTypes = p.sampleType.map((vt, i) => valueType(vt, `sample type ${i}`));
  const mappingFile = new Map<number, string>();
  const mappingById = new Map<number, PprofMapping>();
  for (const m of p.mapping) {
    const id = uint64ToNumber(m.id, 'mapping id');
    mappingFile.set(id, str(m.filename, 'mapping filename'));
    mappingById.set(id, m);
  }
  const unsymbolized = new Map<number, string>();
  // An unsymbolized name's identity across processes (Profile.unsymbolized).
  const anonymousName = (mappingId: number, address: number): number => {
    const name = strings.id(unsymbolizedName(mappingFile.get(mappingId) ?? '', address));
    const m = mappingById.get(mappingId);
    if (m && !unsymbolized.has(name)) {
      const info: MappingInfo = {
        file: mappingFile.get(mappingId)!,
        buildId: str(m.buildId, 'mapping build id'),
        start: uint64ToNumber(m.memoryStart, 'mapping start'),
        limit: uint64ToNumber(m.memoryLimit, 'mapping limit'),
        offset: uint64ToNumber(m.fileOffset, 'mapping offset'),
      };
      unsymbolized.set(name, unsymbolizedKey(info, address));
    }
    return name;
  };
  const functions = new Map<number, PprofFunction>();
  for (const f of p.function) functions.set(uint64ToNumber(f.id, 'function id'), f);

  const frames = new FrameInterner();
  const locationFrames = new Map<number, number[]>();
  for (const loc of p.location) {
    const id = uint64ToNumber(loc.id, 'location id');
    locationFrames.set(id, expandLocation(loc, id, functions, mappingFile, frames, strings, str, anonymousName));
  }

  const typeCount = sampleTypes.length;
  const sampleCount = p.sample.length;
  const stackStart = new Uint32Array(sampleCount + 1);
  const stackFrames: number[] = [];
  const values = new Float64Array(sampleCount * typeCount);
  const limit = frameLimit(raw.length);
  const baseKey = table.indexOf('pprof::base');
  const baseTrue = table.indexOf('true');
  let fromBase: Uint8Array | null = null;

  p.sample.forEach((s, i) => {
    if (s.value.length !== typeCount) {
      throw malformed(`sample ${i} has ${s.value.length} values but the profile has ${typeCount} sample types`);
    }
    s.value.forEach((v, t) => (values[i * typeCount + t] = int64ToNumber(v, `sample ${i} value`)));
    for (const locId of s.locationId) {
      const id = uint64ToNumber(locId, 'location id');
      const expanded = locationFrames.get(id);
      if (expanded === undefined) throw malformed(`sample ${i} refers to location ${id}, which does not exist`);
      if (stackFrames.length + expanded.length > limit) throw tooManyFrames(limit);
      for (const f of expanded) stackFrames.push(f);
    }
    stackStart[i + 1] = stackFrames.length;
    if (baseKey > 0 && s.label.some((l) => Number(l.key) === baseKey && Number(l.str) === baseTrue)) {
      fromBase ??= new Uint8Array(sampleCount);
      fromBase[i] = 1;
    }
  });

  return {
    strings: strings.values,
    sampleTypes,
    defaultSampleType: defaultSampleTypeId(p, str, strings),
    periodType: p.periodType ? valueType(p.periodType, 'period type') : undefined,
    period: int64ToNumber(p.period, 'period'),
    timeNanos: int64ToApproxNumber(p.timeNanos),
    durationNanos: int64ToApproxNumber(p.durationNanos),
    comments: p.comment.map((c, i) => str(c, `comment ${i}`)),
    mainBinary: baseName(p.mapping[0] ? str(p.mapping[0].filename, 'mapping filename') : ''),
    frames: frames.finish(),
    ...(unsymbolized.size > 0 ? { unsymbolized } : {}),
    samples: { count: sampleCount, stackStart, stackFrames: Uint32Array.from(stackFrames), values, fromBase },
  };
}

function defaultSampleTypeId(
  p: PprofProfile,
  str: (i: number | bigint, what: string) => string,
  strings: Interner,
): number {
  const name = str(p.defaultSampleType, 'default sample type');
  return name === '' ? 0 : strings.id(name);
}

/** One frame per Line, callee (inlined) first as profile.proto orders them. */
function expandLocation(
  loc: PprofLocation,
  id: number,
  functions: Map<number, PprofFunction>,
  mappingFile: Map<number, string>,
  frames: FrameInterner,
  strings: Interner,
  str: (i: number | bigint, what: string) => string,
  anonymousName: (mappingId: number, address: number) => number,
): number[] {
  const mappingId = uint64ToNumber(loc.mappingId, 'mapping id');
  if (mappingId !== 0 && !mappingFile.has(mappingId)) {
    throw malformed(`location ${id} refers to mapping ${mappingId}, which does not exist`);
  }
  // A line without a named function is as anonymous as a location without lines.
  const anonymous = (): number => anonymousName(mappingId, uint64ToNumber(loc.address, 'address'));
  if (loc.line.length === 0) return [frames.intern(anonymous(), 0, 0, 0)];
  return loc.line.map((ln, i) => {
    const fnId = uint64ToNumber(ln.functionId, 'function id');
    // Every Line but the last is a call inlined into the next one.
    const inlined = i < loc.line.length - 1 ? 1 : 0;
    if (fnId === 0) return frames.intern(anonymous(), 0, lineNumber(ln.line, id), 0, inlined);
    const fn = functions.get(fnId);
    if (fn === undefined) throw malformed(`location ${id} refers to function ${fnId}, which does not exist`);
    const name = str(fn.name, `function ${fnId} name`);
    return frames.intern(
      name === '' ? anonymous() : strings.id(name),
      strings.id(str(fn.filename, `function ${fnId} filename`)),
      lineNumber(ln.line, id),
      lineNumber(fn.startLine, id),
      inlined,
    );
  });
}

function lineNumber(value: number | bigint, locationId: number): number {
  const n = int64ToNumber(value, 'line number');
  if (n < 0 || n > 0x7fffffff) throw malformed(`location ${locationId} has line number ${n}, out of range`);
  return n;
}
