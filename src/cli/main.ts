import { nodeIo, type HelperThreads } from './node-io.js';
import { run } from './run.js';

/**
 * Entry for bin/heapdiff.js: the exit code is set, not forced, so stdout drains first.
 * `threads`: the decode helper thread's entry, and the thread itself when bin/ guessed that one
 * would be used and started it before loading the CLI.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), threads?: HelperThreads): Promise<void> {
  process.exitCode = await run(argv, nodeIo(threads));
}
