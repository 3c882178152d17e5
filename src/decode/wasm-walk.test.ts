import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshots, TEN_K } from '../bench/generate.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { committedProfiles } from '../test-support/committed-profiles.js';
import { wireProfile } from '../test-support/arbitrary-wire.js';
import { buildProfile, GO_HEAP_TYPES } from '../test-support/build-profile.js';
import { gzipSync } from 'node:zlib';
import { parseProfile } from './parse.js';
import { RawStrings } from './raw-strings.js';
import { isKernelMemory, kernelColumn, kernelCounts, kernelResolve, kernelWalk } from './wasm-walk.js';
import { decodeWire, resolveRaw } from './wire-decoder.js';
import { walkProfile, type RawProfile } from './wire-walk.js';

/**
 * The WebAssembly walk against the JavaScript one, its oracle: wherever the kernel takes a
 * profile, both walks resolve to the same Profile; wherever the JavaScript walk refuses one, the
 * kernel must have refused it too (returned null), so that the error is the JavaScript one.
 */

const MAX = 1 << 30;

const committed = committedProfiles();

type Outcome = { profile: Profile } | { error: string };

function outcome(decode: () => Profile): Outcome {
  try {
    return { profile: decode() };
  } catch (thrown) {
    if (!(thrown instanceof ProfileError)) throw thrown;
    return { error: thrown.message };
  }
}

/** What ran: the kernel throughout, its walk and the JavaScript resolving, or JavaScript throughout. */
type Path = 'kernel' | 'kernel walk' | 'javascript';

/**
 * Where the JavaScript walk refuses the input, the kernel must have refused it too; where it
 * walks it, the kernel may refuse it, or else resolve to the same Profile (or the same error).
 */
function expectSameWalk(raw: Uint8Array, maxBytes = MAX, window?: number): Path {
  // Lazy, as decodeWire walks: a refused resolve copies the rest of the columns out then.
  const walked = kernelWalk(raw, maxBytes, true, window);
  let js: RawProfile;
  try {
    js = walkProfile(raw, maxBytes);
  } catch (thrown) {
    if (!(thrown instanceof ProfileError)) throw thrown;
    expect(walked, `the kernel took an input the JavaScript walk refuses (${thrown.message})`).toBeNull();
    return 'javascript';
  }
  if (walked === null) return 'javascript';
  const resolved = kernelCounts.resolved;
  expect(outcome(() => resolveRaw(walked))).toEqual(outcome(() => resolveRaw(js)));
  return kernelCounts.resolved > resolved ? 'kernel' : 'kernel walk';
}

/** Every filled column of a RawProfile, for comparing two walks before resolving. */
function columns(raw: RawProfile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'buf') continue;
    // Its last number says whether the kernel checked the span is ASCII; the JS walk leaves that to RawStrings.
    if (key === 'stringSpan') {
      out[key] = Array.from((value as Float64Array).subarray(0, 3));
      continue;
    }
    out[key] = value !== null && typeof value === 'object' && 'data' in value ? Array.from(value.data.subarray(0, value.length) as ArrayLike<number>) : value;
  }
  return out;
}

type Mutation = readonly [number, number, number];
const mutation: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(3), fc.nat(), fc.nat(255));

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const [kind, where, byte] of mutations) {
    const at = out.length === 0 ? 0 : where % out.length;
    if (kind === 0) out[at] = (out[at]! & 0x80) | (byte & 0x7f);
    else if (kind === 1) out[at] = byte;
    else if (kind === 2) out.splice(at, 0, byte, (byte * 7) & 0xff);
    else out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}

