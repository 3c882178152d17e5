// Writes dist/bin/heapdiff.cjs.cache and dist/bin/decode-worker.cjs.cache: V8's compiled bytecode
// for each bundle after a `top` run over the bundled Go profiles (the worker's bundle decodes
// them), so that a run of the CLI, and its helper thread, start without compiling what they need.
// bin/load-bundle.js hands a cache to V8, which checks it (V8 version, flags, source) and compiles
// afresh when it does not fit, as on another Node version. Run by scripts/bundle-cli.mjs in a
// process of its own, so that nothing else compiled or any flag set here ends up in the cache.
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import loadBundle from '../bin/load-bundle.js';

const { BUNDLE, WORKER_BUNDLE, compileBundle } = loadBundle;
const root = fileURLToPath(new URL('..', import.meta.url));
const profiles = ['heap-01.pb.gz', 'heap-08.pb.gz'].map((name) => join(root, 'testdata/go/leakysvc/profiles', name));

// The CLI: a whole run, tuned to its small inputs as bin/ tunes a run (the kernels' JavaScript,
// not their WebAssembly) but setting no V8 flag. Small runs are those whose start-up counts; a
// run of big inputs compiles the kernels' glue as it goes (the 10k pair: no change measured, CPU
// 0.269 s with the glue cached, 0.266 s without, medians of 31).
// It writes to stdout, as most runs do (kept here): -o would cache the atomic writer instead.
const cli = compileBundle(BUNDLE, null);
const write = process.stdout.write;
process.stdout.write = () => true;
try {
  await cli.exports.main(['top', ...profiles], { tuneEngine: 'without-flags' });
} finally {
  process.stdout.write = write;
}
if (process.exitCode) throw new Error(`the warm-up run exited with ${process.exitCode}`);
writeFileSync(`${BUNDLE}.cache`, cli.script.createCachedData());

// The helper thread's bundle, run here with a stand-in for its port: it decodes both profiles.
const port = new EventEmitter();
port.postMessage = (reply) => port.emit('reply', reply);
const requireReal = createRequire(WORKER_BUNDLE);
// Started as bin/ starts it for a pair, on the first file; the messages claim that one, then
// decode the second from its bytes, each aggregated as for `top`.
const threads = { parentPort: port, workerData: { path: profiles[0] } };
const worker = compileBundle(WORKER_BUNDLE, null, (id) => (id === 'node:worker_threads' ? threads : requireReal(id)));
const side = { granularity: 'functions' };
for (const request of [{ early: true, maxBytes: 1 << 30, side }, { bytes: new Uint8Array(readFileSync(profiles[1])), maxBytes: 1 << 30, side }]) {
  let done = false;
  const onReply = (reply) => {
    if (reply.kind === 'failed') throw new Error(`the worker's warm-up failed: ${reply.detail}`);
    done ||= reply.kind === 'done';
  };
  port.on('reply', onReply);
  port.emit('message', request);
  port.off('reply', onReply);
  if (!done) throw new Error('the worker gave no profile in its warm-up');
}
writeFileSync(`${WORKER_BUNDLE}.cache`, worker.script.createCachedData());
