import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PATH_CHARS, MAX_SOURCE_BYTES, MAX_SUFFIX_PARTS, createSourceReader, nodeSourceFs, suffixes, type SourceFs } from './source-reader.js';

const SECRET = 'TOP-SECRET-do-not-print';

/** A temp tree: `files` are written under it (paths relative to it), returned as its real path. */
function tree(files: Record<string, string | Uint8Array>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'heapdiff-src-')));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** The real file system, recording every file the reader opens. */
function watchedFs(): { fs: SourceFs; opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    fs: {
      realpath: nodeSourceFs.realpath,
      readRegularFile: (path, max) => {
        opened.push(path);
        return nodeSourceFs.readRegularFile(path, max);
      },
    },
  };
}

describe('source lookup', () => {
  it('finds a build-machine path by its longest suffix that exists under a root', () => {
    const root = tree({ 'cache.go': 'decoy\n', 'svc/cache.go': 'package svc\n\nfunc f() {}\n' });
    const read = createSourceReader({ cwd: root }).read;
    expect(read('/home/builder/src/svc/cache.go')).toEqual({ path: 'svc/cache.go', lines: ['package svc', '', 'func f() {}'] });
    expect(read('/elsewhere/cache.go')?.lines).toEqual(['decoy']);
    expect(read('/home/builder/src/svc/missing.go')).toBeNull();
  });

  it('searches each --source-path (relative to cwd) after cwd, and shows paths outside cwd absolute', () => {
    const checkout = tree({ 'leakysvc/cache.go': 'package main\n' });
    const cwd = tree({});
    const read = createSourceReader({ cwd, sourcePaths: [relative(cwd, checkout)] }).read;
    expect(read('example.com/leakysvc/cache.go')).toEqual({ path: join(checkout, 'leakysvc/cache.go'), lines: ['package main'] });
  });

  it('strips the first matching --trim-path prefix before the suffix lookup', () => {
    const root = tree({ 'cache.go': 'top\n', 'x/cache.go': 'nested\n' });
    expect(createSourceReader({ cwd: root }).read('/build/x/cache.go')?.path).toBe('x/cache.go');
    const trimmed = createSourceReader({ cwd: root, trimPaths: ['/nomatch', '/build/x/'] });
    expect(trimmed.read('/build/x/cache.go')?.path).toBe('cache.go');
  });

  it('reads an absolute path inside a root as it is', () => {
    const root = tree({ 'a/b.go': 'b\n' });
    expect(createSourceReader({ cwd: root }).read(join(root, 'a/b.go'))).toEqual({ path: 'a/b.go', lines: ['b'] });
  });

  it("splits lines as pprof's scanner does: CRLF, no final newline, empty file", () => {
    const root = tree({ 'crlf.go': 'a\r\nb\r\n', 'open.go': 'a\n\nc', 'empty.go': '' });
    const read = createSourceReader({ cwd: root }).read;
    expect(read('crlf.go')?.lines).toEqual(['a', 'b']);
    expect(read('open.go')?.lines).toEqual(['a', '', 'c']);
    expect(read('empty.go')?.lines).toEqual([]);
  });

  it('asks for the Go root once, and only for standard-library paths', () => {
    const goroot = tree({ 'src/runtime/malloc.go': 'package runtime\n' });
    const cwd = tree({ 'example.com/app/main.go': 'package main\n' });
    let asked = 0;
    const lookup = createSourceReader({ cwd, goRoot: () => (asked++, goroot) });
    expect(lookup.read('example.com/app/main.go')?.path).toBe('example.com/app/main.go');
    expect(lookup.searchedRoots('example.com/app/main.go')).toEqual([cwd]);
    expect(asked).toBe(0);
    expect(lookup.read('/usr/local/go/src/runtime/malloc.go')?.path).toBe(join(goroot, 'src/runtime/malloc.go'));
    expect(lookup.read('runtime/malloc.go')?.lines).toEqual(['package runtime']);
    expect(lookup.searchedRoots('runtime/missing.go')).toEqual([cwd, join(goroot, 'src')]);
    expect(asked).toBe(1);
  });

  it('works without a Go root', () => {
    const lookup = createSourceReader({ cwd: tree({}), goRoot: () => null });
    expect(lookup.read('runtime/malloc.go')).toBeNull();
  });

  it('reads each file once per run', () => {
    const root = tree({ 'a.go': 'a\n' });
    const { fs, opened } = watchedFs();
    const read = createSourceReader({ cwd: root, fs }).read;
    expect(read('a.go')).toBe(read('a.go'));
    expect(opened).toHaveLength(1);
  });
});

