import { readFileSync } from 'node:fs';
import { DecodePool } from '../cli/decode-thread.js';

/**
 * The decode floor of a set of profiles: heapdiff's decoder on every file, on every core (the same
 * helper threads `top` uses), the profiles dropped as they arrive. A report over the same files
 * can do no less; what it adds is aggregation and ordering. Usage: node dist/bench/decode-floor.js FILE...
 */
const files = process.argv.slice(2);
const pool = new DecodePool(new URL('../../bin/decode-worker.js', import.meta.url));
let next = 0;
let samples = 0;
const lane = async () => {
  while (next < files.length) {
    const bytes = new Uint8Array(readFileSync(files[next++]!));
    // Handed over, as `top` hands over a set's inputs (load-sets.ts).
    const profile = await pool.tryDecode(bytes, 1 << 30, undefined, undefined, true);
    if (!profile) throw new Error('no free helper thread');
    samples += profile.samples.count;
  }
};
await Promise.all(Array.from({ length: pool.size }, lane));
process.stdout.write(`${samples}\n`);
