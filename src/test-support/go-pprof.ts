import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `go` is on PATH: tests that ask `go tool pprof` skip without it (CI has no Go). */
export const HAS_GO = (() => {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** `go tool pprof ARGS` in UTC, never symbolizing, its stdout as text. */
export function goPprof(args: readonly string[]): string {
  return execFileSync('go', ['tool', 'pprof', '-symbolize=none', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Writes `files` (name → bytes) into a fresh temporary directory; returns their paths by name. */
export function scratchFiles(files: Record<string, Uint8Array>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-go-'));
  return Object.fromEntries(
    Object.entries(files).map(([name, bytes]) => {
      writeFileSync(join(dir, name), bytes);
      return [name, join(dir, name)];
    }),
  );
}
