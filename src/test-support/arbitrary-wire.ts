import fc from 'fast-check';
import { bytes, int, len, packed, str, tag } from './wire-writer.js';

/**
 * Random Profile messages written field by field from profile.proto, for shapes build-profile.ts
 * never makes: any message order (string table first or last), packed and non-packed repeats,
 * negative and out-of-range numbers, columns, start lines, '' not first in the table, and unknown
 * fields of every wire type. References mostly resolve, and now and then dangle.
 */

const odd = fc.constantFrom(-1n, -3n, 2n ** 31n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n), 2n ** 64n - 1n, 99n);
/** A number in [min, max], or rarely anything. */
const num = (min: number, max: number) =>
  fc.oneof({ weight: 40, arbitrary: fc.integer({ min, max }).map(BigInt) }, { weight: 1, arbitrary: odd });
const field = (n: number, value: fc.Arbitrary<bigint>) => value.map((v) => int(n, v));
const maybe = (arb: fc.Arbitrary<number[]>) => fc.option(arb, { nil: [], freq: 2 });
const unknown = fc.oneof(
  fc.constantFrom(16, 100, 0).map((n) => int(n, 7)),
  fc.constantFrom([...tag(25, 1), 1, 2, 3, 4, 5, 6, 7, 8], [...tag(17, 5), 1, 2, 3, 4], len(31, [1, 2, 3])),
);
const many = (arb: fc.Arbitrary<number[]>, minLength: number, maxLength: number) =>
  fc.array(arb, { minLength, maxLength }).map((xs) => xs.flat());

/** A repeated number field, packed or as one field per value. */
function repeated(n: number, count: fc.Arbitrary<number>, value: fc.Arbitrary<bigint>): fc.Arbitrary<number[]> {
  return count
    .chain((k) => fc.array(value, { minLength: k, maxLength: k }))
    .chain((values) => fc.constantFrom(packed(n, values), values.flatMap((v) => int(n, v))));
}

/** The parts in a random order, with now and then an unknown field among them. */
function inAnyOrder(...parts: fc.Arbitrary<number[]>[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(...parts, fc.option(unknown, { nil: [], freq: 6 }))
    .chain((chunks) => fc.shuffledSubarray(chunks, { minLength: chunks.length }))
    .map((chunks) => chunks.flat());
}

interface Sizes {
  types: number;
  strings: number;
  locations: number;
  functions: number;
  mappings: number;
}

function profile(n: Sizes): fc.Arbitrary<Uint8Array> {
  const string = num(0, n.strings - 1);
  const id = (count: number) => num(1, count);
  const valueType = (f: number) => inAnyOrder(field(1, string), field(2, string)).map((m) => len(f, m));
  const label = inAnyOrder(field(1, string), field(2, string), maybe(field(3, num(0, 4096)))).map((m) => len(3, m));
  const values = fc.oneof({ weight: 15, arbitrary: fc.constant(n.types) }, { weight: 1, arbitrary: fc.nat(4) });
  const sample = inAnyOrder(repeated(1, fc.nat(5), id(n.locations)), repeated(2, values, num(-9, 1 << 20)), many(label, 0, 2));
  const mapping = (k: number) => inAnyOrder(field(1, num(k, k)), maybe(field(2, num(0, 9))), field(5, string), maybe(field(7, num(0, 1))));
  const line = inAnyOrder(field(1, num(0, n.functions)), field(2, num(0, 300)), maybe(field(3, num(0, 80)))).map((m) => len(4, m));
  const location = (k: number) =>
    inAnyOrder(field(1, num(k, k)), maybe(field(2, num(0, n.mappings))), maybe(field(3, num(0, 1 << 20))), many(line, 0, 3));
  const fn = (k: number) => inAnyOrder(field(1, num(k, k)), field(2, string), maybe(field(3, string)), field(4, string), maybe(field(5, num(0, 300))));
  const numbered = (make: (k: number) => fc.Arbitrary<number[]>, f: number, count: number) =>
    fc.tuple(...Array.from({ length: count }, (_, k) => make(k + 1).map((m) => len(f, m)))).map((xs) => xs.flat());
  const strings = fc
    .shuffledSubarray(['pprof::base', 'true', 'main.f', '/src/f.go', 'inuse_space', 'bytes', 'ü', '\u{feff}true'], {
      minLength: n.strings - 1,
      maxLength: n.strings - 1,
    })
    .chain((entries) => fc.constantFrom('', '', '', 'x').map((first) => [first, ...entries].flatMap((s) => str(s))));
  const scalar = fc.oneof(
    field(9, num(0, 1e9)),
    field(10, num(0, 1e9)),
    valueType(11),
    field(12, num(0, 1 << 19)),
    repeated(13, fc.nat(2), string),
    field(14, string),
  );
  return fc
    .tuple(
      many(valueType(1), n.types, n.types),
      many(sample.map((m) => len(2, m)), 0, 6),
      numbered(location, 4, n.locations),
      numbered(fn, 5, n.functions),
      numbered(mapping, 3, n.mappings),
      many(scalar, 0, 5),
      maybe(unknown),
      strings,
    )
    .chain((chunks) => fc.shuffledSubarray(chunks, { minLength: chunks.length }))
    .map((chunks) => bytes(...chunks));
}

export const wireProfile: fc.Arbitrary<Uint8Array> = fc
  .record({
    types: fc.integer({ min: 1, max: 3 }),
    strings: fc.integer({ min: 5, max: 9 }),
    locations: fc.integer({ min: 1, max: 6 }),
    functions: fc.integer({ min: 1, max: 4 }),
    mappings: fc.integer({ min: 0, max: 2 }),
  })
  .chain(profile);
