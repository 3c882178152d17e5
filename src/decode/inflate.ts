import { ProfileError, describeThrown } from '../model/errors.js';

/**
 * What every inflater shares, without one: the CLI injects node:zlib and must not load pako
 * (gunzip.ts) just for these.
 */

/**
 * Inflates gzip bytes, refusing output beyond `maxBytes` while inflating (a gzip bomb never lands).
 * The bytes it returns stay the inflater's (a caller's may keep them: a cache, a buffer it reuses),
 * unless it is one of ours that makes them afresh for each call (ownBytes).
 */
export type Gunzip = (bytes: Uint8Array, maxBytes: number) => Uint8Array;

/** Inflaters that return bytes nobody else holds, made for that call: the decoder may write over them. */
const owning = new WeakSet<Gunzip>();

/** Marks `gunzip` as one that returns bytes of its own making (pako's, node:zlib's), for the decoder to take over once read. */
export function ownBytes<G extends Gunzip>(gunzip: G): G {
  owning.add(gunzip);
  return gunzip;
}

/** Whether what `gunzip` returns is the decoder's to write over (ownBytes); never for a caller's own inflater. */
export function givesOwnBytes(gunzip: Gunzip): boolean {
  return owning.has(gunzip);
}

/** The default `maxBytes`: 1 GiB, the most a profile may inflate to (and its decoded tables take). */
export const DEFAULT_MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

/** Whether `bytes` start with gzip's magic number (1f 8b): how parseProfile tells gzipped input from raw. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function truncated(): ProfileError {
  return new ProfileError('decompressing profile', 'unexpected end of gzip data (truncated file?)');
}

export function tooLarge(maxBytes: number): ProfileError {
  return new ProfileError(
    'decompressing profile',
    `inflates to more than ${maxBytes} bytes (raise the maxBytes option if this is genuine)`,
  );
}

export function wrapGunzipError(thrown: unknown): ProfileError {
  return thrown instanceof ProfileError ? thrown : new ProfileError('decompressing profile', describeThrown(thrown));
}
