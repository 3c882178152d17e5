import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** The CLI as one bundled CommonJS file (npm run build makes it: scripts/bundle-cli.mjs). */
export const BUNDLE = new URL('../dist/bin/heapdiff.cjs', import.meta.url);

/**
 * Compiles the bundle as Node would require it, but with V8's code cache when given one (it is
 * checked, and ignored when it does not fit). The regexp flag the CLI sets at start-up
 * (cli/node-io.ts) is set first: V8 keeps a cache only for the flags it was made with.
 */
export function compileBundle(cachedData) {
  setFlagsFromString('--enable-experimental-regexp-engine');
  const filename = fileURLToPath(BUNDLE);
  const source = readFileSync(filename, 'utf8');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dirname(filename));
  return { script, main: module.exports.main };
}

/** The bundle's code cache, or undefined when there is none (a build without it still runs). */
export function codeCache() {
  try {
    return readFileSync(`${fileURLToPath(BUNDLE)}.cache`);
  } catch {
    return undefined;
  }
}
