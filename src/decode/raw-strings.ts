import { ProfileError } from '../model/errors.js';
import type { F64List } from './growable.js';
import { StringInterner } from './interner.js';

// TextDecoder's defaults, as pprof-format decodes: bad UTF-8 becomes U+FFFD, a leading BOM is dropped.
const utf8 = new TextDecoder();

/**
 * The profile's string table, read straight from the wire bytes: each entry is decoded the
 * first time it is used, and interned once into the model's string list.
 */
export class RawStrings {
  readonly interner = new StringInterner();
  /** Entries in the table; a profile without one reads as [''], as pprof-format does. */
  readonly length: number;
  private readonly buf: Uint8Array;
  private readonly offsets: Float64Array;
  private readonly ids: Int32Array;

  constructor(buf: Uint8Array, offsets: F64List) {
    this.buf = buf;
    this.offsets = offsets.data;
    this.length = Math.max(1, offsets.length / 2);
    this.ids = new Int32Array(this.length).fill(-1);
    if (offsets.length === 0) this.ids[0] = 0;
  }

  /** The model's string id for table entry `index`; `what` names the reference in errors. */
  id(index: number, what: string): number {
    if (!(index < this.length)) {
      const entry = Number.isNaN(index) ? 'an index beyond 2^53' : `string ${index}`;
      throw new ProfileError('malformed profile', `${what} refers to ${entry}, beyond the ${this.length}-entry string table`);
    }
    let id = this.ids[index]!;
    if (id < 0) {
      id = this.interner.intern(this.decode(index));
      this.ids[index] = id;
    }
    return id;
  }

  text(index: number, what: string): string {
    return this.interner.strings[this.id(index, what)]!;
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
    return utf8.decode(this.buf.subarray(start, end));
  }
}
