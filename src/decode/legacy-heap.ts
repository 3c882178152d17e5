import { ProfileError } from '../model/errors.js';
import { sampleTableOf, type Profile, type ValueType } from '../model/profile.js';
import { Interner } from '../base/interner.js';
import { FrameHash } from './frame-hash.js';
import { unsymbolizedName } from './interner.js';

/**
 * Go's legacy text heap profile (`/debug/pprof/heap?debug=1`, and what Go before 1.8 wrote):
 *
 *     heap profile: 28365: 72210368 [77035: 200093272] @ heap/1024
 *     15934: 65265664 [15934: 65265664] @ 0x4be21f 0x4be9e5 0x437bd2
 *     #	0x4be21e	main.(*dedupeCache).remember+0x5e	example.com/leakysvc/cache.go:27
 *     …
 *     # runtime.MemStats
 *     # HeapInuse = 80740352
 *
 * Values are read and rescaled as pprof's legacy parser does (profile/legacy_profile.go), so the
 * numbers equal `go tool pprof`'s. Frames come from the `#` lines the runtime writes under each
 * record, so no binary is needed; like the protobuf writer, the runtime leaves out the runtime
 * frames at the leaf (mallocgc and the like) and runtime.goexit.
 */

const HEADER = /^heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
const RECORD = /^(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *\] *@([ x0-9a-f]*)$/;
const ADDRESS = /^0x[0-9a-f]{1,16}$/;
const MEMSTAT = /^# (\w+) = (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/;

