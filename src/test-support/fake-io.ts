import { nodeIo } from '../cli/node-io.js';
import type { Io } from '../cli/io.js';
import { run } from '../cli/run.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Drives the CLI through its seam with real files and captured output. */
export async function runCli(argv: readonly string[], overrides: Partial<Io> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    ...nodeIo(),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    // Never Ctrl-C: a test that wants one passes its own AbortController's signal.
    interrupts: () => new AbortController().signal,
    ...overrides,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
