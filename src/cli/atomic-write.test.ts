import { spawn, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { runCli } from '../test-support/fake-io.js';

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
    await expect(writeFileAtomic(target, new Uint8Array(5000).fill(7))).rejects.toThrow(`writing output: ${target}: no space left on the device`);
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

  it('writes through to a character device, never replacing it (here: a link to /dev/null, as /dev/stdout is one)', async () => {
    const dir = scratch();
    symlinkSync('/dev/null', join(dir, 'null'));
    await writeFileAtomic(join(dir, 'null'), 'report\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(lstatSync(join(dir, 'null')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('writes through to a FIFO, whose reader gets the bytes', async () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (chunk: Buffer) => (got += chunk.toString()));
    const done = new Promise((resolve) => reader.on('exit', resolve));
    await writeFileAtomic(fifo, 'through the pipe\n');
    await done;
    expect(got).toBe('through the pipe\n');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('follows a symlink: the target is replaced whole and the link stays; a link to nothing is refused', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'reports/latest.txt'), 'old\n');
    symlinkSync('reports/latest.txt', join(dir, 'latest'));
    await writeFileAtomic(join(dir, 'latest'), 'new\n');
    expect(readlinkSync(join(dir, 'latest'))).toBe('reports/latest.txt');
    expect(readFileSync(join(dir, 'reports/latest.txt'), 'utf8')).toBe('new\n');
    expect(readdirSync(join(dir, 'reports'))).toEqual(['latest.txt']);
    symlinkSync('nowhere.txt', join(dir, 'dangling'));
    await expect(writeFileAtomic(join(dir, 'dangling'), 'x')).rejects.toThrow(`writing output: ${join(dir, 'dangling')} is a symlink to a file that does not exist`);
    expect(existsSync(join(dir, 'nowhere.txt'))).toBe(false);
  });

  it('a directory that does not exist is one line naming the path given, not the temporary file', async () => {
    const out = join(scratch(), 'missing', 'report.txt');
    const result = await runCli(['top', '-o', out, 'testdata/go/leakysvc/profiles/heap-01.pb.gz', 'testdata/go/leakysvc/profiles/heap-08.pb.gz']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `heapdiff: writing output: ${out}: its directory does not exist\n` });
  });

  it('refuses -o and --output-pprof naming the same file, before writing anything', async () => {
    const dir = scratch();
    const out = join(dir, 'out');
    const result = await runCli(['top', '-o', out, '--output-pprof', join(dir, '.', 'out'), 'testdata/go/leakysvc/profiles/heap-01.pb.gz', 'testdata/go/leakysvc/profiles/heap-08.pb.gz']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'heapdiff: invalid option: -o and --output-pprof name the same file: one would overwrite the other\n' });
    expect(readdirSync(dir)).toEqual([]);
  });
});
