import { appendFile, readFile } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-write.js';
import { tooLarge, truncated, type Gunzip } from '../decode/gunzip.js';
import type { Io } from './io.js';

/** node:zlib inflates ~4x faster than pako; maxOutputLength stops a gzip bomb mid-stream. */
const zlibGunzip: Gunzip = (bytes, maxBytes) => {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'Z_BUF_ERROR') throw truncated();
    throw thrown;
  }
};

export function nodeIo(): Io {
  return {
    readFile: async (path) => new Uint8Array(await readFile(path)),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    gunzip: zlibGunzip,
    gzip: (bytes) => new Uint8Array(gzipSync(bytes)),
    writeFileAtomic,
    appendFile: (path, text) => appendFile(path, text),
  };
}
