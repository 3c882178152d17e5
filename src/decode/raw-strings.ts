import { ProfileError } from '../model/errors.js';
import type { F64List } from '../base/growable.js';

// TextDecoder's defaults, as pprof-format decodes: bad UTF-8 becomes U+FFFD, a leading BOM is dropped.
const utf8 = new TextDecoder();

/**
 * The profile's string table, read straight from the wire bytes: each entry is decoded the
 * first time it is used, and interned once into the model's string list.
 */
export class RawStrings {
  /** The model's strings: '' first, then each distinct one in the order first used. */
  values: string[] = [''];
  /** Entries in the table; a profile without one reads as [''], as pprof-format does. */
  readonly length: number;
  private readonly buf: Uint8Array;
  private readonly offsets: Float64Array;
  private readonly ids: Int32Array;
  /** Whether the table is ASCII (the usual case), and where it starts and ends. */
  private readonly ascii: boolean = false;
  private readonly asciiFrom: number = 0;
  private readonly asciiTo: number = 0;
  /**
   * An ASCII table decoded at once, once a few entries decoded one by one show that more will
   * be: when the kernel (wasm-walk.ts) has interned the strings, a handful is left to decode here.
   */
  private asciiText: string | null = null;
  private decodes = 0;
  /** indexOf's answer for a few strings, from the kernel (adopt). */
  private found: ReadonlyMap<string, number> = new Map();
  /**
   * ASCII tables: entries are told equal by their bytes, in this open-addressing table (entry
   * index + 1 per slot, 0 empty), which costs a fraction of a Map of ten thousands of strings.
   * It starts small and grows as it fills: when the kernel interns the strings, it holds a handful.
   */
  private slots: Int32Array = new Int32Array(0);
  private slotsFilled = 0;
  /** Strings by text: those not from the table (unsymbolized names), and all of a non-ASCII table. */
  private readonly others = new Map<string, number>([['', 0]]);

  /** `span`: the entries' first start, last end, total size, and 1 if known ASCII (RawProfile.stringSpan). */
  constructor(buf: Uint8Array, offsets: F64List, span: Float64Array) {
    this.buf = buf;
    this.offsets = offsets.data;
    this.length = Math.max(1, offsets.length / 2);
    this.ids = new Int32Array(this.length).fill(-1);
    if (offsets.length === 0) this.ids[0] = 0;
    const [from, to, size, ascii] = span as unknown as [number, number, number, number];
    // Entries spread among other messages would make the span mostly not strings.
    if (offsets.length > 0 && to - from <= 4 * size && (ascii === 1 || isAscii(buf, from, to))) {
      // Byte offsets are character offsets in ASCII, so each entry is a cheap slice of one string.
      this.ascii = true;
      this.asciiFrom = from;
      this.asciiTo = to;
      this.slots = new Int32Array(1024);
    }
  }

  /** Each entry's model string id so far (-1: none yet), for the kernel to go on from (wasm-walk.ts). */
  assigned(): Int32Array {
    return this.ids;
  }

