import { ProfileError } from '../model/errors.js';

function parsing(detail: string): ProfileError {
  return new ProfileError('parsing profile', detail);
}

/**
 * A cursor over protobuf wire bytes. Every read is checked against `end`, the end of the message
 * being read, so a varint or a length running past it is a 'parsing profile' error, never a
 * read out of bounds. Varints follow Go's decoder: at most 10 bytes, bits beyond 64 dropped.
 */
export class WireReader {
  readonly buf: Uint8Array;
  pos = 0;
  end: number;
  /**
   * The last multi-byte varint's two 32-bit halves, kept as int32 (read them with >>> 0): a value
   * past 2^31 would be stored as a double, giving the reader a new shape that throws away the
   * optimised code of every loop using it (timestamps made the next profile's walk start cold).
   */
  private lo = 0;
  private hi = 0;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.end = buf.length;
  }

  /** A field's tag; the caller checked pos < end. Field numbers beyond 2^29 read as 2^29 - 1. */
  tag(): number {
    const b = this.buf[this.pos]!;
    if (b < 0x80) {
      this.pos++;
      return b;
    }
    this.long();
    return this.hi === 0 ? this.lo >>> 0 : (0xfffffff8 | (this.lo & 7)) >>> 0;
  }

  /** A uint64 as a number; NaN beyond 2^53 - 1, for the caller to report with `lastBig`. */
  uint(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.long();
    const hi = this.hi >>> 0;
    return hi <= 0x1fffff ? hi * 0x100000000 + (this.lo >>> 0) : NaN;
  }

  /** An int64 (two's complement) as a number; NaN beyond ±(2^53 - 1). */
  int(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.long();
    const hi = this.hi >>> 0;
    const lo = this.lo >>> 0;
    if (hi <= 0x1fffff) return hi * 0x100000000 + lo;
    // Negative: hi ≥ 2^32 - 2^21 keeps the magnitude within 2^53, except -2^53 itself.
    if (hi > 0xffe00000 || (hi === 0xffe00000 && lo !== 0)) return (hi - 0x100000000) * 0x100000000 + lo;
    return NaN;
  }

  /** An int64 as the nearest double (one rounding), for timestamps beyond 2^53 ns. */
  approxInt(): number {
    this.long();
    return this.hi * 0x100000000 + (this.lo >>> 0);
  }

  /** The last varint exactly, for an error message about a value `uint` or `int` refused. */
  lastBig(signed: boolean): bigint {
    const value = (BigInt(this.hi >>> 0) << 32n) | BigInt(this.lo >>> 0);
    return signed ? BigInt.asIntN(64, value) : value;
  }

  private long(): void {
    const { buf, end } = this;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (pos >= end) throw parsing('a varint runs past the end of its message');
      if (i === 10) throw parsing('a varint is longer than 10 bytes');
      const b = buf[pos++]!;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) break;
    }
    this.pos = pos;
    this.lo = lo | 0;
    this.hi = hi | 0;
  }

  /** Reads a length prefix and narrows `end` to that field; returns the outer end for `leave`. */
  enter(): number {
    const length = this.uint();
    const outer = this.end;
    if (!(length <= outer - this.pos)) {
      throw parsing(`a field of ${Number.isNaN(length) ? this.lastBig(false) : length} bytes runs past the end of its message`);
    }
    this.end = this.pos + length;
    return outer;
  }

  leave(outer: number): void {
    this.end = outer;
  }

  /**
   * Skips a field the model does not read. `known` has bit n set for the message's field n:
   * a known field with an unexpected wire type is refused, as Go's decoder does.
   */
  skip(tag: number, known: number, message: string): void {
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field < 32 && ((known >>> field) & 1) !== 0) {
      throw parsing(`${message} field ${field} has wire type ${wireType}, which profile.proto does not allow`);
    }
    switch (wireType) {
      case 0:
        this.long();
        return;
      case 1:
        return this.advance(8);
      case 2: {
        const outer = this.enter();
        this.pos = this.end;
        return this.leave(outer);
      }
      case 5:
        return this.advance(4);
      default:
        throw parsing(`${message} field ${field} has wire type ${wireType}, which profile.proto does not use`);
    }
  }

  private advance(bytes: number): void {
    if (this.end - this.pos < bytes) throw parsing('a fixed-size field runs past the end of its message');
    this.pos += bytes;
  }
}
