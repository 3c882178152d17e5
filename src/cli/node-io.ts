import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
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
    stderrIsTTY: Boolean(process.stderr.isTTY),
    fetch: (url, init) => fetch(url, init),
    listDir: (path) => readdir(path),
    makeDir: async (path) => void (await mkdir(path, { recursive: true })),
    interrupts,
  };
}

let interrupted: AbortController | undefined;

/** `once`: after the first Ctrl-C the default handler is back, so a second one exits at once. */
function interrupts(): AbortSignal {
  if (!interrupted) {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    interrupted = controller;
  }
  return interrupted.signal;
}
