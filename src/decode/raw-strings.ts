import { ProfileError } from '../model/errors.js';
import type { F64List } from '../base/growable.js';
import { Interner } from '../base/interner.js';

// TextDecoder's defaults, as pprof-format decodes: bad UTF-8 becomes U+FFFD, a leading BOM is dropped.
const utf8 = new TextDecoder();

/**
 * The profile's string table, read straight from the wire bytes: each entry is decoded the
 * first time it is used, and interned once into the model's string list.
 */
export class RawStrings {
  readonly interner = new Interner(['']);
  /** Entries in the table; a profile without one reads as [''], as pprof-format does. */
  readonly length: number;
  private readonly buf: Uint8Array;
  private readonly offsets: Float64Array;
  private readonly ids: Int32Array;
  /** The whole table decoded at once when it is ASCII (the usual case), and where it starts. */
  private readonly ascii: string | null = null;
  private readonly asciiFrom: number = 0;

  constructor(buf: Uint8Array, offsets: F64List) {
    this.buf = buf;
    this.offsets = offsets.data;
    this.length = Math.max(1, offsets.length / 2);
    this.ids = new Int32Array(this.length).fill(-1);
    if (offsets.length === 0) this.ids[0] = 0;
    const span = asciiSpan(buf, this.offsets, offsets.length);
    if (span !== null) {
      // Byte offsets are character offsets in ASCII, so each entry is a cheap slice of one string.
      this.ascii = utf8.decode(buf.subarray(span[0], span[1]));
      this.asciiFrom = span[0];
    }
  }

  /** The model's string id for table entry `index`; `what` names the reference in errors. */
  id(index: number, what: string): number {
    const id = this.idOrMissing(index);
    if (id < 0) throw this.beyond(index, what);
    return id;
  }

  /** As `id`, but -1 when out of range: the hot path builds no error text up front. */
  idOrMissing(index: number): number {
    if (!(index < this.length)) return -1; // NaN (beyond 2^53) too
    let id = this.ids[index]!;
    if (id < 0) {
      id = this.interner.id(this.decode(index));
      this.ids[index] = id;
    }
    return id;
  }

  beyond(index: number, what: string): ProfileError {
    const entry = Number.isNaN(index) ? 'an index beyond 2^53' : `string ${index}`;
    return new ProfileError('malformed profile', `${what} refers to ${entry}, beyond the ${this.length}-entry string table`);
  }

  text(index: number, what: string): string {
    return this.interner.values[this.id(index, what)]!;
  }

  /** The first entry equal to `s` (ASCII), or -1: what `strings.indexOf(s)` gives on the decoded table. */
  indexOf(s: string): number {
    const bom = 3;
    for (let i = 0; 2 * i < this.offsets.length; i++) {
      const size = this.offsets[2 * i + 1]! - this.offsets[2 * i]!;
      if ((size === s.length || size === s.length + bom) && this.decode(i) === s) return i;
    }
    return -1;
  }

  private decode(index: number): string {
    const start = this.offsets[2 * index]!;
    const end = this.offsets[2 * index + 1]!;
    if (this.ascii !== null) return this.ascii.slice(start - this.asciiFrom, end - this.asciiFrom);
    return utf8.decode(this.buf.subarray(start, end));
  }
}

/** [first byte, end) of the bytes holding the entries, when every byte in it is ASCII. */
function asciiSpan(buf: Uint8Array, offsets: Float64Array, length: number): [number, number] | null {
  if (length === 0) return null;
  let from = Infinity;
  let to = 0;
  for (let i = 0; i < length; i += 2) {
    from = Math.min(from, offsets[i]!);
    to = Math.max(to, offsets[i + 1]!);
  }
  // Entries spread among other messages would make the span mostly not strings.
  if (to - from > 4 * totalSize(offsets, length)) return null;
  for (let i = from; i < to; i++) if (buf[i]! >= 0x80) return null;
  return [from, to];
}

function totalSize(offsets: Float64Array, length: number): number {
  let total = 0;
  for (let i = 0; i < length; i += 2) total += offsets[i + 1]! - offsets[i]!;
  return total;
}
