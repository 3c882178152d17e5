import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { concatBytes } from '../decode/concat.js';

/** Why a local read stopped, as the error's `code`, with what load.ts needs to say it. */
export class LocalReadLimit extends Error {
  constructor(
    readonly code: 'EFBIG' | 'ETIMEDOUT',
    message: string,
  ) {
    super(message);
  }
}

export interface LocalReadLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/**
 * Reads a local profile within --max-profile-size and, for what is not a regular file, within
 * --timeout. A regular file's size is checked before anything is read; pipes, FIFOs and devices
 * (`<(curl …)`, /dev/stdin, /dev/zero) are read to at most one byte past the cap. They are opened
 * non-blocking and polled, so a FIFO nobody writes to, or whose writer stalls, gives up after the
 * timeout instead of blocking forever (an open blocked in libuv's pool cannot be abandoned).
 */
export async function readLocalFile(path: string, { maxBytes, timeoutMs }: LocalReadLimits): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.isFile() && info.size > maxBytes) throw tooBig(maxBytes);
    const deadline = Date.now() + timeoutMs;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, maxBytes + 1 - total));
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(chunk, 0, chunk.length, null));
      } catch (thrown) {
        if ((thrown as NodeJS.ErrnoException).code !== 'EAGAIN') throw thrown;
        n = -1; // nothing yet
      }
      // An empty FIFO reads as its end until a writer opens it: wait for one, as open would.
      if (n === 0 && total === 0 && info.isFIFO()) n = -1;
      if (n === 0) break;
      if (n < 0) {
        if (Date.now() >= deadline) throw new LocalReadLimit('ETIMEDOUT', `no end of input within ${timeoutMs / 1000}s (--timeout)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooBig(maxBytes);
    }
    return concatBytes(chunks, total);
  } finally {
    await handle.close();
  }
}

function tooBig(maxBytes: number): LocalReadLimit {
  return new LocalReadLimit('EFBIG', `is larger than ${maxBytes} bytes (raise --max-profile-size if this is genuine)`);
}
