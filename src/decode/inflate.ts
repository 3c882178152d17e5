import { ProfileError, describeThrown } from '../model/errors.js';

/**
 * What every inflater shares, without one: the CLI injects node:zlib and must not load pako
 * (gunzip.ts) just for these.
 */

/** Inflates gzip bytes, refusing output beyond `maxBytes` while inflating (a gzip bomb never lands). */
export type Gunzip = (bytes: Uint8Array, maxBytes: number) => Uint8Array;

export const DEFAULT_MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

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
