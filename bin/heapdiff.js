#!/usr/bin/env node
import { createRequire } from 'node:module';

// The CLI as one bundled file (npm run build makes it: scripts/bundle-cli.mjs).
const { main } = createRequire(import.meta.url)('../dist/bin/heapdiff.cjs');
await main();
