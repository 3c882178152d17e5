// CommonJS (bin/package.json): an ES module's import of a built-in builds a facade of all its
// exports, which for node:fs loads node:stream, and the ES loader itself costs a short run more.
const { readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/** The CLI as one bundled CommonJS file (npm run build makes it: scripts/bundle-cli.mjs). */
const BUNDLE = join(__dirname, '../dist/bin/heapdiff.cjs');
/** The decode helper thread's entry, which loads the worker's bundle there as this file does the CLI's. */
const WORKER_ENTRY = join(__dirname, './decode-worker.js');
const WORKER_BUNDLE = join(__dirname, '../dist/bin/decode-worker.cjs');

/**
 * Compiles a bundle as Node would require it, but with V8's code cache when there is one (V8
 * checks it, and compiles afresh when it does not fit). No V8 flag is set before: V8 keeps a
 * cache only for the flags it was made with, and so does Node for its built-in modules.
 * The file is already the function Node would wrap a module in, and ASCII (scripts/bundle-cli.mjs):
 * its text is compiled as read, without a copy, and read as latin1, which for ASCII is the same
 * text, made with less memory than through UTF-8 (~210 page faults of the bundled Go pair's 3,800).
 * `cachedData` null: none. `require` is the bundle's own unless given (scripts/code-cache.mjs
 * fakes a thread's port).
 */
function compileBundle(filename, cachedData = codeCache(filename), requireFn = createRequire(filename)) {
  const script = new Script(readFileSync(filename, 'latin1'), { filename, cachedData: cachedData ?? undefined });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, requireFn, module, filename, dirname(filename));
  return { script, exports: module.exports };
}

/** A bundle's code cache, or undefined when there is none (a build without it still runs). */
function codeCache(filename) {
  try {
    return readFileSync(`${filename}.cache`);
  } catch {
    return undefined;
  }
}

/** Inputs this big (compressed) are worth the helper thread: cli/load.ts's OFF_THREAD_BYTES. */
const HELPER_WORTH_BYTES = 4 << 20;

/** The commands whose second input is the helper's (load.ts loadProfiles), top also by default. */
const EARLY_COMMANDS = new Set(['top', 'list', 'peek', 'trend']);

/**
 * Starts the decode helper thread before anything else when the arguments name two files big
 * enough to decode on it (load.ts decides for real, and the thread goes unused when it says no):
 * the thread's start-up (Node's bootstrap of a worker, ~30 ms of CPU) then runs on the second
 * core while this one compiles the CLI, parses flags and reads the files. A guess from argv alone:
 * directories, globs and URLs start their thread when first needed, as before.
 * The thread also reads and decodes the second of those files at once (`early`): a report's
 * second input is the one the helper takes, this thread the first, the base (load.ts claims it
 * by that path, or lets it go). Only for
 * the commands that read their inputs so, and not with --max-profile-size, which the early decode
 * would not know.
 */
function startDecodeWorker(argv) {
  // The files named, in order, until two big ones are seen (a trend may name hundreds).
  const files = [];
  let big = 0;
  for (let i = 0; i < argv.length && big < 2; i++) {
    if (argv[i].startsWith('-')) continue;
    try {
      const info = statSync(argv[i]);
      if (!info.isFile()) continue;
      files.push({ path: argv[i], big: info.size >= HELPER_WORTH_BYTES });
      if (info.size >= HELPER_WORTH_BYTES) big++;
    } catch {
      // Not a file: a command name, a flag's value, a URL or a glob.
    }
  }
  if (big < 2) return undefined;
  const { Worker } = require('node:worker_threads');
  // The second input, when the first two files named are the inputs, both big.
  const inputs = EARLY_COMMANDS.has(argv[0]) || argv[0] === files[0].path;
  const capped = argv.some((a) => a === '--max-profile-size' || a.startsWith('--max-profile-size='));
  const early = inputs && !capped && files[0].big && files[1].big ? files[1].path : undefined;
  return { worker: new Worker(WORKER_ENTRY, early === undefined ? {} : { workerData: { path: early } }), early };
}

/** Inputs this big (compressed), and smaller than the helper's, inflate aside: cli/load.ts's INFLATE_ASIDE_BYTES. */
const INFLATE_ASIDE_BYTES = 256 << 10;
/** What every input may inflate to unless --max-profile-size says otherwise (decode/inflate.ts). */
const DEFAULT_MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

/**
 * Reads the first input and inflates it on libuv's pool (node:zlib's callback gunzip, as
 * cli/zlib-gunzip.ts's zlibGunzipAside) while this thread compiles the CLI and parses its flags:
 * the first profile is then inflated when the CLI comes to decode it (the 10k pair: ~8 ms). A
 * guess from argv, as startDecodeWorker's: the first file named, for the commands whose first
 * file is their first input, if it is as big as load.ts inflates aside and no bigger than what the
 * helper takes, and gzip; not with --max-profile-size, nor for sets (--base, --current). The CLI
 * claims it by its path (cli/node-io.ts), or lets it go; a file that cannot be read here is read
 * there again, which says why. `inflated`: zlib's bytes, or its error.
 */
function startInflate(argv) {
  if (argv.some((a) => /^--(max-profile-size|base|current)(=|$)/.test(a))) return undefined;
  // The first regular file named (other words are commands, flags' values, URLs or globs).
  let path;
  let size = 0;
  for (const arg of argv) {
    if (arg.startsWith('-')) continue;
    try {
      const info = statSync(arg);
      if (!info.isFile()) continue;
      path = arg;
      size = info.size;
      break;
    } catch {
      // Not a file.
    }
  }
  if (path === undefined || !(EARLY_COMMANDS.has(argv[0]) || argv[0] === path)) return undefined;
  if (size < INFLATE_ASIDE_BYTES || size >= HELPER_WORTH_BYTES) return undefined;
  // Read here, at once (as read-local.ts reads a small file), so that inflating starts now.
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const n = bytes.length;
  if (n < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return undefined;
  // As zlib-gunzip.ts's wholeChunk: one chunk, one byte bigger than the trailer claims.
  const claimed = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  if (claimed > 256 << 20) return undefined;
  const options = { maxOutputLength: DEFAULT_MAX_PROFILE_BYTES, ...(claimed + 1 > 16 * 1024 ? { chunkSize: claimed + 1 } : {}) };
  const inflated = new Promise((resolve) => require('node:zlib').gunzip(bytes, options, (error, out) => resolve(error ? { error } : { bytes: out })));
  return { path, maxBytes: DEFAULT_MAX_PROFILE_BYTES, bytes, inflated };
}

module.exports = { BUNDLE, WORKER_ENTRY, WORKER_BUNDLE, HELPER_WORTH_BYTES, compileBundle, codeCache, startDecodeWorker, startInflate };
