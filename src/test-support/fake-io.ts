import { resolve } from 'node:path';
import { globFiles, nodeIo } from '../cli/node-io.js';
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

/**
 * Runs the CLI as if started in `dir`: relative paths in argv resolve there, as in a shell.
 * For examples written with bare file names (heap-01.pb.gz, snapshots/…).
 */
export async function runCliIn(dir: string, argv: readonly string[], overrides: Partial<Io> = {}): Promise<RunResult> {
  const io = nodeIo();
  const at = (path: string) => resolve(dir, path);
  return runCli(argv, {
    cwd: dir,
    readFile: (path, limits) => io.readFile(at(path), limits),
    listDir: (path) => io.listDir(at(path)),
    glob: (pattern) => globFiles(pattern, dir),
    isDirectory: (path) => io.isDirectory(at(path)),
    makeDir: (path) => io.makeDir(at(path)),
    writeFileAtomic: (path, data) => io.writeFileAtomic(at(path), data),
    appendFile: (path, text) => io.appendFile(at(path), text),
    ...overrides,
  });
}
