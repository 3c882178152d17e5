// The decode helper thread's entry (cli/decode-thread.ts starts it): the worker's bundle,
// compiled with its code cache as bin/heapdiff.js compiles the CLI's.
const { WORKER_BUNDLE, compileBundle } = require('./load-bundle.js');

compileBundle(WORKER_BUNDLE);
