import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bytes, int, len, packed, str } from '../test-support/wire-writer.js';
import { packedLocationBomb as packedBomb } from '../test-support/hostile-bytes.js';
import { parseProfile } from './parse.js';
import { decodeWithPprofFormat } from '../test-support/reference-decoder.js';
import { decodeWire } from './wire-decoder.js';
import { profileErrorFrom } from '../test-support/profile-error.js';

/**
 * Memory stays proportional to the input: counts are bounded by the bytes that encode them, and
 * the one multiplication the model does, stacks expanded into inlined lines, is capped.
 */
describe('limits', () => {
  // One location of 1,000 inlined lines, referenced 100,000 times by one sample: ~0.2 MB that
  // would expand to 10^8 frames (400 MB).
  const lines = Array.from({ length: 1000 }, (_, i) => len(4, [...int(1, 1), ...int(2, i + 1)])).flat();
  /** One sample referencing that location `references` times. */
  const referencing = (references: number) =>
    bytes(
      len(1, [...int(1, 1), ...int(2, 2)]),
      len(2, [...packed(1, Array<number>(references).fill(1)), ...packed(2, [7])]),
      len(4, [...int(1, 1), ...lines]),
      len(5, [...int(1, 1), ...int(2, 3)]),
      str(''),
      str('inuse_space'),
      str('bytes'),
      str('main.f'),
    );
  const bomb = referencing(100_000);

  it.each([
    ['wire decoder', decodeWire],
    ['reference decoder', decodeWithPprofFormat],
  ])('the %s refuses stacks that expand far beyond the input', (_, decode) => {
    expect(bomb.length).toBeLessThan(250_000);
    expect(profileErrorFrom(() => decode(bomb)).message).toMatch(/^malformed profile: its stacks expand to more than \d+ frames \(4 per byte of the profile\)/);
  });

  it('reads the same location referenced as often as a real profile would', () => {
    const fine = referencing(1000);
    expect(decodeWire(fine).samples.stackFrames.length).toBe(1_000_000);
  });

  it('holds raw input, protobuf or text, to the same size cap as inflated input', () => {
    const raw = bytes(len(1, [...int(1, 1), ...int(2, 2)]), str(''), str('inuse_space'), str('bytes'));
    expect(parseProfile(raw, { maxBytes: raw.length }).sampleTypes).toHaveLength(1);
    expect(profileErrorFrom(() => parseProfile(raw, { maxBytes: raw.length - 1 })).message).toBe(
      `parsing profile: is more than ${raw.length - 1} bytes (raise the maxBytes option if this is genuine)`,
    );
    expect(profileErrorFrom(() => parseProfile(new TextEncoder().encode('heap profile: 1: 2 [3: 4] @ heap/1024\n'), { maxBytes: 10 })).message).toMatch(/is more than 10 bytes/);
  });

  it('refuses a legacy text line longer than any real one, without decoding it', () => {
    const long = new Uint8Array((1 << 20) + 100).fill(0x20);
    const text = new TextEncoder().encode('heap profile: 1: 2 [3: 4] @ heap/1024\n');
    const input = new Uint8Array(text.length + long.length);
    input.set(text);
    input.set(long, text.length);
    expect(profileErrorFrom(() => parseProfile(input)).message).toMatch(/^malformed profile: legacy heap profile line 2: the line is longer than 1048576 bytes/);
  });

  const budgetError = (maxBytes: number) =>
    `parsing profile: its stacks and values need more than ${maxBytes} bytes of memory (8 per location id and value, 4 per expanded frame): raise the maxBytes option if this is genuine`;

  it('refuses packed location ids that need more memory than the cap allows, before allocating them', () => {
    // 8 MB of gzip-friendly bytes would be 64 MB of ids and 32 MB of frames: over a 16 MB cap.
    const bomb = gzipSync(packedBomb(8 << 20));
    expect(bomb.length).toBeLessThan(100_000);
    expect(profileErrorFrom(() => parseProfile(bomb, { maxBytes: 16 << 20 })).message).toBe(budgetError(16 << 20));
    // Within a cap that does allow it, the same shape decodes.
    const small = packedBomb(1000);
    expect(parseProfile(gzipSync(small), { maxBytes: 16 << 20 }).samples.stackFrames.length).toBe(1000);
  });

  it('counts unpacked location ids and values against the budget too', () => {
    const unpacked = bytes(
      len(1, [...int(1, 1), ...int(2, 2)]),
      len(2, [...Array.from({ length: 4000 }, () => int(1, 1)).flat(), ...int(2, 7)]),
      len(4, [...int(1, 1), ...len(4, [...int(1, 1), ...int(2, 1)])]),
      len(5, [...int(1, 1), ...int(2, 3)]),
      str(''),
      str('inuse_space'),
      str('bytes'),
      str('main.f'),
    );
    expect(profileErrorFrom(() => parseProfile(unpacked, { maxBytes: 16_000 })).message).toBe(budgetError(16_000));
    expect(parseProfile(unpacked, { maxBytes: 64_000 }).samples.stackFrames.length).toBe(4000);
  });

  it('counts expanded frames against the budget: 0.2 MB of inlined lines is refused under a 1 MB cap', () => {
    // 1,000 references to a 1,000-line location: 8 kB of ids, 4 MB of frames.
    const fine = referencing(1000);
    expect(profileErrorFrom(() => parseProfile(fine, { maxBytes: 1 << 20 })).message).toBe(budgetError(1 << 20));
    expect(parseProfile(fine, { maxBytes: 5 << 20 }).samples.stackFrames.length).toBe(1_000_000);
  });

  it('decodes every committed real profile with a cap of 5 times its inflated size', () => {
    for (const path of ['testdata/go/shapes/profiles/deep.pb.gz', 'testdata/go/shapes/profiles/cpu.pb.gz', 'testdata/go/leakysvc/profiles/heap-08.pb.gz']) {
      const gz = readFileSync(path);
      const raw = parseProfile(gz);
      const inflated = gunzipLength(gz);
      expect(parseProfile(gz, { maxBytes: 5 * inflated }), path).toEqual(raw);
    }
  });
});

function gunzipLength(gz: Uint8Array): number {
  // ISIZE: the last four bytes of a gzip member, little-endian.
  return new DataView(gz.buffer, gz.byteOffset + gz.length - 4, 4).getUint32(0, true);
}
