import { constants } from 'node:fs';
import { lstat, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a report or profile to `path` so that readers see the old file or the whole new one,
 * never a part: written beside the target under a hidden temporary name, then renamed over it
 * (atomic within a directory), so an interrupted run leaves the old file untouched.
 *
 * What is not a regular file is treated deliberately:
 * - a character device or FIFO (`/dev/null`, `/dev/stdout`, a pipe) is written through, never
 *   replaced by a regular file;
 * - a symlink is followed: its target is replaced atomically and the link stays; a link to
 *   nothing is refused, as is a directory.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeAtomic(path, data);
  } catch (thrown) {
    throw asOutputError(path, thrown);
  }
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const target = await resolveTarget(path);
  if (target.kind === 'stream') {
    // O_WRONLY without O_CREAT or O_TRUNC: the device or pipe stays what it is.
    await writeFile(target.path, data, { flag: constants.O_WRONLY });
    return;
  }
  // Loaded here: node:crypto costs every run ~5 ms at start-up, and most runs write nothing.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dirname(target.path), `.${basename(target.path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, target.path);
  } catch (thrown) {
    await unlink(temp).catch(() => undefined);
    throw thrown;
  }
}

/** What the system said, about the path the user gave (never the hidden temporary name). */
const WRITE_FAILURES: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of its path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

function asOutputError(path: string, thrown: unknown): unknown {
  if (thrown instanceof OutputError) return thrown;
  const code = (thrown as NodeJS.ErrnoException | null)?.code;
  return code === undefined ? thrown : new OutputError(`${path}: ${WRITE_FAILURES[code] ?? code}`);
}

type Target = { kind: 'file' | 'stream'; path: string };

async function resolveTarget(path: string): Promise<Target> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code !== 'ENOENT') throw thrown;
    // Nothing there, or a symlink to nothing: only a plain new file is written.
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink()) throw new OutputError(`${path} is a symlink to a file that does not exist`);
    return { kind: 'file', path };
  }
  const info = await stat(real);
  if (info.isDirectory()) throw new OutputError(`${path} is a directory`);
  if (info.isCharacterDevice() || info.isFIFO()) return { kind: 'stream', path: real };
  if (!info.isFile()) throw new OutputError(`${path} is neither a file, a device nor a pipe`);
  return { kind: 'file', path: real };
}

/** A destination heapdiff will not write to, said in one line. */
export class OutputError extends Error {
  constructor(detail: string) {
    super(`writing output: ${detail}`);
  }
}

