import { diffProfiles, type ProfileOrDiff } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import type { Sources } from '../render/text-top.js';
import { DEFAULT_TIMEOUT_MS, fetchBytes, isUrl } from './fetch.js';
import type { Io } from './io.js';

/**
 * Reads and decodes one profile: a file, or an http(s) URL fetched within the timeout and the
 * size cap. Every failure names the source.
 */
export async function loadProfile(io: Io, path: string, maxBytes: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Profile> {
  if (isUrl(path)) return decodeProfile(io, path, await fetchBytes(io, path, { timeoutMs, maxBytes }), maxBytes);
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path);
  } catch (thrown) {
    throw new ProfileError('reading profile', `${path}: ${describeFsError(thrown)}`);
  }
  return decodeProfile(io, path, bytes, maxBytes);
}

/** Decodes bytes read from `source`; a failure names it. */
export function decodeProfile(io: Io, source: string, bytes: Uint8Array, maxBytes: number): Profile {
  try {
    return parseProfile(bytes, { maxBytes, ...(io.gunzip ? { gunzip: io.gunzip } : {}) });
  } catch (thrown) {
    if (thrown instanceof ProfileError) throw new ProfileError(thrown.step, `${source}: ${thrown.detail}`);
    throw thrown;
  }
}

function describeFsError(thrown: unknown): string {
  const code = (thrown as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a profile';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return thrown instanceof Error ? thrown.message : String(thrown);
  }
}

/** `cmd A B`, `cmd A` and `cmd --diff-base A B` as pprof users write them. */
export async function loadInputs(
  io: Io,
  first: string,
  second: string | undefined,
  options: { diffBase?: string; maxProfileSize: number; timeout?: number },
): Promise<{ input: ProfileOrDiff; sources: Sources }> {
  if (options.diffBase !== undefined && second !== undefined) {
    throw new ProfileError('invalid option', 'give either --diff-base BASE CURRENT or BASE CURRENT, not both');
  }
  const basePath = options.diffBase ?? (second !== undefined ? first : undefined);
  const currentPath = second ?? first;
  if (basePath === undefined) {
    return { input: await loadProfile(io, currentPath, options.maxProfileSize, options.timeout), sources: { current: currentPath } };
  }
  const [base, current] = await Promise.all([
    loadProfile(io, basePath, options.maxProfileSize, options.timeout),
    loadProfile(io, currentPath, options.maxProfileSize, options.timeout),
  ]);
  return { input: diffProfiles(base, current), sources: { base: basePath, current: currentPath } };
}
