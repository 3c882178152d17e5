import { readFileSync } from 'node:fs';

/**
 * This file is src/cli/version.ts under vitest, and part of dist/bin/heapdiff.cjs when built
 * (whose import.meta.url is the bundle's): either way package.json is two folders up.
 */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/** The `version` of the package.json at `url` (heapdiff's own by default). */
export function packageVersion(url: URL = PACKAGE_JSON): string {
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') throw new Error(`${url.pathname} has no version`);
  return version;
}
