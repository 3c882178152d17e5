import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../report/list.js';

/** Larger files are not source code anyone reads beside a profile; skipping them bounds memory. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/**
 * Bounds on a profile's file name, which is untrusted: longer than PATH_MAX it names no file,
 * a component longer than NAME_MAX (255 bytes) cannot exist, and only the last 64 components
 * are tried as suffixes. Each lookup is then at most 64 suffixes of at most 4 kB, where a 40 kB
 * name of slashes used to cost seconds (every suffix of every length, built and resolved).
 */
export const MAX_PATH_CHARS = 4096;
const MAX_NAME_BYTES = 255;
export const MAX_SUFFIX_PARTS = 64;

/** The two file-system calls the reader makes, behind a seam so tests can watch them. */
export interface SourceFs {
  /** Resolves every symlink; throws when the path does not exist. */
  realpath(path: string): string;
  /** The bytes of a regular file of at most `maxBytes`; null for anything else. */
  readRegularFile(path: string, maxBytes: number): Uint8Array | null;
}

export const nodeSourceFs: SourceFs = {
  realpath: (path) => realpathSync(path),
  readRegularFile(path, maxBytes) {
    // stat first: opening a FIFO or a device could block or never end.
    const before = statSync(path);
    if (!before.isFile() || before.size > maxBytes) return null;
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return null;
      // Read one byte past the limit: sizes can lie (procfs reports 0) or grow meanwhile.
      const buffer = new Uint8Array(maxBytes + 1);
      let length = 0;
      while (length < buffer.length) {
        const n = readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
      }
      return length > maxBytes ? null : buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  },
};

export interface SourceReaderOptions {
  /** The working directory: the first root, and what relative `sourcePaths` are resolved from. */
  readonly cwd: string;
  readonly sourcePaths?: readonly string[];
  /** Prefixes stripped from profile paths before the lookup (the first that matches). */
  readonly trimPaths?: readonly string[];
  /** Asked once, and only for a path that looks like Go's standard library. */
  readonly goRoot?: () => string | null;
  readonly fs?: SourceFs;
}

export interface SourceLookup {
  readonly read: (file: string) => SourceFile | null;
  /** The roots searched for `file`, for a "not found" note. */
  readonly searchedRoots: (file: string) => readonly string[];
}

/**
 * Finds the files a profile names under the source roots (cwd, each --source-path, Go's root) by
 * the longest path suffix that exists, since profiles carry the build machine's paths. A profile is
 * untrusted input, so only regular text files whose real path (symlinks resolved) lies inside a
 * root are read: `../../etc/passwd`, `/proc/self/environ` or a symlink out of a root never are.
 * Nor is anything below a root in a dot-directory or dot-file (`.git/config`, `.env`): to read
 * such sources, name the directory itself with --source-path.
 */
