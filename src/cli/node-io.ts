import { appendFile, mkdir, readdir } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { writeFileAtomic } from './atomic-write.js';
import { DecodeThread } from './decode-thread.js';
import { readLocalFile } from './read-local.js';
import type { Io } from './io.js';
import { zlibGunzip } from './zlib-gunzip.js';

// --focus/--ignore/--hide and list's regex match untrusted names: let them use V8's linear-time
// engine (analysis/filters.ts asks for it with the `l` flag, and falls back without it).
setFlagsFromString('--enable-experimental-regexp-engine');

export function nodeIo(): Io {
  const decodeThread = new DecodeThread();
  return {
    readFile: readLocalFile,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    gunzip: zlibGunzip,
    decodeOffThread: (bytes, maxBytes, onProgress) => decodeThread.tryDecode(bytes, maxBytes, onProgress),
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