  /**
   * Takes over what the kernel interned: `ids`, each entry's string id (every entry equal to a
   * named one has its id), `texts`, the new strings, in id order, and `found`, what indexOf
   * answers for some strings (the kernel found them as it went).
   */
  adopt(ids: Int32Array, texts: string[], found: ReadonlyMap<string, number>): void {
    this.found = found;
    this.ids.set(ids);
    if (!this.ascii) for (let i = 0; i < texts.length; i++) this.others.set(texts[i]!, this.values.length + i);
    // Into the kernel's array (`texts` is taken over), the model's few strings so far put in front:
    // one copy, which leaves room for the few resolved after it (a period type's, say), where a
    // copy of the final size is copied again, 1.5 times as large, for the first of them. Many in
    // front (a profile of many mappings) would be too many arguments: a copy then.
    if (this.values.length <= 1024) {
      texts.unshift(...this.values);
      this.values = texts;
    } else this.values = this.values.concat(texts);
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
      id = this.ascii ? this.asciiId(index) : this.textId(this.decode(index));
      this.ids[index] = id;
    }
    return id;
  }

  /** The model's string id for any text, the table's entries included. */
  textId(text: string): number {
    let id = this.others.get(text);
    if (id === undefined) {
      const entry = this.ascii ? this.entryEqualTo(text) : -1;
      id = entry >= 0 ? this.idOrMissing(entry) : this.add(text);
      this.others.set(text, id);
    }
    return id;
  }

  /** A new model string. */
  private add(text: string): number {
    this.values.push(text);
    return this.values.length - 1;
  }

  /** The id of an ASCII table's entry, told equal to the entries before it by their bytes. */
  private asciiId(index: number): number {
    const { buf, offsets, slots } = this;
    const start = offsets[2 * index]!;
    const end = offsets[2 * index + 1]!;
    const mask = slots.length - 1;
    for (let slot = hashBytes(buf, start, end) & mask; ; slot = (slot + 1) & mask) {
      const other = slots[slot]! - 1;
      if (other < 0) {
        slots[slot] = index + 1;
        if (2 * ++this.slotsFilled > slots.length) this.growSlots();
        // Not seen among the entries: maybe among the other strings ('' and unsymbolized names).
        const text = this.decode(index);
        return this.others.size > 1 || end === start ? this.textOrNew(text) : this.add(text);
      }
      if (sameBytes(buf, start, end, offsets[2 * other]!, offsets[2 * other + 1]!)) return this.ids[other]!;
    }
  }

  /** Four times the slots, every entry in them placed again. */
  private growSlots(): void {
    const { buf, offsets, slots: old } = this;
    const slots = new Int32Array(4 * old.length);
    const mask = slots.length - 1;
    for (const entry of old) {
      if (entry === 0) continue;
      let slot = hashBytes(buf, offsets[2 * entry - 2]!, offsets[2 * entry - 1]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.slots = slots;
  }

  private textOrNew(text: string): number {
    const id = this.others.get(text);
    return id === undefined ? this.add(text) : id;
  }

  /** An entry of the ASCII table already interned whose text is `text`, or -1. */
  private entryEqualTo(text: string): number {
    const { buf, offsets, slots } = this;
    const mask = slots.length - 1;
    for (let slot = hashText(text) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]! - 1;
      if (entry < 0) return -1;
      const start = offsets[2 * entry]!;
      if (offsets[2 * entry + 1]! - start === text.length && sameText(buf, start, text)) return entry;
    }
  }

  beyond(index: number, what: string): ProfileError {
    const entry = Number.isNaN(index) ? 'an index beyond 2^53' : `string ${index}`;
    return new ProfileError('malformed profile', `${what} refers to ${entry}, beyond the ${this.length}-entry string table`);
  }

  text(index: number, what: string): string {
    return this.values[this.id(index, what)]!;
  }

  /** The first entry equal to `s` (ASCII), or -1: what `strings.indexOf(s)` gives on the decoded table. */
  indexOf(s: string): number {
    const found = this.found.get(s);
    if (found !== undefined) return found;
    if (this.ascii) return this.asciiIndexOf(s);
    const bom = 3;
    for (let i = 0; 2 * i < this.offsets.length; i++) {
      const size = this.offsets[2 * i + 1]! - this.offsets[2 * i]!;
      if ((size === s.length || size === s.length + bom) && this.decode(i) === s) return i;
    }
    return -1;
  }

  /**
   * indexOf by searching the decoded table's text, not looping over every entry: entries start
   * at increasing offsets (the walk reads them in order), so the first occurrence that is a whole
   * entry is the first entry equal to `s`.
   */
  private asciiIndexOf(s: string): number {
    if (this.asciiText === null) {
      // Not decoded (the kernel decoded what it interned): entry by entry, by size, then bytes.
      const { buf, offsets } = this;
      for (let i = 0; i < this.length; i++) {
        const start = offsets[2 * i]!;
        if (offsets[2 * i + 1]! - start === s.length && sameText(buf, start, s)) return i;
      }
      return -1;
    }
    const text = this.asciiText;
    const starts = this.offsets;
    for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
      const start = at + this.asciiFrom;
      let lo = 0;
      let hi = this.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[2 * mid]! < start) lo = mid + 1;
        else hi = mid;
      }
      if (starts[2 * lo] === start && starts[2 * lo + 1] === start + s.length) return lo;
    }
    return -1;
  }

  private decode(index: number): string {
    const start = this.offsets[2 * index]!;
    const end = this.offsets[2 * index + 1]!;
    if (this.ascii && (this.asciiText !== null || ++this.decodes > 64)) return this.tableText().slice(start - this.asciiFrom, end - this.asciiFrom);
    return utf8.decode(this.buf.subarray(start, end));
  }

  private tableText(): string {
    this.asciiText ??= utf8.decode(this.buf.subarray(this.asciiFrom, this.asciiTo));
    return this.asciiText;
  }
}

/** Whether buf[from..to) is all ASCII: four bytes at a time, as this is most of a profile's strings. */
function isAscii(buf: Uint8Array, from: number, to: number): boolean {
  let i = from;
  while (i < to && ((buf.byteOffset + i) & 3) !== 0) if (buf[i++]! >= 0x80) return false;
  if (i >= to) return true;
  const words = new Uint32Array(buf.buffer, buf.byteOffset + i, (to - i) >>> 2);
  if ((orOf(words) & 0x80808080) !== 0) return false;
  for (i += 4 * words.length; i < to; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

/** All the words or-ed together: a loop alone in its function (wire-decoder.ts locateStacks). */
function orOf(words: Uint32Array): number {
  let or = 0;
  for (let w = 0; w < words.length; w++) or |= words[w]!;
  return or;
}

/** FNV-1a over bytes; hashText gives the same for the same ASCII text. */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let p = start; p < end; p++) h = Math.imul(h ^ buf[p]!, 0x01000193);
  return h >>> 0;
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sameBytes(buf: Uint8Array, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let p = start, q = otherStart; p < end; p++, q++) if (buf[p] !== buf[q]) return false;
  return true;
}

function sameText(buf: Uint8Array, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}