export function createSourceReader(options: SourceReaderOptions): SourceLookup {
  const fs = options.fs ?? nodeSourceFs;
  const cwd = resolve(options.cwd);
  const roots = [cwd, ...(options.sourcePaths ?? []).map((dir) => resolve(cwd, dir))];
  let goRoot: string | null | undefined;
  const rootsFor = (file: string): string[] => {
    if (!looksLikeGoStd(file)) return roots;
    if (goRoot === undefined) {
      const found = options.goRoot?.() ?? null;
      goRoot = found ? join(resolve(cwd, found), 'src') : null;
    }
    return goRoot ? [...roots, goRoot] : roots;
  };
  const realRoots = new Map<string, string | null>();
  const realRoot = (root: string): string | null => {
    if (!realRoots.has(root)) realRoots.set(root, attempt(() => fs.realpath(root)));
    return realRoots.get(root)!;
  };

  /** Reads `candidate` if its real path lies inside `root`'s. */
  const readConfined = (root: string, candidate: string): SourceFile | null => {
    const inside = realRoot(root);
    const real = inside && attempt(() => fs.realpath(candidate));
    if (!inside || !real || !isInside(inside, real) || isHiddenBelow(inside, real)) return null;
    const bytes = attempt(() => fs.readRegularFile(real, MAX_SOURCE_BYTES));
    const text = bytes && decodeText(bytes);
    if (text === null) return null;
    const shown = relative(cwd, candidate);
    return { path: isInside(cwd, candidate) ? shown : candidate, lines: splitLines(text) };
  };

  const cache = new Map<string, SourceFile | null>();
  const find = (file: string): SourceFile | null => {
    if (file.length > MAX_PATH_CHARS) return null;
    const path = trimPrefix(file.replace(/\\/g, '/'), options.trimPaths ?? []);
    const searchRoots = rootsFor(file);
    // An absolute path inside a root is the file itself; it is still confined like any other.
    if (isAbsolute(path)) {
      for (const root of searchRoots) {
        if (!isInside(root, resolve(path)) || isHiddenBelow(root, resolve(path))) continue;
        const found = readConfined(root, resolve(path));
        if (found) return found;
      }
    }
    for (const suffix of suffixes(path)) {
      for (const root of searchRoots) {
        const found = readConfined(root, join(root, suffix));
        if (found) return found;
      }
    }
    return null;
  };
  return {
    read: (file) => {
      if (!cache.has(file)) cache.set(file, find(file));
      return cache.get(file)!;
    },
    searchedRoots: rootsFor,
  };
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Whether `path`, inside `root`, passes through a dot-directory or is a dot-file below it. */
function isHiddenBelow(root: string, path: string): boolean {
  return relative(root, path).split(sep).some((part) => part.startsWith('.'));
}

function trimPrefix(path: string, prefixes: readonly string[]): string {
  for (const prefix of prefixes) {
    const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
    if (path.startsWith(withSlash)) return path.slice(withSlash.length);
  }
  return path;
}

/**
 * `a/b/c.go` → `a/b/c.go`, `b/c.go`, `c.go`: longest first, so the most specific match wins. Only
 * the plain names after the last `..` count, so a suffix can never climb out of a root; nor does
 * one start before a hidden name (`.git`) or one too long to exist, and at most the last
 * MAX_SUFFIX_PARTS names are tried.
 */
export function suffixes(path: string): string[] {
  const parts = path.split('/');
  let names = parts.slice(parts.lastIndexOf('..') + 1).filter((p) => p !== '' && p !== '.');
  let from = Math.max(0, names.length - MAX_SUFFIX_PARTS);
  for (let i = names.length - 1; i >= from; i--) {
    if (names[i]!.startsWith('.') || utf8Length(names[i]!) > MAX_NAME_BYTES) from = i + 1;
  }
  names = names.slice(from);
  const out: string[] = [];
  let suffix = '';
  for (let i = names.length - 1; i >= 0; i--) out.push((suffix = suffix === '' ? names[i]! : `${names[i]}/${suffix}`));
  return out.reverse();
}

function utf8Length(text: string): number {
  return text.length > MAX_NAME_BYTES / 3 ? new TextEncoder().encode(text).length : text.length;
}

/**
 * `/usr/local/go/src/runtime/malloc.go`, or `runtime/malloc.go` from a -trimpath build (a first
 * directory without a dot, unlike module paths such as `example.com/…`).
 */
function looksLikeGoStd(file: string): boolean {
  if (!file.endsWith('.go')) return false;
  const dirs = file.replace(/\\/g, '/').split('/').slice(0, -1);
  if (dirs.includes('src')) return true;
  return dirs.length > 0 && dirs[0] !== '' && !dirs[0]!.includes('.');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a source file, or null when it is not text (NUL bytes, invalid UTF-8). */
function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  return attempt(() => utf8.decode(bytes));
}

/** Lines as Go's bufio.ScanLines (which pprof uses) splits them: no final empty line, no `\r`. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
