/** Append-only typed arrays that double as they fill, so decoding allocates no per-element objects. */

/** The one growth rule: double, but never past `limit` unless `needed` asks for more. */
export function grownCapacity(current: number, needed: number, limit: number): number {
  return Math.max(Math.min(current * 2, limit), needed);
}

export class U32List {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 16) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** Makes room for `extra` more values, so a hot loop can write to `data` directly. */
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Uint32Array(grownCapacity(this.data.length, this.length + extra, Infinity));
    next.set(this.data);
    this.data = next;
  }

  at(i: number): number {
    return this.data[i]!;
  }
}

export class F64List {
  data: Float64Array;
  length = 0;

  /** `limit`: doubling stops there, so a list kept within a budget never holds twice it. */
  constructor(
    capacity = 16,
    private readonly limit = Infinity,
  ) {
    this.data = new Float64Array(Math.max(16, Math.min(capacity, limit)));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** Makes room for `extra` more values, so a hot loop can write to `data` directly. */
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Float64Array(grownCapacity(this.data.length, this.length + extra, this.limit));
    next.set(this.data);
    this.data = next;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** The filled part as an exact-size array (a copy, so the spare capacity can be freed). */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
