import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile as PprofProfile, Sample, StringTable, ValueType } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../model/profile.js';
import { stackOf } from '../test-support/stacks.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { snapshots } from '../bench/generate.js';
import { parseProfile } from './parse.js';
import { profileErrorFrom } from '../test-support/profile-error.js';

const frameNames = (p: Profile, sample: number) => [...stackOf(p, sample)].map((f) => p.strings[p.frames.name[f]!]);

/** A one-sample profile built by hand, for shapes the spec builder refuses to make. */
function handMade(edit: (parts: { sample: Sample; location: Location; fn: PprofFunction; strings: StringTable }) => void): Uint8Array {
  const strings = new StringTable();
  const fn = new PprofFunction({ id: 1, name: strings.dedup('main.f'), filename: strings.dedup('/f.go') });
  const location = new Location({ id: 1, line: [new Line({ functionId: 1, line: 3 })] });
  const sample = new Sample({ locationId: [1], value: [7] });
  edit({ sample, location, fn, strings });
  const sampleType = [new ValueType({ type: strings.dedup('inuse_space'), unit: strings.dedup('bytes') })];
  return new PprofProfile({ sampleType, sample: [sample], location: [location], function: [fn], stringTable: strings }).encode();
}

describe('parseProfile', () => {
  const spec = {
    timeNanos: 1_700_000_000_123_456_789n,
    samples: [heap(['main.leaf@/a.go:3 + main.caller@/a.go:9', 'main.main@/m.go:1'], 4096), heap(['main.other@/a.go:20'], 10)],
  };

  it('reads gzipped and raw protobuf alike', () => {
    const gz = parseProfile(encodeProfile(spec, true));
    const raw = parseProfile(encodeProfile(spec, false));
    expect(raw).toEqual(gz);
    expect(gz.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(gz.samples.count).toBe(2);
    expect([...gz.samples.values.subarray(0, 4)]).toEqual([1, 4096, 1, 4096]);
    expect(gz.timeNanos).toBe(1_700_000_000_123_456_789);
    expect(gz.period).toBe(524288);
    expect(gz.mainBinary).toBe('app');
  });

  it('expands inlined frames callee first and interns frames once', () => {
    const p = parseProfile(encodeProfile(spec));
    expect(frameNames(p, 0)).toEqual(['main.leaf', 'main.caller', 'main.main']);
    expect(p.frames.count).toBe(4);
    expect(p.strings.filter((s) => s === '/a.go')).toHaveLength(1);
  });

  it('names unsymbolized locations by binary and address', () => {
    const p = parseProfile(encodeProfile({ samples: [heap(['?', 'main.main@/m.go:1'], 5)], addresses: { '?': 0x4a10f0 } }));
    expect(frameNames(p, 0)).toEqual(['[app] 0x4a10f0', 'main.main']);
  });

  it('converts int64 values exactly: large, negative, and refuses beyond 2^53', () => {
    const values = (v: bigint | number) =>
      parseProfile(encodeProfile({ sampleTypes: [['inuse_space', 'bytes']], samples: [{ stack: ['f@/f.go:1'], values: [v] }] })).samples.values[0];
    expect(values(300_000_000)).toBe(300_000_000);
    expect(values(2n ** 40n)).toBe(2 ** 40);
    expect(values(-5)).toBe(-5);
    expect(values(-(2n ** 50n))).toBe(-(2 ** 50));
    expect(profileErrorFrom(() => values(2n ** 53n + 1n)).message).toMatch(/^malformed profile: sample 0 value 9007199254740993 is beyond ±2\^53/);
  });

  it('marks samples labelled pprof::base=true', () => {
    const p = parseProfile(
      encodeProfile({ samples: [heap(['f@/f.go:1'], 5), { ...heap(['f@/f.go:1'], -3), labels: { 'pprof::base': 'true' } }] }),
    );
    expect(p.samples.fromBase).toEqual(new Uint8Array([0, 1]));
    expect(parseProfile(encodeProfile(spec)).samples.fromBase).toBeNull();
  });

  it.each([
    ['empty input', new Uint8Array(), /^parsing profile: the input is empty$/],
    ['text', new TextEncoder().encode('this is not a profile, just some text\n'), /^parsing profile: /],
    ['truncated gzip', encodeProfile(spec).subarray(0, 40), /^decompressing profile: .*truncated/],
    ['corrupt gzip', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0, 0]), /^decompressing profile: /],
    ['truncated protobuf', encodeProfile(spec, false).subarray(0, 61), /^(parsing|malformed) profile: /],
    ['empty gzip stream', new Uint8Array(gzipSync(new Uint8Array())), /^parsing profile: the gzip stream holds no data/],
  ])('rejects %s with one line naming the step', (_, bytes, message) => {
    const error = profileErrorFrom(() => parseProfile(bytes));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it.each([
    ['a dangling location id', ({ sample }: { sample: Sample }) => (sample.locationId = [99]), /sample 0 refers to location 99/],
    ['a dangling function id', ({ location }: { location: Location }) => (location.line = [new Line({ functionId: 5, line: 1 })]), /location 1 refers to function 5/],
    ['a value count mismatch', ({ sample }: { sample: Sample }) => (sample.value = [1, 2]), /sample 0 has 2 values but the profile has 1 sample types/],
    ['a string index out of range', ({ fn }: { fn: PprofFunction }) => (fn.name = 500), /function 1 name refers to string 500/],
  ])('rejects %s as malformed', (_, edit, message) => {
    const error = profileErrorFrom(() => parseProfile(handMade(edit as never)));
    expect(error.step).toBe('malformed profile');
    expect(error.message).toMatch(message);
  });

  it('stops inflating at the size cap (a gzip bomb never lands in memory)', () => {
    const bomb = new Uint8Array(gzipSync(new Uint8Array(8 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(20_000);
    expect(profileErrorFrom(() => parseProfile(bomb, { maxBytes: 1024 * 1024 })).message).toMatch(
      /^decompressing profile: inflates to more than 1048576 bytes/,
    );
  });

  it('reads every member of a concatenated gzip, also one whose first member ends where the next 64 kB slice begins', () => {
    const raw = snapshots({ samples: 3000, functions: 1500, locations: 5000, seed: 9 }, 1)[0]!;
    const whole = parseProfile(raw);
    // The first part stored (level 0), so that its member's size can be chosen: 64 KiB exactly,
    // where pakoGunzip's first slice ends; and one that ends mid-slice.
    const split = (size: number) => {
      for (let n = size - 200; n < size; n++) if (gzipSync(raw.subarray(0, n), { level: 0 }).length === size) return n;
      throw new Error(`no split makes a ${size}-byte member`);
    };
    for (const n of [split(1 << 16), split(40_000)]) {
      const gz = Buffer.concat([gzipSync(raw.subarray(0, n), { level: 0 }), gzipSync(raw.subarray(n))]);
      expect(parseProfile(gz), `first member of ${n} bytes inflated`).toEqual(whole);
    }
  });
});
