import { Inflate, Z_BUF_ERROR } from 'pako';
import { ProfileError, describeThrown } from '../model/errors.js';

/** Inflates gzip bytes, refusing output beyond `maxBytes` while inflating (a gzip bomb never lands). */
export type Gunzip = (bytes: Uint8Array, maxBytes: number) => Uint8Array;

export const DEFAULT_MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Portable gunzip (browsers, workers); the CLI injects node:zlib, which is ~4x faster. */
export const pakoGunzip: Gunzip = (bytes, maxBytes) => {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const inflater = new Inflate();
  inflater.onData = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > maxBytes) overflow = true;
    else chunks.push(chunk);
  };
  // Feed in slices so an oversized stream is stopped early instead of inflated whole.
  const step = 1 << 16;
  for (let offset = 0; offset < bytes.length && !overflow; offset += step) {
    const end = Math.min(bytes.length, offset + step);
    inflater.push(bytes.subarray(offset, end), end === bytes.length);
    if (inflater.err) break;
  }
  if (overflow) throw tooLarge(maxBytes);
  // Z_BUF_ERROR at the end means the stream stopped before its end marker.
  if (inflater.err === Z_BUF_ERROR) throw truncated();
  if (inflater.err) throw new ProfileError('decompressing profile', inflater.msg || `zlib error ${inflater.err}`);
  if (!inflater.ended) throw truncated();
  return concat(chunks, total);
};

export function truncated(): ProfileError {
  return new ProfileError('decompressing profile', 'unexpected end of gzip data (truncated file?)');
}

export function tooLarge(maxBytes: number): ProfileError {
  return new ProfileError(
    'decompressing profile',
    `inflates to more than ${maxBytes} bytes (raise --max-profile-size if this is genuine)`,
  );
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function wrapGunzipError(thrown: unknown): ProfileError {
  return thrown instanceof ProfileError ? thrown : new ProfileError('decompressing profile', describeThrown(thrown));
}
