import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { bytes, int, len, packed, str, tag, varint } from './wire-writer.js';

/**
 * Damage done to a real profile's bytes, for fuzzing: flipped bytes, truncation, huge varints
 * and length prefixes, duplicated chunks, decimal monsters for the text format; applied to the
 * raw bytes (then gzipped or not) or to the gzip stream itself.
 */
export type Edit =
  | { readonly kind: 'flip'; readonly at: number; readonly byte: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'prepend'; readonly bytes: readonly number[] }
  | { readonly kind: 'duplicate'; readonly from: number; readonly length: number; readonly to: number };

export type Packaging = 'raw' | 'gzip-after' | 'gzip-before';

const text = (s: string) => [...new TextEncoder().encode(s)];
const HUGE = [2n ** 64n - 1n, 2n ** 63n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 32n, -1n];

/** Bytes that are dangerous anywhere: overlong and huge varints, lengths far past the end. */
const anywhere = fc.oneof(
  fc.constantFrom(...HUGE).map((v) => varint(v)),
  fc.constant([...Array(10).fill(0x80), 1]),
  fc.tuple(fc.integer({ min: 1, max: 15 }), fc.constantFrom(2n ** 31n, 2n ** 62n, 2n ** 64n - 1n, 1000n)).map(([f, n]) => [...tag(f, 2), ...varint(n)]),
  fc.constantFrom(' 18446744073709551616', ': -1', ' @ 0x', '\n#\t0x1\tf+0x1\tf.go:99999999999\n', '[9: 9007199254740993]', 'heap/0').map(text),
);

/** Well-framed top-level fields with hostile values: a huge period, sample value or location id. */
const atTop = fc.constantFrom(...HUGE).chain((v) =>
  fc.constantFrom(int(12, v), int(9, v), len(2, packed(2, [v])), len(2, packed(1, [v])), len(4, int(1, v)), len(1, int(1, v))),
);

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.nat(255) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: anywhere }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('prepend' as const), bytes: atTop }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), from: fc.nat(), length: fc.integer({ min: 1, max: 4096 }), to: fc.nat() }) },
);

export const packaging: fc.Arbitrary<Packaging> = fc.constantFrom('raw', 'gzip-after', 'gzip-before');

function applyEdit(bytes: Uint8Array, e: Edit): Uint8Array {
  const n = bytes.length;
  const splice = (at: number, insert: ArrayLike<number>) => {
    const out = new Uint8Array(n + insert.length);
    out.set(bytes.subarray(0, at));
    out.set(insert, at);
    out.set(bytes.subarray(at), at + insert.length);
    return out;
  };
  switch (e.kind) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[e.at % n] = e.byte;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, n === 0 ? 0 : e.at % n);
    case 'insert':
      return splice(e.at % (n + 1), e.bytes);
    case 'prepend':
      return splice(0, e.bytes);
    case 'duplicate': {
      const from = n === 0 ? 0 : e.from % n;
      return splice(e.to % (n + 1), bytes.slice(from, from + e.length));
    }
  }
}

/** `raw` with the edits applied, packaged as asked. */
export function damage(raw: Uint8Array, edits: readonly Edit[], how: Packaging): Uint8Array {
  const start = how === 'gzip-before' ? new Uint8Array(gzipSync(raw)) : raw;
  const damaged = edits.reduce(applyEdit, start);
  return how === 'gzip-after' ? new Uint8Array(gzipSync(damaged)) : damaged;
}

/**
 * The packed-location bomb: one sample whose packed run holds `count` one-byte ids of a location
 * with one line. It gzips ~1000:1, and each byte becomes an 8-byte id and a 4-byte frame. The
 * run is spliced in as one typed array: the writer's number arrays would take seconds at 8 MB.
 */
export function packedLocationBomb(count: number): Uint8Array {
  const value = packed(2, [7]);
  const head = bytes(len(1, [...int(1, 1), ...int(2, 2)]), tag(2, 2), varint(tag(1, 2).length + varint(count).length + count + value.length), tag(1, 2), varint(count));
  const tail = bytes(value, len(4, [...int(1, 1), ...len(4, [...int(1, 1), ...int(2, 1)])]), len(5, [...int(1, 1), ...int(2, 3)]), str(''), str('inuse_space'), str('bytes'), str('main.f'));
  const out = new Uint8Array(head.length + count + tail.length);
  out.set(head);
  out.fill(1, head.length, head.length + count);
  out.set(tail, head.length + count);
  return out;
}
