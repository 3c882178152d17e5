import { nodeIo, type NodeIoOptions } from './node-io.js';
import { run } from './run.js';

/**
 * Entry for bin/heapdiff.js: the exit code is set, not forced, so stdout drains first.
 * `options`: the decode helper thread's entry, the thread itself when bin/ guessed that one
 * would be used and started it before loading the CLI, and whether to tune V8 to the input.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), options?: NodeIoOptions): Promise<void> {
  process.exitCode = await run(argv, nodeIo(options));
}