describe('the WebAssembly wire walk', () => {
  it.each(committed.map((c) => [c.path, c.raw] as const))('walks %s as the JavaScript walk does', (_, raw) => {
    expect(columns(kernelWalk(raw, MAX)!)).toEqual(columns(walkProfile(raw, MAX)));
    expect(expectSameWalk(raw)).toBe('kernel');
  });

  it('leaves resolving to JavaScript where a frame is unnamed, or a string not ASCII or holding a NUL', () => {
    const unnamed = buildProfile({ sampleTypes: GO_HEAP_TYPES, samples: [{ stack: ['main.a@/a.go:3', '?1'], values: [1, 2, 3, 4] }], addresses: { '?1': 0x4a10f0 } });
    expect(expectSameWalk(unnamed.encode())).toBe('kernel walk');
    const utf8 = buildProfile({ sampleTypes: GO_HEAP_TYPES, samples: [{ stack: ['pkg/ü.f@/a.go:3'], values: [1, 2, 3, 4] }] });
    expect(expectSameWalk(utf8.encode())).toBe('kernel walk');
    // The kernel hands its new strings over NUL-separated: one holding a NUL is left to JavaScript.
    const nul = buildProfile({ sampleTypes: GO_HEAP_TYPES, samples: [{ stack: ['main.a\0b@/a.go:3', 'main.c@/a.go:4'], values: [1, 2, 3, 4] }] });
    expect(expectSameWalk(nul.encode())).toBe('kernel walk');
  });

  it('finds the pprof::base labels of a diff as the JavaScript does (the kernel finds their strings)', () => {
    const diff = committed.find((c) => c.path.endsWith('diff01-08.pb.gz'))!.raw;
    const kernel = resolveRaw(kernelWalk(diff, MAX, true)!);
    expect(kernel.samples.fromBase).not.toBeNull();
    expect(kernel.samples.fromBase).toEqual(resolveRaw(walkProfile(diff, MAX)).samples.fromBase);
  });

  it('walks bench-shaped profiles as the JavaScript walk does', () => {
    const shapes = [TEN_K, { samples: 3000, functions: 1500, locations: 5000, seed: 9 }];
    for (const raw of shapes.flatMap((shape) => snapshots(shape, shape === TEN_K ? 1 : 2))) {
      expect(columns(kernelWalk(raw, MAX)!)).toEqual(columns(walkProfile(raw, MAX)));
      expect(expectSameWalk(raw)).toBe('kernel');
    }
  }, 30_000);

  it('walks a profile in windows as in one, whatever their size (fields cut at the end of one, fields longer than one)', () => {
    const profiles = [...committed.map((c) => c.raw).filter((raw) => raw.length > 2000), ...snapshots({ samples: 3000, functions: 1500, locations: 5000, seed: 9 }, 1)];
    expect(profiles.length).toBeGreaterThan(3);
    for (const raw of profiles) {
      const whole = columns(walkProfile(raw, MAX));
      // The string table is copied in again after the last window: over it when it fits (span), else past it (span - 1).
      const span = walkProfile(raw, MAX).stringSpan;
      const size = span[1]! - span[0]!;
      for (const window of [1, 16, 17, 100, 4096, size, size - 1]) {
        expect(columns(kernelWalk(raw, MAX, false, window)!), `window ${window}`).toEqual(whole);
        expect(expectSameWalk(raw, MAX, window), `window ${window}`).toBe('kernel');
      }
    }
  }, 30_000);

  it('leaves a big profile its stack frames in the memory of the kernel, which walks no other profile', () => {
    const [big] = snapshots({ samples: 60_000, functions: 20_000, locations: 40_000, seed: 3 }, 1);
    expect(big!.length).toBeGreaterThan(8 << 20);
    const profile = decodeWire(big!);
    expect(isKernelMemory(profile.samples.stackFrames.buffer)).toBe(true);
    const expected = resolveRaw(walkProfile(big!, MAX));
    const bytes = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(profile.samples.stackFrames).equals(bytes(expected.samples.stackFrames))).toBe(true);
    // Another profile (whose columns would lie where those frames are), walked and resolved by a
    // kernel: not this one.
    const resolved = kernelCounts.resolved;
    const small = decodeWire(snapshots(TEN_K, 1)[0]!);
    expect(kernelCounts.resolved).toBe(resolved + 1);
    expect(isKernelMemory(small.samples.stackFrames.buffer)).toBe(false);
    expect(bytes(profile.samples.stackFrames).equals(bytes(expected.samples.stackFrames))).toBe(true);
  }, 30_000);

  it('settles its results in the bytes of a profile the decode owns (inflated), and leaves bytes it was given as they were', () => {
    const raw = snapshots(TEN_K, 1)[0]!;
    const given = raw.slice();
    const expected = decodeWire(given);
    expect(Buffer.from(given).equals(Buffer.from(raw))).toBe(true);
    const owned = raw.slice();
    const profile = decodeWire(owned, undefined, MAX, true);
    expect(profile).toEqual(expected);
    const { frames, samples } = profile;
    const arrays = [frames.name, frames.file, frames.line, frames.startLine, frames.inlined, samples.stackStart, samples.stackFrames, samples.values];
    for (const array of arrays) expect(array.buffer).toBe(owned.buffer);
    expect(Buffer.from(owned).equals(Buffer.from(raw))).toBe(false);
    // Through parseProfile: inflated bytes are the decoder's, raw protobuf bytes the caller's.
    const inflated = parseProfile(gzipSync(raw));
    expect(inflated).toEqual(expected);
    expect(new Set(arrays.map((_, i) => [inflated.frames.name, inflated.frames.file, inflated.frames.line, inflated.frames.startLine, inflated.frames.inlined, inflated.samples.stackStart, inflated.samples.stackFrames, inflated.samples.values][i]!.buffer)).size).toBe(1);
    const plain = raw.slice();
    expect(parseProfile(plain)).toEqual(expected);
    expect(Buffer.from(plain).equals(Buffer.from(raw))).toBe(true);
  }, 30_000);

  it("never writes over what a caller's own gunzip returned: it may keep those bytes (a cache, its own buffer)", () => {
    const raw = snapshots(TEN_K, 1)[0]!;
    const expected = decodeWire(raw.slice());
    const gz = gzipSync(raw);
    // A caller's inflater that remembers what it inflated, as a cache would.
    const cache = new Map<Uint8Array, Uint8Array>();
    const gunzip = (bytes: Uint8Array) => cache.get(bytes) ?? (cache.set(bytes, raw.slice()), cache.get(bytes)!);
    expect(parseProfile(gz, { gunzip })).toEqual(expected);
    expect(Buffer.from(cache.get(gz)!).equals(Buffer.from(raw))).toBe(true);
    expect(parseProfile(gz, { gunzip })).toEqual(expected);
  }, 30_000);

  it('settles into what room the spare bytes have, the rest into arrays of their own; and only before its next profile', () => {
    const raw = committed.find((c) => c.path.endsWith('heap-07.pb.gz'))!.raw;
    const resolve = () => {
      const walked = kernelWalk(raw, MAX, true)!;
      const strings = new RawStrings(walked.buf, walked.strings, walked.stringSpan);
      for (let i = 0; 2 * i < walked.sampleTypes.length; i++) strings.id(walked.sampleTypes.at(2 * i), 'type');
      return kernelResolve(walked, strings, walked.sampleTypes.length / 2)!;
    };
    // Each in an array of its own (the strings are interned in another order than resolveRaw's: compared with these).
    const expected = resolve().settle(null);
    expect(expected.stackFrames.length).toBeGreaterThan(expected.frames.count);
    // Room for the values and one column of frames; not for the next.
    const values = expected.values.byteLength;
    const spare = new Uint8Array(8 + values + 4 * expected.frames.count + 2);
    const settled = resolve().settle(spare.subarray(1));
    expect(settled.values.buffer).toBe(spare.buffer);
    expect(settled.values.byteOffset).toBe(8);
    expect(settled.frames.name.buffer).toBe(spare.buffer);
    expect(settled.frames.file.buffer).not.toBe(spare.buffer);
    expect(settled).toEqual(expected);
    expect(settled.stackFrames).toEqual(resolveRaw(walkProfile(raw, MAX)).samples.stackFrames);
    // Not into bytes more than twice their size: those would all be kept alive for them.
    expect(resolve().settle(new Uint8Array(2 * (values + 17 * expected.frames.count + expected.stackStart.byteLength + expected.stackFrames.byteLength) + 8)).values.buffer.byteLength).toBe(values);
    // Its views are good until the kernel takes another profile.
    const late = resolve();
    kernelWalk(raw, MAX);
    expect(() => late.settle(null)).toThrow(/settled after the kernel took another profile/);
  });

  it('takes no input the JavaScript walk refuses, and agrees on the rest (mutated profiles)', () => {
    const walks = { kernel: 0, 'kernel walk': 0, javascript: 0 };
    fc.assert(
      // In windows too: at a window's end the kernel must refuse what it would refuse in one.
      fc.property(fc.oneof(wireProfile, fc.constantFrom(...committed.map((c) => c.raw))), fc.array(mutation, { minLength: 1, maxLength: 2 }), fc.option(fc.integer({ min: 1, max: 300 })), (raw, m, window) => {
        walks[expectSameWalk(mutate(raw, m), MAX, window ?? undefined)]++;
      }),
      { numRuns: 300 },
    );
    // Both ways were exercised: the kernel took inputs (~12% of them: most mutations break the
    // framing), and refused some.
    expect(walks.kernel + walks['kernel walk']).toBeGreaterThan(10);
    expect(walks.javascript).toBeGreaterThan(30);
  });

  it('leaves to the JavaScript walk what it does not take, which then refuses it as before', () => {
    const sampleType = [0x0a, 4, 0x08, 1, 0x10, 1];
    const table = [0x32, 0, 0x32, 1, 0x61];
    const sample = (...fields: number[]) => [0x12, fields.length, ...fields];
    const cases: [string, number[], RegExp][] = [
      ['a truncated varint', [...sampleType, 0x60, 0x80], /varint runs past the end/],
      ['a length past the end', [...sampleType, 0x12, 9, 0x08, 1], /runs past the end of its message/],
      ['a value beyond 2^53', [...sampleType, ...sample(0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10), ...table], /beyond ±2\^53/],
      ['a known field of the wrong wire type', [...sampleType, 0x61, 0, 0, 0, 0, 0, 0, 0, 0], /wire type 1, which profile.proto does not allow/],
      ['an unknown wire type', [...sampleType, ...sample(0x23)], /Sample field 4 has wire type 3, which profile.proto does not use/],
      ['an overlong varint', [...sampleType, 0x60, ...Array(10).fill(0xff), 0x01], /longer than 10 bytes/],
    ];
    for (const [what, bytes, message] of cases) {
      const raw = Uint8Array.from(bytes);
      expect(kernelWalk(raw, MAX), what).toBeNull();
      expect(() => decodeWire(raw), what).toThrow(message);
    }
    // The budget: the kernel refuses past it, the JavaScript walk says so.
    const big = committed.find((c) => c.raw.length > 4000)!.raw;
    expect(kernelWalk(big, 800)).toBeNull();
    expect(() => decodeWire(big, undefined, 800)).toThrow(/need more than 800 bytes of memory/);
    // A location id past 32 bits is valid, but walked in JavaScript (whose id list widens for it).
    const wide = Uint8Array.from([...sampleType, ...sample(0x08, 0x80, 0x80, 0x80, 0x80, 0x10, 0x10, 1), ...table]);
    expect(kernelWalk(wide, MAX)).toBeNull();
    expect(() => decodeWire(wide)).toThrow(/refers to location 4294967296, which does not exist/);
    // The kernel keeps ids and line numbers in 32 bits: a function it never needs with a start line
    // of -1 is valid, and walked in JavaScript; a mapping id past 2^32 too.
    const negative = Uint8Array.from([...sampleType, 0x2a, 13, 0x08, 1, 0x28, ...Array(9).fill(0xff), 0x01, ...table]);
    expect(kernelWalk(negative, MAX)).toBeNull();
    expect(decodeWire(negative).sampleTypes).toHaveLength(1);
    const far = [0x80, 0x80, 0x80, 0x80, 0x10];
    const farMapping = Uint8Array.from([...sampleType, 0x1a, 8, 0x08, ...far, 0x10, 0x01, 0x22, 8, 0x08, 1, 0x10, ...far, ...sample(0x08, 1, 0x10, 1), ...table]);
    expect(kernelWalk(farMapping, MAX)).toBeNull();
    expect(decodeWire(farMapping).samples.count).toBe(1);
  });

  it('would be caught by these tests if it walked a column wrongly', () => {
    const raw = committed.find((c) => c.path.endsWith('heap-07.pb.gz'))!.raw;
    const js = resolveRaw(walkProfile(raw, MAX));
    // Columns in the kernel's numbering (wire-walk.as.ts): location ids, line numbers, function names, values.
    for (const [column, spoil] of [
      [2, (c: Float64Array | Uint32Array) => (c[5] = c[6]!)],
      [16, (c: Float64Array | Uint32Array) => (c[0]! += 1)],
      [18, (c: Float64Array | Uint32Array) => (c[1] = c[2]!)],
      [4, (c: Float64Array | Uint32Array) => (c[3]! += 1)],
    ] as const) {
      const walked = kernelWalk(raw, MAX)!;
      const resolved = kernelCounts.resolved;
      spoil(kernelColumn(walked, column)!);
      expect(resolveRaw(walked)).not.toEqual(js);
      expect(kernelCounts.resolved).toBe(resolved + 1);
    }
  });
});
