import { describe, expect, it } from 'vitest';
import type { Profile } from '../model/profile.js';
import { buildProfile, type SampleSpec } from '../test-support/build-profile.js';
import { bytes, int, len, packed, str } from '../test-support/wire-writer.js';
import { decodeWithPprofFormat } from '../test-support/reference-decoder.js';
import { decodeWire } from './wire-decoder.js';
import { profileErrorFrom } from '../test-support/profile-error.js';

/**
 * The wire's 64-bit integers in both decoders: every value within ±(2^53 - 1) exactly, negative
 * ones (a profile that is already a diff) included; beyond that, the same one-line refusal,
 * never a rounded number. Only timestamps are kept as the nearest double, on purpose.
 */
const decoders: Array<[string, (raw: Uint8Array) => Profile]> = [
  ['wire decoder', decodeWire],
  ['reference decoder', decodeWithPprofFormat],
];

const MAX = 2n ** 53n - 1n;
const oneValue = (v: bigint) => buildProfile({ sampleTypes: [['inuse_space', 'bytes']], samples: [{ stack: ['main.f@/f.go:1'], values: [v] }] }).encode();

describe.each(decoders)('int64 values in the %s', (_, decode) => {
  it.each([0n, 5n, -5n, 2n ** 40n, -(2n ** 50n), MAX, -MAX])('keeps sample value %s exactly', (v) => {
    expect(decode(oneValue(v)).samples.values[0]).toBe(Number(v));
  });

  it('decodes a diff saved as a profile: negative base samples beside positive current ones', () => {
    const samples: SampleSpec[] = [
      { stack: ['main.f@/f.go:1'], values: [1, 4096] },
      { stack: ['main.f@/f.go:1'], values: [-3, -(2n ** 45n)], labels: { 'pprof::base': 'true' } },
    ];
    const p = decode(buildProfile({ sampleTypes: [['inuse_objects', 'count'], ['inuse_space', 'bytes']], samples }).encode());
    expect([...p.samples.values]).toEqual([1, 4096, -3, -(2 ** 45)]);
    expect(p.samples.fromBase).toEqual(new Uint8Array([0, 1]));
  });

  it.each([MAX + 1n, -MAX - 1n, 2n ** 63n - 1n, -(2n ** 63n)])('refuses sample value %s with its exact value', (v) => {
    expect(profileErrorFrom(() => decode(oneValue(v))).message).toBe(`malformed profile: sample 0 value ${v} is beyond ±2^53 and cannot be represented exactly`);
  });

  it.each([
    ['the period', () => bytes(len(1, [...int(1, 1), ...int(2, 2)]), int(12, MAX + 1n), str(''), str('a'), str('b')), /^malformed profile: period .*beyond ±2\^53/],
    [
      'a line number',
      () =>
        bytes(
          len(1, [...int(1, 1), ...int(2, 2)]),
          len(2, [...packed(1, [1]), ...packed(2, [7])]),
          len(4, [...int(1, 1), ...len(4, [...int(1, 1), ...int(2, 2n ** 60n)])]),
          len(5, [...int(1, 1), ...int(2, 1)]),
          str(''),
          str('a'),
          str('b'),
        ),
      /^malformed profile: (location 1 has )?line number .*beyond ±2\^53/,
    ],
  ])('refuses %s beyond 2^53', (_, raw, message) => {
    expect(profileErrorFrom(() => decode(raw())).message).toMatch(message);
  });

  it('keeps a capture time beyond 2^53 ns as the nearest double', () => {
    const raw = bytes(len(1, [...int(1, 1), ...int(2, 2)]), int(9, 1_795_697_101_181_833_293n), str(''), str('a'), str('b'));
    expect(decode(raw).timeNanos).toBe(Number(1_795_697_101_181_833_293n));
  });
});