describe('source confinement', () => {
  it('never reads outside the roots: absolute paths, ../, /proc, symlinks out of a root', () => {
    const outside = tree({ 'secret.go': `${SECRET}\n`, 'dir/secret.go': `${SECRET}\n` });
    const root = tree({ 'ok.go': 'fine\n' });
    symlinkSync(join(outside, 'secret.go'), join(root, 'link.go'));
    symlinkSync(join(outside, 'dir'), join(root, 'dir'));
    const { fs, opened } = watchedFs();
    const read = createSourceReader({ cwd: root, fs }).read;
    const hostile = [
      '/etc/passwd',
      '../../etc/passwd',
      `${root}/../../../etc/passwd`,
      '/proc/self/environ',
      join(outside, 'secret.go'),
      `${root}/../${relative(dirname(root), outside)}/secret.go`,
      'link.go',
      join(root, 'link.go'),
      '/build/dir/secret.go',
    ];
    for (const file of hostile) expect(read(file), file).toBeNull();
    // Nothing was even opened: every candidate failed the real-path check first.
    expect(opened).toEqual([]);
    expect(read('/build/ok.go')?.lines).toEqual(['fine']);
    expect(opened).toEqual([join(root, 'ok.go')]);
  });

  it('a symlink that stays inside the root is fine', () => {
    const root = tree({ 'real/impl.go': 'impl\n' });
    symlinkSync(join(root, 'real'), join(root, 'alias'));
    expect(createSourceReader({ cwd: root }).read('/src/alias/impl.go')?.lines).toEqual(['impl']);
  });

  it('skips directories, files over the size limit and files that are not text, and keeps looking', () => {
    const big = new Uint8Array(MAX_SOURCE_BYTES + 1).fill(0x61);
    const first = tree({ 'big.go': big, 'bin.go': Uint8Array.of(0x70, 0, 0x71), 'latin1.go': Uint8Array.of(0x63, 0xe9, 0x0a), 'dir.go/x': '' });
    const second = tree({ 'bin.go': 'text after all\n' });
    const read = createSourceReader({ cwd: first, sourcePaths: [second] }).read;
    expect(read('big.go')).toBeNull();
    expect(read('latin1.go')).toBeNull();
    expect(read('dir.go')).toBeNull();
    expect(read('bin.go')).toEqual({ path: join(second, 'bin.go'), lines: ['text after all'] });
  });

  it('never reads below a root through a dot-directory or a dot-file, unless that directory is the root', () => {
    const root = tree({ '.git/config': `[remote] token=${SECRET}\n`, 'svc/.env': `KEY=${SECRET}\n`, '.hidden/pkg/x.go': 'package pkg\n' });
    symlinkSync(join(root, '.git/config'), join(root, 'svc/config.go'));
    const { fs, opened } = watchedFs();
    const read = createSourceReader({ cwd: root, fs }).read;
    for (const file of ['.git/config', '/build/proj/.git/config', join(root, '.git/config'), 'svc/.env', '/src/svc/config.go', '.hidden/pkg/x.go']) {
      expect(read(file), file).toBeNull();
    }
    expect(opened).toEqual([]);
    // Asked for: a --source-path that is itself the dot-directory.
    expect(createSourceReader({ cwd: root, sourcePaths: ['.hidden'] }).read('example.com/pkg/x.go')?.lines).toEqual(['package pkg']);
  });
});

describe('hostile file names', () => {
  it('tries at most the last 64 names of a path, longest first, and none before a name too long to exist', () => {
    expect(suffixes('/a/b/c.go')).toEqual(['a/b/c.go', 'b/c.go', 'c.go']);
    expect(suffixes('x/../y/./z.go')).toEqual(['y/z.go', 'z.go']);
    const deep = Array.from({ length: 1000 }, (_, i) => `d${i}`).join('/');
    expect(suffixes(deep)).toHaveLength(MAX_SUFFIX_PARTS);
    expect(suffixes(deep)[0]).toBe(Array.from({ length: 64 }, (_, i) => `d${i + 936}`).join('/'));
    expect(suffixes(`a/${'n'.repeat(256)}/b/c.go`)).toEqual(['b/c.go', 'c.go']);
    expect(suffixes(`a/${'é'.repeat(128)}/c.go`)).toEqual(['c.go']);
  });

  it('resolves a bounded number of paths for a name of thousands of slashes, and none beyond PATH_MAX', () => {
    let resolved = 0;
    const fs: SourceFs = { realpath: (p) => (resolved++, nodeSourceFs.realpath(p)), readRegularFile: nodeSourceFs.readRegularFile };
    const root = tree({});
    createSourceReader({ cwd: root, fs }).read('a/'.repeat(2000) + 'x.go');
    expect(resolved).toBeLessThanOrEqual(1 + MAX_SUFFIX_PARTS);
    resolved = 0;
    createSourceReader({ cwd: root, fs }).read('a/'.repeat(MAX_PATH_CHARS) + 'x.go');
    expect(resolved).toBe(0);
  });
});
