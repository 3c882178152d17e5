import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

// writeFile is wrapped so that a test can make it fail halfway, as a full disk or a kill would.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return { ...real, writeFile: vi.fn(real.writeFile) };
});

const scratch = () => mkdtempSync(join(tmpdir(), 'heapdiff-atomic-'));

describe('writeFileAtomic', () => {
  afterEach(() => vi.mocked(fs.writeFile).mockClear());

  it('replaces the file whole', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'report.txt'), 'old\n');
    await writeFileAtomic(join(dir, 'report.txt'), 'new\n');
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['report.txt']);
  });

  it('leaves the old file and no temporary one when the write fails halfway', async () => {
    const dir = scratch();
    const target = join(dir, 'diff.pb.gz');
    writeFileSync(target, 'the previous diff');
    const real = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
    vi.mocked(fs.writeFile).mockImplementationOnce(async (path, data) => {
      await real.writeFile(path as string, (data as Uint8Array).subarray(0, 1000));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    await expect(writeFileAtomic(target, new Uint8Array(5000).fill(7))).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(target, 'utf8')).toBe('the previous diff');
    expect(readdirSync(dir)).toEqual(['diff.pb.gz']);
  });

  it('leaves no temporary file when the rename fails', async () => {
    const dir = scratch();
    // A directory where the file should go: rename() cannot replace it.
    mkdirSync(join(dir, 'report.txt'));
    await expect(writeFileAtomic(join(dir, 'report.txt'), 'new\n')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['report.txt']);
  });
});
