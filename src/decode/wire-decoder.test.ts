import { describe, expect, it } from 'vitest';
import type { Profile } from '../model/profile.js';
import { stackOf } from '../test-support/stacks.js';
import { bytes, int, len, packed, str, tag } from '../test-support/wire-writer.js';
import { decodeWire } from './wire-decoder.js';
import { profileErrorFrom } from '../test-support/profile-error.js';

const refused = (raw: Uint8Array) => profileErrorFrom(() => decodeWire(raw));

/** Shapes pprof-format never writes, by hand: one sample of 7 bytes at main.f (/f.go:3). */
const TABLE = [str(''), str('inuse_space'), str('bytes'), str('main.f'), str('/f.go')];
const SAMPLE_TYPE = len(1, [...int(1, 1), ...int(2, 2)]);
const FUNCTION = len(5, [...int(1, 1), ...int(2, 3), ...int(4, 4), ...int(5, 2)]);
const location = (id: number | bigint, ...fields: number[][]) => len(4, [...int(1, id), ...len(4, [...int(1, 1), ...int(2, 3)]), ...fields.flat()]);
const sample = (...fields: number[][]) => len(2, fields.flat());

const names = (p: Profile, i: number) => [...stackOf(p, i)].map((f) => `${p.strings[p.frames.name[f]!]}:${p.frames.line[f]}`);

