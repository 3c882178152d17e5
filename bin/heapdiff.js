#!/usr/bin/env node
import { codeCache, compileBundle } from './load-bundle.js';

await compileBundle(codeCache()).main();
