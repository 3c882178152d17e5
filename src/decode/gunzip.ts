import { Inflate, Z_BUF_ERROR } from 'pako';
import { ProfileError } from '../model/errors.js';
import { concatBytes } from './concat.js';
import { ownBytes, tooLarge, truncated, type Gunzip } from './inflate.js';

// The library's index exports these from here.
export { DEFAULT_MAX_PROFILE_BYTES, isGzip, type Gunzip } from './inflate.js';

/** Portable gunzip (browsers, workers); the CLI injects node:zlib, which is ~4x faster. */
export const pakoGunzip: Gunzip = ownBytes((bytes: Uint8Array, maxBytes: number): Uint8Array => {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const inflaterOf = () => {
    const inflater = new Inflate();
    inflater.onData = (chunk: Uint8Array) => {
      total += chunk.length;
      if (total > maxBytes) overflow = true;
      else chunks.push(chunk);
    };
    return inflater;
  };
  let inflater = inflaterOf();
  // Feed in slices so an oversized stream is stopped early instead of inflated whole.
  const step = 1 << 16;
  for (let offset = 0; offset < bytes.length && !overflow; offset += step) {
    const end = Math.min(bytes.length, offset + step);
    inflater.push(bytes.subarray(offset, end), end === bytes.length);
    if (inflater.err) break;
    // pako goes on to a concatenated gzip's next member within a slice, but ends where a member
    // ends with its slice: the next one, as pako would take it there, gets an inflater of its own.
    if (inflater.ended && end < bytes.length && bytes[end] !== 0) inflater = inflaterOf();
  }
  if (overflow) throw tooLarge(maxBytes);
  // Z_BUF_ERROR at the end means the stream stopped before its end marker.
  if (inflater.err === Z_BUF_ERROR) throw truncated();
  if (inflater.err) throw new ProfileError('decompressing profile', inflater.msg || `zlib error ${inflater.err}`);
  if (!inflater.ended) throw truncated();
  return concatBytes(chunks, total);
});
