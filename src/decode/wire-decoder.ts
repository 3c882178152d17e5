import { ProfileError } from '../model/errors.js';
import type { FrameTable, Profile, SampleTable, ValueType } from '../model/profile.js';
import { overBudget } from './budget.js';
import { F64List } from '../base/growable.js';
import { DEFAULT_MAX_PROFILE_BYTES } from './inflate.js';
import { IdIndex } from './id-index.js';
import { FrameHash } from './frame-hash.js';
import { stackFrameLimit, tooManyFrames } from './frame-limit.js';
import { baseName, unsymbolizedKey, unsymbolizedName, type MappingInfo } from './interner.js';
import { RawStrings } from './raw-strings.js';
import { kernelResolve, kernelWalk } from './wasm-walk.js';
import { labelMarks, walkProfile, type RawProfile, type WalkProgress } from './wire-walk.js';

/**
 * Decodes raw (inflated) pprof protobuf bytes straight into the compact model: one pass over the
 * wire bytes into typed arrays, then ids and strings are resolved. Validates exactly what the
 * reference decoder (pprof-format + normalise) validates; the differential test holds them equal.
 * `owned`: the bytes are the decoder's (it inflated them), and may be written over once decoded.
 */
export function decodeWire(bytes: Uint8Array, onProgress?: WalkProgress, maxBytes = DEFAULT_MAX_PROFILE_BYTES, owned = false): Profile {
  // A plain view: node:zlib hands out Buffers, whose subarray is slower.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  // The kernel walks what it fully understands; the JavaScript walk everything else (and says what is wrong).
  const walked = kernelWalk(view, maxBytes, true);
  // The walk reports progress about every 4 MB; the kernel's, done in one go, once at its end.
  if (walked !== null && view.length >= 4 << 20) onProgress?.(view.length, view.length);
  return resolveRaw(walked ?? walkProfile(view, maxBytes, onProgress), owned);
}

/**
 * As WALK_SHAPES (wire-walk.ts): one small instance of each class resolving uses, kept alive so
 * that V8 keeps their shapes, and the optimised code that checks them, from one profile to the next.
 */
export const RESOLVE_SHAPES: readonly object[] = [new RawStrings(new Uint8Array(0), new F64List(), new Float64Array(4)), new FrameHash(0), new IdIndex(new F64List())];

function malformed(detail: string): ProfileError {
  return new ProfileError('malformed profile', detail);
}

/** Refuses a number the walk read as NaN: beyond ±2^53. */
function exact(value: number, what: string): number {
  if (Number.isNaN(value)) throw beyondExact(what);
  return value;
}

function beyondExact(what: string): ProfileError {
  return malformed(`${what} is beyond ±2^53 and cannot be represented exactly`);
}

/**
 * The model from a walk's RawProfile (exported for the test holding the kernel walk to the
 * JavaScript one). `owned`: raw.buf may be written over once read (the kernel's results settle there).
 */
export function resolveRaw(raw: RawProfile, owned = false): Profile {
  const header = raw.header!;
  const strings = new RawStrings(raw.buf, raw.strings, raw.stringSpan);
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
  // The kernel resolves what it walked, where it can; else (or to say what is wrong) JavaScript.
  const fast = kernelResolve(raw, strings, sampleTypes.length);
  // The kernel's arrays are settled last of all, as they may take the input's place (see below).
  let resolved: { frames: FrameTable; samples: Omit<SampleTable, 'fromBase'> } | null = null;
  const unsymbolized = new Map<number, string>();
  if (fast === null) {
    const frames = new FrameHash(raw.lineFunction.length + raw.locationId.length);
    // A location without lines still takes one frame.
    const locationFrames = { start: new Uint32Array(raw.locationId.length + 1), frames: new Uint32Array(raw.lineFunction.length + raw.locationId.length) };
    expandLocations(raw, strings, { file: mappingFile, index: mappingIndex, unsymbolized }, frames, locationFrames);
    const samples = resolveSamples(raw, sampleTypes.length, locationFrames);
    resolved = { frames: frames.finish(), samples };
  }
  const defaultSampleType = strings.id(header.defaultSampleType, 'default sample type');
  const periodType = header.periodType ? valueType(header.periodType.type, header.periodType.unit, 'period type') : undefined;
  const period = exact(header.period, 'period');
  const comments = Array.from(raw.comments.toArray(), (c, i) => strings.text(c, `comment ${i}`));
  const mainBinary = baseName(raw.mappingId.length > 0 ? strings.text(raw.mappingFile.at(0), 'mapping filename') : '');
  const marks = fromBase(raw, strings);
  if (fast !== null) {
    // Nothing reads the input past here: the kernel's results may take its place. Not for a
    // profile without sample types, which the caller then looks at again (sniffNotProfile).
    const { frames, stackStart, stackFrames, values } = fast.settle(owned && sampleTypes.length > 0 ? raw.buf : null);
    resolved = { frames, samples: { count: raw.sampleCount, stackStart, stackFrames, values } };
  }
  const { frames, samples } = resolved!;
  return {
    strings: strings.values,
    sampleTypes,
    defaultSampleType,
    periodType,
    period,
    timeNanos: header.timeNanos,
    durationNanos: header.durationNanos,
    comments,
    mainBinary,
    frames,
    ...(unsymbolized.size > 0 ? { unsymbolized } : {}),
    samples: { ...samples, fromBase: marks },
  };
}

