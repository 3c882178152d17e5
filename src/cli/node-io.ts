import { fstatSync, readdir, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { DecodePool } from './decode-thread.js';
import { readLocalFile } from './read-local.js';
import type { Inflated, Io } from './io.js';
import { gunzipError, zlibGunzip, zlibGunzipAside } from './zlib-gunzip.js';
import { allowKernels, useBase64Decoder } from '../wasm/instantiate.js';
import { nodeBase64 } from './node-base64.js';

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

/**
 * The decode helper threads' entry script, one of them already started (bin/ starts it early),
 * and the file that one decodes at once.
 */
export interface HelperThreads {
  readonly script?: URL;
  readonly started?: Worker | undefined;
  readonly early?: string | undefined;
}

/** A file bin/ read, and inflates (for `maxBytes`), before the CLI loaded. */
export interface InflatingEarly {
  readonly path: string;
  readonly maxBytes: number;
  readonly bytes: Uint8Array;
  readonly inflated: Promise<{ readonly bytes: Uint8Array } | { readonly error: unknown }>;
}

/** How bin/ runs the CLI: its helper threads, and whether the engine may be tuned to the input. */
export interface NodeIoOptions extends HelperThreads {
  /**
   * Lets a run of small inputs turn V8's optimizing compiler off (Engine.inputBytes). Only bin/
   * asks: the code-cache warm-up must leave V8's flags as a run finds them (a cache made under
   * other flags is refused), and a test process would stay unoptimised for all its later tests.
   * 'without-flags': the warm-up's (scripts/code-cache.mjs), tuned as a run is but setting no V8
   * flag, so that the cache also holds the small-input path (the kernels' JavaScript).
   */
  readonly tuneEngine?: boolean | 'without-flags';
  /** The first input, read and inflating on libuv's pool since bin/ started (load-bundle.js's startInflate). */
  readonly inflating?: InflatingEarly | undefined;
}

/**
 * Compressed input up to this size decodes and reports faster without TurboFan (medians on the
 * busy 2-core box): on the bundled Go pair (9 kB) it compiled the decoder's loops in ~20 ms of
 * CPU on the other core, after they had run, and walking heap-08 took 8.9 ms with it against
 * 1.2 ms without; a pair of 59 kB profiles ran 245 ms with it and 163 ms without. A trend of
 * 16 × 59 kB was about even, and a 1.4 MB profile decodes 2-3× faster with it. Such a run
 * also leaves the WebAssembly kernels out (allowKernels), for the same reason.
 */
export const SMALL_INPUT_BYTES = 256 << 10;

/** Sets V8 flags, loading node:v8 (and what it loads) only in a run that sets one. */
async function setV8Flag(flag: string): Promise<void> {
  (await import('node:v8')).setFlagsFromString(flag);
}

let linearRegexOn = false;

/**
 * --focus/--ignore/--hide and list's and peek's regex match untrusted names: let them use V8's
 * linear-time engine (analysis/filters.ts asks for it with the `l` flag, and falls back without it).
 */
async function linearRegex(): Promise<void> {
  if (linearRegexOn) return;
  linearRegexOn = true;
  await setV8Flag('--enable-experimental-regexp-engine');
}

let tuned = false;

/** The first batch a run decodes decides, for the whole run (a flag is not set back). */
async function tuneToInput(bytes: number, setFlags: boolean): Promise<void> {
  if (tuned) return;
  tuned = true;
  if (bytes > SMALL_INPUT_BYTES) return;
  // No WebAssembly kernels: their JavaScript, in the interpreter and Sparkplug's baseline code
  // (--max-opt=1), which compiles as it goes.
  allowKernels(false);
  if (setFlags) await setV8Flag('--max-opt=1');
}

// What every run does goes through node:fs's callbacks; node:fs/promises (~2 ms to load, with
// what it loads) and the atomic writer load when first used, as start-up is part of every run.
const fsPromises = () => import('node:fs/promises');

export function nodeIo(threads: NodeIoOptions = {}): Io {
  useBase64Decoder(nodeBase64);
  // One helper per core: sets of profiles decode on all of them while this thread aggregates.
  const decodePool = new DecodePool(threads.script, threads.started, undefined, threads.early);
  const setFlags = threads.tuneEngine === true;
  // The file bin/ read is this run's when first read by that path, within the same size cap;
  // load.ts then finds its inflated bytes by those it read (inflatedEarly).
  let early = threads.inflating;
  const inflatedEarly = new WeakMap<Uint8Array, Promise<Inflated>>();
  const claimEarly = (path: string, maxBytes: number): Uint8Array | undefined => {
    if (early === undefined || path !== early.path || maxBytes !== early.maxBytes) return undefined;
    const { bytes, inflated } = early;
    early = undefined;
    const claimed = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    inflatedEarly.set(claimed, inflated.then((result) => ('error' in result ? { error: gunzipError(result.error, maxBytes) } : result)));
    return claimed;
  };
  return {
    readFile: async (path, limits) => claimEarly(path, limits.maxBytes) ?? readLocalFile(path, limits),
    stdout: (text) => (stdoutWriter ??= writerUntilClosed(process.stdout))(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: isTerminal(1),
    cwd: process.cwd(),
    gunzip: zlibGunzip,
    inflateAside: zlibGunzipAside,
    inflatedEarly: (bytes) => inflatedEarly.get(bytes),
    decodeOffThread: (bytes, maxBytes, onProgress, side, handOver) => decodePool.tryDecode(bytes, maxBytes, onProgress, side, handOver),
    decodeEarly: (path, maxBytes, side) => decodePool.tryDecodeEarly(path, maxBytes, side),
    offThreadLanes: () => decodePool.size,
    stopOffThread: () => decodePool.stop(),
    gzip: (bytes) => new Uint8Array(gzipSync(bytes)),
    writeFileAtomic: async (path, data) => (await import('./atomic-write.js')).writeFileAtomic(path, data),
    appendFile: async (path, text) => (await fsPromises()).appendFile(path, text),
    stderrIsTTY: isTerminal(2),
    fetch: (url, init) => fetch(url, init),
    listDir: (path) => new Promise((resolve, reject) => readdir(path, (e, names) => (e ? reject(e) : resolve(names)))),
    glob: (pattern) => globFiles(pattern, process.cwd()),
    // Blocking, as a small file is read (read-local.ts): a thread-pool round trip costs more than a stat.
    isDirectory: async (path) => isDirectorySync(path),
    makeDir: async (path) => void (await (await fsPromises()).mkdir(path, { recursive: true })),
    interrupts,
    linearRegex,
    ...(threads.tuneEngine ? { inputBytes: (bytes: number) => tuneToInput(bytes, setFlags) } : {}),
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

function isDirectorySync(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
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
