// Bundles the CLI into dist/bin/ at build time (after tsc): start-up is part of every run, and
// one CommonJS file loads faster than ~70 ES modules resolved one by one. CommonJS, because
// esbuild keeps a lazily loaded module's require() calls where they are, while an ES bundle
// hoists every import of a built-in to the top. The library build (dist/index.js) is untouched.
// bin/heapdiff.js loads dist/bin/heapdiff.cjs, and the decode helper thread's entry
// (bin/decode-worker.js) dist/bin/decode-worker.cjs, each with V8's code cache (made last:
// code-cache.mjs).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Each bundle is written as the function Node would wrap a CommonJS module in, which
 * bin/load-bundle.js compiles as it is: wrapping it there made a second copy of the source (a
 * string joined, then flattened to compile), ~800 page faults of the bundled Go pair's ~4,400.
 * The wrapper's first line is a statement, as when Node wraps a file, so "use strict" below it is
 * not a directive, as before.
 */
const WRAP_START = '(function (exports, require, module, __filename, __dirname) {';
const WRAP_END = '\n})';

// Reading and compiling the file is most of a short run's start-up: no comments or whitespace,
// but names stay, so that --debug's stack traces still read.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  footer: { js: WRAP_END },
};

/**
 * commander loads node:child_process at start-up, for executable subcommands heapdiff never
 * has: hand it a stand-in that loads the module only if it is ever used (~10 ms a run).
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/bin/heapdiff.cjs',
  format: 'cjs',
  // No import() left in the bundle (bin/load-bundle.js compiles it as a vm.Script, where import()
  // needs an experimental option): an import() of a built-in becomes a require().
  supported: { 'dynamic-import': false },
  // Loaded by `store:` sides only, through a dynamic import that stays lazy in the bundle.
  external: ['@clickhouse/client'],
  // decode-thread.ts finds the worker's entry from where it is: here, the bundle.
  define: { 'import.meta.url': '__heapdiffUrl' },
  banner: { js: `${WRAP_START}const __heapdiffUrl = require('node:url').pathToFileURL(__filename).href;` },
  plugins: [lazyChildProcess],
});
// CommonJS too: Node starts a thread on a CommonJS file faster than on an ES module, and only a
// script can be compiled with a code cache.
await build({ ...common, entryPoints: ['src/cli/decode-worker.ts'], outfile: 'dist/bin/decode-worker.cjs', format: 'cjs', banner: { js: WRAP_START } });
for (const file of ['dist/bin/heapdiff.cjs', 'dist/bin/decode-worker.cjs']) writeFileSync(file, asciiOnly(readFileSync(file, 'utf8')));
await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('code-cache.mjs', import.meta.url))], { stdio: 'inherit' });
  child.on('error', reject).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scripts/code-cache.mjs exited with ${code}`))));
});

/**
 * The bundle with every character past ASCII escaped (esbuild leaves them in regex literals):
 * V8 keeps ASCII source as one byte a character, non-ASCII as two, and a source twice the size
 * to read, keep and page in was ~450 of the bundled Go pair's page faults. A character escaped
 * by a backslash (`\µ`, legal in a regex without the u flag) becomes the escape itself.
 */
function asciiOnly(text) {
  return text.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, c) => {
    const escape = `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    return slashes.length % 2 === 1 ? slashes.slice(1) + escape : slashes + escape;
  });
}