/** Frames of location k are frames[start[k] .. start[k + 1]), one per Line, callee first. */
interface LocationFrames {
  readonly start: Uint32Array;
  readonly frames: Uint32Array;
}

/** What naming an anonymous location needs. */
interface Expansion {
  readonly raw: RawProfile;
  readonly strings: RawStrings;
  readonly mappings: Mappings;
}

/** Mappings by id: their file, their index in the raw lists, and the unsymbolized keys found. */
interface Mappings {
  readonly file: Map<number, string>;
  readonly index: Map<number, number>;
  readonly unsymbolized: Map<number, string>;
}

/**
 * One frame per Line of each location, callee first, into `into`. The kernel's resolve
 * (src/wasm/wire-walk.as.ts) does the same for the usual profile: change both. One loop over plain typed
 * arrays: in a process that decodes one profile this runs once, and compiling it costs as much as
 * running it, so the less code the JIT has to compile (no helpers, lists or closures per line)
 * the better; nothing follows the loop (see locateStacks).
 */
function expandLocations(raw: RawProfile, strings: RawStrings, mappings: Mappings, frames: FrameHash, into: LocationFrames): void {
  const fnCount = raw.functionId.length;
  checkExact(raw.functionId, 'function id');
  const functions = new IdIndex(raw.functionId);
  const ordered = functions.ordered;
  const fnName = raw.functionName.data;
  const fnFile = raw.functionFile.data;
  const fnStartLine = raw.functionStartLine.data;
  const count = raw.locationId.length;
  const locationIds = raw.locationId.data;
  const locationMapping = raw.locationMapping.data;
  const lineEnd = raw.lineEnd.data;
  const lineFunction = raw.lineFunction.data;
  const lineNumber = raw.lineNumber.data;
  const x: Expansion = { raw, strings, mappings };
  const { start, frames: out } = into;
  let n = 0;
  let knownMapping = 0;
  for (let k = 0, line = 0; k < count; k++) {
    const id = locationIds[k]!;
    if (Number.isNaN(id)) throw beyondExact('location id');
    const mappingId = locationMapping[k]!;
    if (Number.isNaN(mappingId)) throw beyondExact('mapping id');
    // Locations of one mapping come together: its check is not repeated for each.
    if (mappingId !== 0 && mappingId !== knownMapping) {
      if (!mappings.file.has(mappingId)) throw malformed(`location ${id} refers to mapping ${mappingId}, which does not exist`);
      knownMapping = mappingId;
    }
    const end = lineEnd[k]!;
    if (line === end) out[n++] = frames.intern(anonymous(x, k), 0, 0, 0);
    for (; line < end; line++) {
      const fnId = lineFunction[line]!;
      if (Number.isNaN(fnId)) throw beyondExact('function id');
      const number = checkLine(lineNumber[line]!, id);
      // Every Line but the location's last is a call inlined into the next one.
      const inlined = line < end - 1 ? 1 : 0;
      if (fnId === 0) {
        out[n++] = frames.intern(anonymous(x, k), 0, number, 0, inlined);
        continue;
      }
      // Ids 1..n in order (as Go writes them) need no lookup.
      const fn = ordered ? (fnId <= fnCount ? fnId - 1 : -1) : functions.get(fnId);
      if (fn < 0) throw malformed(`location ${id} refers to function ${fnId}, which does not exist`);
      const name = strings.idOrMissing(fnName[fn]!);
      if (name < 0) throw strings.beyond(fnName[fn]!, `function ${fnId} name`);
      const file = strings.idOrMissing(fnFile[fn]!);
      if (file < 0) throw strings.beyond(fnFile[fn]!, `function ${fnId} filename`);
      out[n++] = frames.intern(name === 0 ? anonymous(x, k) : name, file, number, checkLine(fnStartLine[fn]!, id), inlined);
    }
    start[k + 1] = n;
  }
}

