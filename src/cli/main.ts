import { nodeIo } from './node-io.js';
import { run } from './run.js';

/** Entry for bin/heapdiff.js: the exit code is set, not forced, so stdout drains first. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), nodeIo());
}
