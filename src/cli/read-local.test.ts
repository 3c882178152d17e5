import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { readLocalFile, SYNC_READ_BYTES } from './read-local.js';

/** --max-profile-size and --timeout hold for local files as they do for URLs. */
describe('reading a local profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-local-'));
  const fifo = (name: string) => {
    const path = join(dir, name);
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('refuses a file larger than the cap before reading it', async () => {
    const huge = join(dir, 'huge.pb.gz');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * 2 ** 30); // sparse: 3 GiB long, nothing on disk
    const started = Date.now();
    const result = await runCli(['top', huge]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `heapdiff: reading profile: ${huge}: is larger than 1073741824 bytes (raise --max-profile-size if this is genuine)\n` });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads regular files whole on either side of the size read with blocking calls, and caps both', async () => {
    const limits = { maxBytes: 4 * SYNC_READ_BYTES, timeoutMs: 1000 };
    for (const size of [0, 1, 3730, SYNC_READ_BYTES, SYNC_READ_BYTES + 1, 2 * SYNC_READ_BYTES + 7]) {
      const path = join(dir, `file-${size}`);
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4096) bytes[i] = (i >>> 12) + size;
      writeFileSync(path, bytes);
      const read = await readLocalFile(path, limits);
      expect(read.length).toBe(size);
      expect(bytes.equals(read)).toBe(true);
      if (size > 0) await expect(readLocalFile(path, { maxBytes: size - 1, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'EFBIG' });
    }
    await expect(readLocalFile(join(dir, 'missing'), limits)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readLocalFile(dir, limits)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('stops reading a device that never ends at the cap', async () => {
    const result = await runCli(['top', '--max-profile-size', '1MB', '/dev/zero']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'heapdiff: reading profile: /dev/zero: is larger than 1048576 bytes (raise --max-profile-size if this is genuine)\n' });
  });

  it('gives up on a FIFO nobody writes to after --timeout', async () => {
    const path = fifo('nobody');
    const result = await runCli(['top', '--timeout', '300ms', path]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `heapdiff: reading profile: ${path}: no end of input within 0.3s (--timeout)\n` });
  });

  it('gives up on a FIFO whose writer stalls after --timeout', async () => {
    const path = fifo('stalled');
    // Held open for writing (O_RDWR does not wait for a reader), never written to.
    const writer = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      const result = await runCli(['top', '--timeout', '300ms', path]);
      expect(result).toEqual({ code: 2, stdout: '', stderr: `heapdiff: reading profile: ${path}: no end of input within 0.3s (--timeout)\n` });
    } finally {
      closeSync(writer);
    }
  });

  it('still reads a FIFO whose writer comes later, as a pipe from curl would', async () => {
    const path = fifo('later');
    const result = runCli(['top', '-n', '1', path]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const writer = spawn('sh', ['-c', `cat testdata/go/leakysvc/profiles/heap-08.pb.gz > '${path}'`]);
    const written = new Promise((resolve) => writer.on('exit', resolve));
    expect(await result).toMatchObject({ code: 0, stdout: expect.stringContaining('main.(*dedupeCache).remember') });
    expect(await written).toBe(0);
  });
});