describe('decodeWire', () => {
  it("reads Go's non-packed repeated fields like packed ones, in any message order", () => {
    const packedForm = decodeWire(bytes(SAMPLE_TYPE, sample(packed(1, [1, 1]), packed(2, [7])), location(1), FUNCTION, ...TABLE));
    const goForm = decodeWire(bytes(...TABLE, FUNCTION, location(1), sample(int(1, 1), int(2, 7), int(1, 1)), SAMPLE_TYPE));
    expect(names(goForm, 0)).toEqual(['main.f:3', 'main.f:3']);
    expect([...goForm.samples.values]).toEqual([7]);
    expect(goForm.frames.startLine[0]).toBe(2);
    expect(names(goForm, 0)).toEqual(names(packedForm, 0));
  });

  it('skips unknown fields of every wire type, multi-byte tags included', () => {
    const unknown = [...tag(100, 0), 5, ...tag(20, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...tag(21, 5), 1, 2, 3, 4, ...len(22, [9, 9]), ...tag(0, 0), 1];
    const p = decodeWire(bytes(SAMPLE_TYPE, sample(packed(1, [1]), packed(2, [7]), unknown), location(1, unknown), FUNCTION, unknown, ...TABLE));
    expect(names(p, 0)).toEqual(['main.f:3']);
  });

  it('keeps the last of a repeated scalar, so an earlier bad one does not count', () => {
    const periodType = (unit: number | bigint) => len(11, [...int(1, 1), ...int(2, unit)]);
    const p = decodeWire(bytes(SAMPLE_TYPE, periodType(2n ** 64n - 1n), periodType(2), int(12, -1), int(12, 4096), ...TABLE));
    expect(p.periodType).toEqual({ type: 'inuse_space', unit: 'bytes' });
    expect(p.period).toBe(4096);
  });

  it('expands stacks of deeply inlined locations, however many frames that makes', () => {
    const inlined = len(4, [...int(1, 1), ...[3, 4, 5].flatMap((line) => len(4, [...int(1, 1), ...int(2, line)]))]);
    const p = decodeWire(bytes(SAMPLE_TYPE, sample(packed(1, Array(40).fill(1)), packed(2, [7])), inlined, FUNCTION, ...TABLE));
    expect(names(p, 0)).toHaveLength(120);
    expect(names(p, 0).slice(0, 4)).toEqual(['main.f:3', 'main.f:4', 'main.f:5', 'main.f:3']);
  });

  it('resolves location ids beyond 32 bits, before and after small ones (ids are kept in 32 bits until one is not)', () => {
    // 2^33 + 5 is a five-byte varint, 2^40 + 1 a six-byte one (both off the packed fast path).
    const ids = [1, 0xffffffff, 2 ** 33 + 5, 2, 2 ** 40 + 1, 3];
    const located = ids.map((id, k) => len(4, [...int(1, id), ...len(4, [...int(1, 1), ...int(2, 10 + k)])]));
    const p = decodeWire(bytes(SAMPLE_TYPE, sample(packed(1, ids), packed(2, [7])), sample(packed(1, [2 ** 33 + 5, 1]), packed(2, [8])), ...located, FUNCTION, ...TABLE));
    expect(names(p, 0)).toEqual(['main.f:10', 'main.f:11', 'main.f:12', 'main.f:13', 'main.f:14', 'main.f:15']);
    expect(names(p, 1)).toEqual(['main.f:12', 'main.f:10']);
  });

  it('marks pprof::base samples by the whole table entry, not one containing it, whatever labels come first', () => {
    const table = [...TABLE, str('xpprof::base'), str('pprof::base'), str('true'), str('bytes')];
    const label = (key: number, value: number) => len(3, [...int(1, key), ...int(2, value)]);
    const p = decodeWire(
      bytes(SAMPLE_TYPE, sample(packed(1, [1]), packed(2, [7]), label(8, 2)), sample(packed(1, [1]), packed(2, [8]), label(5, 7), len(3, [...int(1, 6), ...int(3, 64)]), label(6, 7)), sample(packed(1, [1]), packed(2, [9]), label(5, 7)), location(1), FUNCTION, ...table),
    );
    expect(p.samples.fromBase && [...p.samples.fromBase]).toEqual([0, 1, 0]);
  });

  it('reads long packed runs, wide values and labels in samples as the reader does', () => {
    const types = [1, 2, 3, 4, 5].map(() => SAMPLE_TYPE);
    const ids = [20000, 3, 1 << 20, 127, 128];
    const located = ids.map((id, k) => len(4, [...int(1, id), ...len(4, [...int(1, 1), ...int(2, 10 + k)])]));
    const stack = Array.from({ length: 101 }, (_, k) => ids[k % ids.length]!);
    const values = [1, 2 ** 21, 2 ** 28 + 5, 2 ** 35 - 1, 0];
    const wide = [-1, 2 ** 35, 2 ** 53 - 1, -(2 ** 40), 5];
    const label = len(3, [...int(1, 2), ...int(3, 64)]);
    // As Go writes a sample; its fields in another order and repeated; values of 6-10 bytes.
    const p = decodeWire(
      bytes(
        ...types,
        sample(packed(1, stack), packed(2, values), label),
        sample(label, packed(2, values.slice(0, 2)), packed(1, [3]), packed(2, values.slice(2)), packed(1, [1 << 20])),
        sample(packed(1, [128]), packed(2, wide), label),
        ...located,
        FUNCTION,
        ...TABLE,
      ),
    );
    expect([...p.samples.values]).toEqual([...values, ...values, ...wide]);
    expect(names(p, 0)).toEqual(stack.map((id) => `main.f:${10 + ids.indexOf(id)}`));
    expect(names(p, 1)).toEqual(['main.f:11', 'main.f:12']);
    expect(names(p, 2)).toEqual(['main.f:14']);
  });

  it('interns each text once: repeated table entries, and an entry equal to an unsymbolized name, in either order', () => {
    // Strings 5-8: '/bin/app', '[app] 0x10', and 'main.g' twice; string 3 is 'main.f'.
    const table = [...TABLE, str('/bin/app'), str('[app] 0x10'), str('main.g'), str('main.g')];
    const mapping = len(3, [...int(1, 1), ...int(2, 0), ...int(3, 0x1000), ...int(5, 5)]);
    const fn = (id: number, name: number) => len(5, [...int(1, id), ...int(2, name), ...int(4, 4)]);
    const at = (id: number, fnId: number) => len(4, [...int(1, id), ...int(2, 1), ...len(4, [...int(1, fnId), ...int(2, 3)])]);
    const anonymous = len(4, [...int(1, 9), ...int(2, 1), ...int(3, 0x10)]);
    const functions = [FUNCTION, fn(2, 6), fn(3, 7), fn(4, 8), ...table];
    // Locations are expanded (and their names interned) in the order they come.
    const orders = [
      [mapping, anonymous, at(1, 1), at(2, 2), at(3, 3), at(4, 4), ...functions],
      [mapping, at(1, 1), at(2, 2), at(4, 4), at(3, 3), anonymous, ...functions],
    ];
    for (const [k, parts] of orders.entries()) {
      const stack = k === 0 ? [9, 2, 3, 4] : [2, 9, 4, 3];
      const p = decodeWire(bytes(SAMPLE_TYPE, sample(packed(1, stack), packed(2, [7])), ...parts));
      expect(new Set(p.strings).size).toBe(p.strings.length);
      const frames = [...stackOf(p, 0)];
      expect(frames.map((f) => p.strings[p.frames.name[f]!])).toEqual(stack.map((id) => ({ 9: '[app] 0x10', 2: '[app] 0x10', 3: 'main.g', 4: 'main.g' })[id]));
      // Same name, file and line: one frame, whichever entry named it.
      expect(frames[stack.indexOf(3)]).toBe(frames[stack.indexOf(4)]);
    }
  });

  it('reads the string table at every alignment, ASCII or not', () => {
    for (const name of ['main.f', 'main.ü', 'f']) {
      const raw = bytes(SAMPLE_TYPE, sample(packed(1, [1]), packed(2, [7])), location(1), FUNCTION, ...TABLE.slice(0, 3), str(name), str('/f.go'));
      for (let shift = 0; shift < 4; shift++) {
        const buf = new Uint8Array(raw.length + shift);
        buf.set(raw, shift);
        expect(names(decodeWire(buf.subarray(shift)), 0)).toEqual([`${name}:3`]);
      }
    }
    // A table of a few bytes, shorter than one aligned word.
    const tiny = bytes(len(1, [...int(1, 0), ...int(2, 0)]), str('a'));
    for (let shift = 0; shift < 4; shift++) {
      const buf = new Uint8Array(tiny.length + shift);
      buf.set(tiny, shift);
      expect(decodeWire(buf.subarray(shift)).sampleTypes).toEqual([{ type: 'a', unit: 'a' }]);
    }
  });

  it.each([
    ['a length past the end', bytes(SAMPLE_TYPE, [...tag(2, 2), 50, 1, 2]), /^parsing profile: a field of 50 bytes runs past the end/],
    ['a nested length past its message', bytes(len(2, [...tag(1, 2), 9, 1])), /^parsing profile: a field of 9 bytes runs past/],
    ['a varint cut short', bytes(SAMPLE_TYPE, [...tag(12, 0), 0x80, 0x80]), /^parsing profile: a varint runs past the end/],
    ['an 11-byte varint', bytes([...tag(12, 0), ...Array(10).fill(0x80), 1]), /^parsing profile: a varint is longer than 10 bytes/],
    ['a group', bytes([...tag(3, 3), 0]), /^parsing profile: Profile field 3 has wire type 3/],
    ['a known field with the wrong wire type', bytes(len(5, len(2, [1]))), /^parsing profile: Function field 2 has wire type 2/],
    ['a fixed64 cut short', bytes([...tag(30, 1), 1, 2]), /^parsing profile: a fixed-size field runs past/],
    ['a value beyond 2^53', bytes(SAMPLE_TYPE, sample(packed(2, [2n ** 53n]))), /^malformed profile: sample 0 value 9007199254740992 is beyond ±2\^53/],
    ['a location id beyond 2^53', bytes(location(2n ** 60n)), /^malformed profile: location id is beyond ±2\^53/],
  ])('refuses %s', (_, raw, message) => {
    const error = refused(raw);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});
