import { fstatSync, readdir, stat } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { setFlagsFromString } from 'node:v8';
import { gzipSync } from 'node:zlib';
import { DecodePool } from './decode-thread.js';
import { readLocalFile } from './read-local.js';
import type { Io } from './io.js';
import { zlibGunzip } from './zlib-gunzip.js';

// --focus/--ignore/--hide and list's regex match untrusted names: let them use V8's linear-time
// engine (analysis/filters.ts asks for it with the `l` flag, and falls back without it).
setFlagsFromString('--enable-experimental-regexp-engine');

/** Files matching `pattern` under `cwd`, named relative to it (absolute for an absolute pattern). */
export async function globFiles(pattern: string, cwd: string): Promise<string[]> {
  // Loaded on first use: most runs name plain files, and start-up is part of every run.
  const { glob } = await import('tinyglobby');
  return glob(pattern, { cwd, absolute: isAbsolute(pattern), onlyFiles: true, expandDirectories: false });
}

/**
 * Writes to `stream` until its reader goes away (`heapdiff … | head` closes the pipe early), then
 * drops the rest quietly, as cat does: the run still finishes, so gates and their exit code stand,
 * and a broken pipe is never a stack trace. Other write errors stay errors.
 */
export function writerUntilClosed(stream: Writable): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => void (closed || stream.write(text));
}

/** One guard for the process's stdout, made on its first write (tests make many Io objects). */
let stdoutWriter: ((text: string) => void) | undefined;

/** The decode helper threads' entry script, and one of them already started (bin/ starts it early). */
export interface HelperThreads {
  readonly script?: URL;
  readonly started?: Worker | undefined;
}

// What every run does goes through node:fs's callbacks; node:fs/promises (~2 ms to load, with
// what it loads) and the atomic writer load when first used, as start-up is part of every run.
const fsPromises = () => import('node:fs/promises');

export function nodeIo(threads: HelperThreads = {}): Io {
  // One helper per core: sets of profiles decode on all of them while this thread aggregates.
  const decodePool = new DecodePool(threads.script, threads.started);
  return {
    readFile: readLocalFile,
    stdout: (text) => (stdoutWriter ??= writerUntilClosed(process.stdout))(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: isTerminal(1),
    cwd: process.cwd(),
    gunzip: zlibGunzip,
    decodeOffThread: (bytes, maxBytes, onProgress) => decodePool.tryDecode(bytes, maxBytes, onProgress),
    offThreadLanes: () => decodePool.size,
    stopOffThread: () => decodePool.stop(),
    gzip: (bytes) => new Uint8Array(gzipSync(bytes)),
    writeFileAtomic: async (path, data) => (await import('./atomic-write.js')).writeFileAtomic(path, data),
    appendFile: async (path, text) => (await fsPromises()).appendFile(path, text),
    stderrIsTTY: isTerminal(2),
    fetch: (url, init) => fetch(url, init),
    listDir: (path) => new Promise((resolve, reject) => readdir(path, (e, names) => (e ? reject(e) : resolve(names)))),
    glob: (pattern) => globFiles(pattern, process.cwd()),
    isDirectory: (path) => new Promise((resolve) => stat(path, (e, info) => resolve(!e && info.isDirectory()))),
    makeDir: async (path) => void (await (await fsPromises()).mkdir(path, { recursive: true })),
    interrupts,
  };
}

/**
 * Whether fd 1 or 2 is a terminal, without making process.stdout or process.stderr when it
 * cannot be: a pipe's stream loads node:net (~2 ms), and most runs write nothing to stderr.
 */
function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
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
