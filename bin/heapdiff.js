#!/usr/bin/env node
const { pathToFileURL } = require('node:url');
const { BUNDLE, WORKER_ENTRY, compileBundle, startDecodeWorker, startInflate } = require('./load-bundle.js');

const argv = process.argv.slice(2);
const started = startDecodeWorker(argv);
compileBundle(BUNDLE).exports.main(argv, { script: pathToFileURL(WORKER_ENTRY), started: started?.worker, early: started?.early, tuneEngine: true, inflating: startInflate(argv) });
