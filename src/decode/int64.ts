import { ProfileError } from '../model/errors.js';

/**
 * The one checked conversion from the wire's 64-bit integers to `number`.
 * pprof-format hands out small varints as numbers and anything longer as an *unsigned* bigint,
 * so a negative int64 (a profile that is already a diff) arrives as 2^64 - n.
 */
export function int64ToNumber(value: number | bigint, what: string): number {
  if (typeof value === 'number') return value;
  return bigintToNumber(BigInt.asIntN(64, value), what);
}

/** For ids and indices, which are uint64 on the wire. */
export function uint64ToNumber(value: number | bigint, what: string): number {
  if (typeof value === 'number') return value;
  return bigintToNumber(BigInt.asUintN(64, value), what);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function bigintToNumber(value: bigint, what: string): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new ProfileError(
      'malformed profile',
      `${what} ${value} is beyond ±2^53 and cannot be represented exactly`,
    );
  }
  return Number(value);
}

/** Timestamps legitimately exceed 2^53 ns; they are kept as the nearest double on purpose. */
export function int64ToApproxNumber(value: number | bigint): number {
  return typeof value === 'number' ? value : Number(BigInt.asIntN(64, value));
}
