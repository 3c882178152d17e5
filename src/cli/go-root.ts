import { execFileSync } from 'node:child_process';

/** Long enough for a cold `go` start, short enough that a hung toolchain cannot stall a report. */
const TIMEOUT_MS = 3000;

/**
 * Go's root, where the standard library's sources live: $GOROOT when set, else what
 * `go env GOROOT` answers. Null when go is missing, fails or is too slow: source is optional.
 */
export function findGoRoot(env: Readonly<Record<string, string | undefined>>): string | null {
  if (env['GOROOT']) return env['GOROOT'];
  try {
    const out = execFileSync('go', ['env', 'GOROOT'], {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim() || null;
  } catch {
    return null;
  }
}