/** Refuses any number of the list the walk read as NaN. A loop of its own: see expandLocations. */
function checkExact(list: F64List, what: string): void {
  const data = list.data;
  for (let k = 0; k < list.length; k++) if (Number.isNaN(data[k])) throw beyondExact(what);
}

/** A line without a named function is as anonymous as a location without lines: named by address. */
function anonymous(x: Expansion, k: number): number {
  const id = x.raw.locationId.at(k);
  const address = exact(x.raw.locationAddress.at(k), `location ${id} address`);
  const mappingId = x.raw.locationMapping.at(k);
  const name = x.strings.textId(unsymbolizedName(x.mappings.file.get(mappingId) ?? '', address));
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
  return { count, stackStart, stackFrames, values: exactSize(raw.values) };
}

/** The filled part of a list: a view when little is spare (no copy of millions of values), else a copy. */
function exactSize(list: F64List): Float64Array {
  return list.length >= list.data.length - (list.data.length >>> 3) ? list.data.subarray(0, list.length) : list.toArray();
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
  const { limit, budget } = stackFrameLimit(raw.maxBytes, raw.locationIds.length + raw.values.length, raw.buf.length);
  const total = locateStacks(raw, byId, frameStart, stackStart, limit);
  if (total > limit) throw limit === budget ? overBudget(raw.maxBytes) : tooManyFrames(limit);
  const out = ids instanceof Uint32Array && ids.length >= total ? ids : new Uint32Array(total);
  writeFrames(ids, raw.locationIds.length, frameStart, frames, out, total);
  return out.subarray(0, total);
}

/**
 * The first pass of fillStacks: location ids become indices, stackStart is filled, and the total
 * frame count returned (one past `limit` when that is passed). Each loop is a function of its
 * own that ends with it: code after a loop the JIT compiled mid-way has never run, and would
 * throw the compiled code away when it first does.
 */
function locateStacks(raw: RawProfile, byId: IdIndex, frameStart: Uint32Array, stackStart: Uint32Array, limit: number): number {
  const ids = raw.locationIds.data;
  const locationEnd = raw.locationEnd.data;
  const locations = frameStart.length - 1;
  const ordered = byId.ordered;
  let total = 0;
  for (let i = 0, k = 0; i < raw.sampleCount; i++) {
    for (const end = locationEnd[i]!; k < end; k++) {
      const id = ids[k]!;
      // Ids 1..n in order (as Go writes them) need no lookup.
      const location = ordered ? (id >= 1 && id <= locations ? id - 1 : -1) : byId.get(id);
      if (location < 0) throw malformed(`sample ${i} refers to location ${id}, which does not exist`);
      ids[k] = location;
      total += frameStart[location + 1]! - frameStart[location]!;
      if (total > limit) return total;
    }
    stackStart[i + 1] = total;
  }
  return total;
}

/** The second pass: each location's frames, from the last id back (see fillStacks). */
function writeFrames(ids: Uint32Array | Float64Array, count: number, frameStart: Uint32Array, frames: Uint32Array, out: Uint32Array, total: number): void {
  for (let k = count - 1, at = total; k >= 0; k--) {
    const location = ids[k]!;
    const first = frameStart[location]!;
    let f = frameStart[location + 1]! - 1;
    // Most locations have one frame: no inner loop to enter and leave (a mispredicted branch each).
    out[--at] = frames[f]!;
    while (f > first) out[--at] = frames[--f]!;
  }
}

/** Samples labelled pprof::base=true, matched by the first table entries equal to those strings. */
function fromBase(raw: RawProfile, strings: RawStrings): Uint8Array | null {
  if (raw.labelCount === 0) return null;
  const baseKey = strings.indexOf('pprof::base');
  if (baseKey <= 0) return null;
  return labelMarks(raw, baseKey, strings.indexOf('true'));
}
