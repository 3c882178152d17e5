import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import type { Io } from './io.js';

/** Reads and decodes one profile; every failure names the file. */
export async function loadProfile(io: Io, path: string, maxBytes: number): Promise<Profile> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path);
  } catch (thrown) {
    throw new ProfileError('reading profile', `${path}: ${describeFsError(thrown)}`);
  }
  try {
    return parseProfile(bytes, { maxBytes, ...(io.gunzip ? { gunzip: io.gunzip } : {}) });
  } catch (thrown) {
    if (thrown instanceof ProfileError) throw new ProfileError(thrown.step, `${path}: ${thrown.detail}`);
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
