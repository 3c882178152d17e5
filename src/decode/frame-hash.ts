import { hashInts } from '../base/hash.js';
import type { FrameTable } from '../model/profile.js';

/**
 * Interns frames by their five numbers (name and file string ids, line, start line, inlined) in an
 * open-addressing hash table over typed arrays: no key string or object per frame, which is
 * what made interning ~45,000 frames of a big service cost more than walking its samples.
 */
export class FrameHash {
  count = 0;
  private name: Int32Array;
  private file: Int32Array;
  private line: Int32Array;
  private startLine: Int32Array;
  private inlined: Uint8Array;
  /** Frame id + 1 per slot; 0 is empty. Kept at most half full. */
  private slots: Int32Array;

  constructor(expected: number) {
    const capacity = Math.max(16, expected);
    this.name = new Int32Array(capacity);
    this.file = new Int32Array(capacity);
    this.line = new Int32Array(capacity);
    this.startLine = new Int32Array(capacity);
    this.inlined = new Uint8Array(capacity);
    this.slots = new Int32Array(tableSize(capacity));
  }

  /** `inlined` is 1 for a Line other than its location's last (an inlined call), else 0. */
  intern(name: number, file: number, line: number, startLine: number, inlined = 0): number {
    const mask = this.slots.length - 1;
    for (let slot = hashInts(name, file, line, startLine + inlined * 0x40000000) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) return this.add(slot, name, file, line, startLine, inlined);
      // All five compared every time (no &&): a first match late in a decode then finds the
      // loads already compiled, instead of deoptimising the decoder's loop it was inlined into.
      if (((this.name[id]! ^ name) | (this.file[id]! ^ file) | (this.line[id]! ^ line) | (this.startLine[id]! ^ startLine) | (this.inlined[id]! ^ inlined)) === 0) {
        return id;
      }
    }
  }

  finish(): FrameTable {
    const n = this.count;
    return {
      count: n,
      name: this.name.slice(0, n),
      file: this.file.slice(0, n),
      line: this.line.slice(0, n),
      startLine: this.startLine.slice(0, n),
      inlined: this.inlined.slice(0, n),
    };
  }

  private add(slot: number, name: number, file: number, line: number, startLine: number, inlined: number): number {
    const id = this.count++;
    if (id === this.name.length) this.growColumns();
    this.name[id] = name;
    this.file[id] = file;
    this.line[id] = line;
    this.startLine[id] = startLine;
    this.inlined[id] = inlined;
    this.slots[slot] = id + 1;
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  private growColumns(): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(a.length * 2);
      next.set(a);
      return next;
    };
    this.name = grow(this.name);
    this.file = grow(this.file);
    this.line = grow(this.line);
    this.startLine = grow(this.startLine);
    this.inlined = grow(this.inlined);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = hashInts(this.name[id]!, this.file[id]!, this.line[id]!, this.startLine[id]! + this.inlined[id]! * 0x40000000) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

function tableSize(capacity: number): number {
  let size = 32;
  while (size < 2 * capacity) size *= 2;
  return size;
}
