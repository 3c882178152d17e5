import { readFileSync } from 'node:fs';

/**
 * This file is src/cli/version.ts under vitest and dist/cli/version.js when installed: either
 * way package.json is two folders up, so the version is read from the one file that sets it.
 */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** The `version` of the package.json at `url` (heapdiff's own by default). */
export function packageVersion(url: URL = PACKAGE_JSON): string {
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') throw new Error(`${url.pathname} has no version`);
  return version;
}
