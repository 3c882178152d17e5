import { len, tag } from './wire-writer.js';

/**
 * An independent, strict reading of profile.proto's wire format for the differential test.
 * pprof-format (the reference decoder) is lax where the wire decoder is strict: it reads a length
 * or varint running past its message as whatever bytes are there, and it cannot skip unknown
 * fields with fixed-size wire types or multi-byte tags. This oracle says whether bytes are well
 * formed and, if so, re-encodes them with only the known fields, which pprof-format reads right.
 */

type Kind = 'varint' | 'packable' | 'bytes' | Schema;
interface Schema {
  readonly [field: number]: Kind;
}

const fields = (kind: Kind, ...numbers: number[]): Schema => Object.fromEntries(numbers.map((n) => [n, kind]));
const VALUE_TYPE = fields('varint', 1, 2);
const LABEL = fields('varint', 1, 2, 3, 4);
const SAMPLE: Schema = { 1: 'packable', 2: 'packable', 3: LABEL };
const MAPPING = fields('varint', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
const LINE = fields('varint', 1, 2, 3);
const LOCATION: Schema = { ...fields('varint', 1, 2, 3, 5), 4: LINE };
const FUNCTION = fields('varint', 1, 2, 3, 4, 5);
const PROFILE: Schema = {
  ...fields('varint', 7, 8, 9, 10, 12, 14, 15),
  1: VALUE_TYPE,
  2: SAMPLE,
  3: MAPPING,
  4: LOCATION,
  5: FUNCTION,
  6: 'bytes',
  11: VALUE_TYPE,
  13: 'packable',
};

class Malformed extends Error {}

/** The known fields of a well-formed profile, re-encoded; null when the framing is invalid. */
export function knownFieldsOf(raw: Uint8Array): Uint8Array | null {
  try {
    return Uint8Array.from(message(raw, 0, raw.length, PROFILE));
  } catch (thrown) {
    if (thrown instanceof Malformed) return null;
    throw thrown;
  }
}

function readVarint(buf: Uint8Array, at: number, end: number): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    if (at >= end) throw new Malformed();
    const b = buf[at++]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) return [value, at];
  }
  throw new Malformed();
}

function message(buf: Uint8Array, at: number, end: number, schema: Schema): number[] {
  const out: number[] = [];
  while (at < end) {
    const [key, afterTag] = readVarint(buf, at, end);
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    const kind = schema[field];
    at = afterTag;
    if (wireType === 0) {
      const start = at;
      at = readVarint(buf, at, end)[1];
      if (kind === undefined) continue;
      if (kind !== 'varint' && kind !== 'packable') throw new Malformed();
      append(out, tag(field, 0));
      append(out, buf.subarray(start, at));
    } else if (wireType === 2) {
      const [size, payload] = readVarint(buf, at, end);
      if (size > BigInt(end - payload)) throw new Malformed();
      at = payload + Number(size);
      if (kind === undefined) continue;
      if (kind === 'varint') throw new Malformed();
      if (kind === 'packable') for (let p = payload; p < at; ) p = readVarint(buf, p, at)[1];
      const body = typeof kind === 'object' ? message(buf, payload, at, kind) : buf.subarray(payload, at);
      append(out, len(field, body));
    } else if (wireType === 1 || wireType === 5) {
      at += wireType === 1 ? 8 : 4;
      if (at > end || kind !== undefined) throw new Malformed();
    } else {
      throw new Malformed();
    }
  }
  return out;
}

function append(out: number[], items: ArrayLike<number>): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}
