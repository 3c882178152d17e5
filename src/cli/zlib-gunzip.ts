import { gunzip, gunzipSync, type ZlibOptions } from 'node:zlib';
import { ownBytes, tooLarge, truncated, type Gunzip } from '../decode/inflate.js';
import type { Inflated } from './io.js';

/** node:zlib inflates ~4x faster than pako; maxOutputLength stops a gzip bomb mid-stream. */
export const zlibGunzip: Gunzip = ownBytes((bytes: Uint8Array, maxBytes: number): Uint8Array => {
  try {
    return gunzipSync(bytes, options(bytes, maxBytes));
  } catch (thrown) {
    throw gunzipError(thrown, maxBytes);
  }
});

/**
 * zlibGunzip on libuv's thread pool: the same options, and a failure as the error zlibGunzip
 * would throw (node:zlib fails alike either way: its codes and messages are the stream's).
 */
export function zlibGunzipAside(bytes: Uint8Array, maxBytes: number): Promise<Inflated> {
  return new Promise((resolve) => {
    gunzip(bytes, options(bytes, maxBytes), (error, inflated) => resolve(error ? { error: gunzipError(error, maxBytes) } : { bytes: inflated }));
  });
}

function options(bytes: Uint8Array, maxBytes: number): ZlibOptions {
  const chunkSize = wholeChunk(bytes, maxBytes);
  return chunkSize === undefined ? { maxOutputLength: maxBytes } : { maxOutputLength: maxBytes, chunkSize };
}

/** What zlibGunzip throws for an error of node:zlib's. */
export function gunzipError(thrown: unknown, maxBytes: number): unknown {
  const code = (thrown as NodeJS.ErrnoException).code;
  if (code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'Z_BUF_ERROR') return truncated();
  return thrown;
}

/** Chunks past this are not worth asking for on a trailer's word alone. */
const MAX_CHUNK = 1 << 30;

/**
 * gzip's trailer ends with the inflated size (mod 2^32) of its last member. With one chunk one
 * byte larger, zlib writes the whole profile into a single buffer, instead of 16 kB chunks that
 * are copied together at the end (twice the profile in memory at that moment). A trailer that
 * lies costs only a larger first chunk (pages never written are never resident), or the usual
 * chunks when it says too little; maxOutputLength still bounds what is inflated.
 */
export function wholeChunk(bytes: Uint8Array, maxBytes: number): number | undefined {
  const size = claimedSize(bytes);
  if (size === undefined) return undefined;
  const chunk = Math.min(size + 1, maxBytes + 1, MAX_CHUNK);
  return chunk > 16 * 1024 ? chunk : undefined;
}

/** The inflated size (mod 2^32) gzip's trailer claims, if there can be one. */
export function claimedSize(bytes: Uint8Array): number | undefined {
  const n = bytes.length;
  if (n < 18) return undefined;
  return (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
}
