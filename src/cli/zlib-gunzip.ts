import { gunzipSync } from 'node:zlib';
import { tooLarge, truncated, type Gunzip } from '../decode/inflate.js';

/** node:zlib inflates ~4x faster than pako; maxOutputLength stops a gzip bomb mid-stream. */
export const zlibGunzip: Gunzip = (bytes, maxBytes) => {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'Z_BUF_ERROR') throw truncated();
    throw thrown;
  }
};
