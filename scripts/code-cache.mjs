// Writes dist/bin/heapdiff.cjs.cache: V8's compiled bytecode for the bundle, after a `top` run
// over the bundled Go profiles, so a run of the CLI starts without compiling what it needs.
// bin/heapdiff.js hands it to V8, which checks it (V8 version, flags, source) and compiles afresh
// when it does not fit, as on another Node version. Run by scripts/bundle-cli.mjs in a process
// of its own, so that nothing else compiled or any flag set here ends up in the cache.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBundle, BUNDLE } from '../bin/load-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { script, main } = compileBundle(undefined);
const scratch = mkdtempSync(join(tmpdir(), 'heapdiff-cache-'));
const profiles = ['heap-01.pb.gz', 'heap-08.pb.gz'].map((name) => join(root, 'testdata/go/leakysvc/profiles', name));
try {
  process.argv = [process.argv[0], 'heapdiff', 'top', '-o', join(scratch, 'top.txt'), ...profiles];
  await main();
  if (process.exitCode) throw new Error(`the warm-up run exited with ${process.exitCode}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
writeFileSync(`${fileURLToPath(BUNDLE)}.cache`, script.createCachedData());