export function isLegacyHeap(bytes: Uint8Array): boolean {
  const prefix = 'heap profile:';
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function malformed(line: number, detail: string): ProfileError {
  return new ProfileError('malformed profile', `legacy heap profile line ${line}: ${detail}`);
}

/** A decimal from the text, refused beyond ±2^53 rather than rounded. */
function whole(text: string, line: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw malformed(line, `${text} is beyond ±2^53 and cannot be represented exactly`);
  return n;
}

/**
 * pprof's scaleHeapSample: a record of `count` samples holding `size` bytes is divided by the
 * probability that an allocation of its average size is sampled at `rate` (Poisson sampling),
 * each product truncated toward zero as Go's int64() does.
 */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const scale = 1 / (1 - Math.exp(-(size / count) / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

interface Header {
  /** Bytes per sample: heap/N means N/2 (the runtime writes twice MemProfileRate). */
  readonly period: number;
  /** Whether records are rescaled (heap and heap_v2, not tcmalloc's heapprofile). */
  readonly scaled: boolean;
  /** Four columns (alloc and inuse), or pprof's two when the header's alloc equals its inuse. */
  readonly hasAlloc: boolean;
}

function readHeader(first: string): Header {
  const m = HEADER.exec(first);
  if (!m) throw malformed(1, 'expected "heap profile: N: N [N: N] @ heap/N"');
  const rate = m[6] ? whole(m[6], 1) : 0;
  // pprof's test, on the header's text: a column pair that differs (and is not 0) means four columns.
  const hasAlloc = (m[3] !== m[1] && m[3] !== '0') || (m[4] !== m[2] && m[4] !== '0');
  switch (m[5]) {
    case 'heap':
      return { period: Math.trunc(rate / 2), scaled: true, hasAlloc };
    case 'heap_v2':
    case 'heapz_v2':
      return { period: rate, scaled: true, hasAlloc };
    case 'heapprofile':
      return { period: 1, scaled: false, hasAlloc };
    default:
      throw malformed(1, `"${m[5]}" profiles are not Go heap profiles`);
  }
}

const FOUR: ValueType[] = [
  { type: 'alloc_objects', unit: 'count' },
  { type: 'alloc_space', unit: 'bytes' },
  { type: 'inuse_objects', unit: 'count' },
  { type: 'inuse_space', unit: 'bytes' },
];
const TWO: ValueType[] = [
  { type: 'objects', unit: 'count' },
  { type: 'space', unit: 'bytes' },
];

/** No line of a real profile comes near this; one that does is not decoded into a string. */
const MAX_LINE = 1 << 20;

/** The text's lines, trimmed, decoded one at a time: a big file never becomes one huge string. */
function* linesOf(bytes: Uint8Array): Generator<string> {
  const utf8 = new TextDecoder();
  for (let start = 0, n = 1; start < bytes.length; n++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end - start > MAX_LINE) throw malformed(n, `the line is longer than ${MAX_LINE} bytes`);
    yield utf8.decode(bytes.subarray(start, end)).trim();
    start = end + 1;
  }
}

export function parseLegacyHeap(bytes: Uint8Array): Profile {
  const lines = linesOf(bytes);
  const header = readHeader(lines.next().value ?? '');
  const strings = new Interner(['']);
  const frames = new FrameHash(64);
  const stackStart: number[] = [0];
  const stackFrames: number[] = [];
  const values: number[] = [];
  const memStats: Record<string, number> = {};
  let addresses: string[] | null = null;
  let inMemStats = false;

  // A record's frames are its `#` lines; one without any (hand-edited) is named by its addresses.
  const endRecord = () => {
    if (addresses !== null && stackFrames.length === stackStart.at(-1)) {
      for (const hex of addresses) stackFrames.push(unsymbolized(BigInt(hex) - 1n, strings, frames));
    }
    if (addresses !== null) stackStart.push(stackFrames.length);
    addresses = null;
  };

  let n = 1;
  for (const line of lines) {
    n++;
    if (line === '# runtime.MemStats') {
      endRecord();
      inMemStats = true;
    } else if (inMemStats) {
      const m = MEMSTAT.exec(line);
      const value = m ? Number(m[2]) : NaN;
      // Only exact numbers: LastGC (ns since 1970) is beyond 2^53, PauseNs a list, DebugGC a boolean.
      if (m && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) memStats[m[1]!] = value;
    } else if (line.startsWith('#')) {
      // Frame lines start with an address; other comments (a tool's own notes) are skipped, as pprof does.
      if (addresses !== null && /^#\s+0x/.test(line)) stackFrames.push(frameOf(line, n, strings, frames));
    } else if (line !== '') {
      endRecord();
      const m = RECORD.exec(line);
      if (!m) throw malformed(n, 'expected "N: N [N: N] @ 0x… 0x…"');
      if (header.hasAlloc) values.push(...columns(m[3]!, m[4]!, 'alloc', header, n));
      values.push(...columns(m[1]!, m[2]!, 'inuse', header, n));
      addresses = m[5]!.split(' ').filter((a) => a !== '');
      if (!addresses.every((a) => ADDRESS.test(a))) throw malformed(n, 'expected addresses as 0x…');
    }
  }
  endRecord();

  const sampleTypes = header.hasAlloc ? FOUR : TWO;
  return {
    strings: strings.values,
    sampleTypes,
    defaultSampleType: 0,
    periodType: { type: 'space', unit: 'bytes' },
    period: header.period,
    timeNanos: 0,
    durationNanos: 0,
    comments: [],
    mainBinary: '',
    frames: frames.finish(),
    samples: sampleTableOf(stackStart, stackFrames, values),
    format: 'legacy-text',
    // No trailer (or nothing exact in it): no MemStats, rather than an empty set of them.
    ...(Object.keys(memStats).length > 0 ? { memStats } : {}),
  };
}

/** One column pair (objects, bytes) of a record, rescaled as pprof does. */
function columns(countText: string, sizeText: string, what: string, header: Header, line: number): [number, number] {
  const count = whole(countText, line);
  const size = whole(sizeText, line);
  if (count === 0 && size !== 0) throw malformed(line, `${what} count is 0 but ${what} bytes is ${size}`);
  return header.scaled ? scaleHeapSample(count, size, header.period) : [count, size];
}

/** `#\t0x4be21e\tmain.f+0x5e\tpkg/file.go:27`, or `#\t0x4be21e` when the runtime had no name. */
function frameOf(line: string, n: number, strings: Interner, frames: FrameHash): number {
  const [address = '', fn, place = ''] = line.slice(1).trim().split(/\t+/);
  if (!ADDRESS.test(address)) throw malformed(n, 'expected "#\t0x…\tfunction+0x…\tfile:line"');
  if (fn === undefined) return unsymbolized(BigInt(address), strings, frames);
  const colon = place.lastIndexOf(':');
  const lineNumber = colon < 0 ? 0 : Number(place.slice(colon + 1));
  if (!(Number.isInteger(lineNumber) && lineNumber >= 0 && lineNumber <= 0x7fffffff)) throw malformed(n, `line number ${place.slice(colon + 1)} is out of range`);
  const file = colon < 0 ? place : place.slice(0, colon);
  return frames.intern(strings.id(fn.replace(/\+0x[0-9a-f]+$/, '')), strings.id(file), lineNumber, 0);
}

/** A frame the runtime could not name; without mappings the binary is unknown. */
function unsymbolized(address: bigint, strings: Interner, frames: FrameHash): number {
  return frames.intern(strings.id(unsymbolizedName('', address < 0n ? 0n : address)), 0, 0, 0);
}
