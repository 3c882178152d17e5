import { close, closeSync, constants, fstat, open, openSync, read, readSync, statSync, type Stats } from 'node:fs';
import { concatBytes } from '../decode/concat.js';

// node:fs's callbacks, not node:fs/promises: that module (and what it loads) is ~2 ms of every
// run's start-up, and a read needs four calls of it.
const opened = (path: string, flags: number) => new Promise<number>((resolve, reject) => open(path, flags, (e, fd) => (e ? reject(e) : resolve(fd))));
const statOf = (fd: number) => new Promise<Stats>((resolve, reject) => fstat(fd, (e, info) => (e ? reject(e) : resolve(info))));
const readInto = (fd: number, chunk: Uint8Array) => new Promise<number>((resolve, reject) => read(fd, chunk, 0, chunk.length, null, (e, n) => (e ? reject(e) : resolve(n))));
const closed = (fd: number) => new Promise<void>((resolve, reject) => close(fd, (e) => (e ? reject(e) : resolve())));

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
  const small = readSmallFile(path, maxBytes);
  if (small) return small;
  const fd = await opened(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await statOf(fd);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.isFile() && info.size > maxBytes) throw tooBig(maxBytes);
    const deadline = Date.now() + timeoutMs;
    const chunks: Uint8Array[] = [];
    let total = 0;
    // A regular file in one chunk, not copied together from many: a byte more than its size, so
    // that a short read is its end (a file that grew meanwhile reads on).
    let chunkBytes = info.isFile() ? info.size + 1 : 1 << 20;
    for (;;) {
      const chunk = new Uint8Array(Math.min(chunkBytes, maxBytes + 1 - total));
      chunkBytes = 1 << 20;
      let n: number;
      try {
        n = await readInto(fd, chunk);
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
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooBig(maxBytes);
      if (info.isFile() && n < chunk.length) break;
    }
    return concatBytes(chunks, total);
  } finally {
    await closed(fd);
  }
}

function tooBig(maxBytes: number): LocalReadLimit {
  return new LocalReadLimit('EFBIG', `is larger than ${maxBytes} bytes (raise --max-profile-size if this is genuine)`);
}

/**
 * Regular files up to this size are read with blocking calls: the thread pool's four round trips
 * (open, fstat, read, close) cost more than reading a small file, most of all on a busy machine,
 * where each hand-over waits for a core. The small real pair (two profiles, and their stat for
 * isDirectory) ran in 108 ms of wall time this way against 127 ms (medians of 31 runs, load ~6).
 */
export const SYNC_READ_BYTES = 1 << 20;

/**
 * A regular file of at most SYNC_READ_BYTES (and maxBytes), read whole; undefined for anything
 * else, which readLocalFile reads as before and whose errors it names. Looked at with stat, not
 * opened: opening a FIFO and closing it unread would end a writer already waiting on it.
 */
function readSmallFile(path: string, maxBytes: number): Uint8Array | undefined {
  let info: Stats;
  try {
    info = statSync(path);
  } catch {
    return undefined;
  }
  if (!info.isFile() || info.size > Math.min(SYNC_READ_BYTES, maxBytes)) return undefined;
  const fd = openSync(path, constants.O_RDONLY);
  try {
    // A byte more than its size, so that a short read is its end; a file that grew meanwhile is
    // read again the usual way, within the cap.
    const bytes = new Uint8Array(info.size + 1);
    let total = 0;
    for (;;) {
      const n = readSync(fd, bytes, total, bytes.length - total, null);
      if (n === 0) return bytes.subarray(0, total);
      total += n;
      if (total === bytes.length) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}
