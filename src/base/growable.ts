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

/**
 * Ids (whole numbers ≥ 0, or NaN for one beyond 2^53) at 4 bytes each while they fit 32 bits,
 * as producers' ids do: half the memory of a Float64Array for the millions of location ids of a
 * big profile. The first id that does not fit widens the whole list to Float64.
 */
export class IdList {
  data: Uint32Array | Float64Array;
  length = 0;

  constructor(
    capacity = 16,
    private readonly limit = Infinity,
  ) {
    this.data = new Uint32Array(Math.max(16, Math.min(capacity, limit)));
  }

  /** Whether `value` can be stored as it is (else `push` it, which widens the list first). */
  fits(value: number): boolean {
    return value <= 0xffffffff || this.data instanceof Float64Array;
  }

  push(value: number): void {
    if (!this.fits(value)) this.widen();
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** Makes room for `extra` more values, so a hot loop can write to `data` directly. */
  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    this.data = this.copy(grownCapacity(this.data.length, this.length + extra, this.limit), this.data instanceof Float64Array);
  }

  private widen(): void {
    this.data = this.copy(this.data.length, true);
  }

  private copy(capacity: number, wide: boolean): Uint32Array | Float64Array {
    const next = wide ? new Float64Array(capacity) : new Uint32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    return next;
  }
}
