import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes beside the target under a hidden temporary name, then renames over it. rename() is
 * atomic within a directory, so readers see the old file or the whole new one, never a part,
 * and an interrupted run leaves the old file untouched.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  // Loaded here: node:crypto costs every run ~5 ms at start-up, and most runs write nothing.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (thrown) {
    await unlink(temp).catch(() => undefined);
    throw thrown;
  }
}
