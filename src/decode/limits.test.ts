import { describe, expect, it } from 'vitest';
import { bytes, int, len, packed, str } from '../test-support/wire-writer.js';
import { parseProfile } from './parse.js';
import { decodeWithPprofFormat } from './reference-decoder.js';
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
      `parsing profile: is more than ${raw.length - 1} bytes (raise --max-profile-size if this is genuine)`,
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
});
