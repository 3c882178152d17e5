import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownCode } from '../format/escape-markdown.js';
import { GITHUB_COMMENT_LIMIT } from '../render/markdown-top.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { HOSTILE_NAMES, writeHostileProfiles } from '../test-support/hostile-names.js';

/** A line with its code spans taken out, as GitHub's parser reads them (a run of n backticks closes at the next run of n). */
function outsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const run = /^`+/.exec(line.slice(i));
    if (!run) {
      out += line[i++];
      continue;
    }
    const close = new RegExp(`(?<!\`)${run[0]}(?!\`)`, 'g');
    close.lastIndex = i + run[0].length;
    const end = close.exec(line);
    if (!end) {
      out += run[0];
      i += run[0].length;
      continue;
    }
    out += '␣';
    i = end.index + run[0].length;
  }
  return out;
}

/** Every profile string stayed in its cell: nothing but heapdiff's own markup outside code spans. */
function expectInert(markdown: string, columns: number): void {
  const lines = markdown.split('\n');
  expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(1);
  expect(markdown).not.toMatch(/\r/);
  for (const line of lines) {
    const plain = outsideCode(line);
    if (line.startsWith('<!-- heapdiff:')) continue;
    expect(plain, line).not.toMatch(/<(?!\/?(details|summary)>)|\]\(|!\[|@\w|::|##\[/);
    if (line.startsWith('|')) expect(plain.split(/(?<!\\)\|/).length - 2, line).toBe(columns);
  }
}

describe('hostile names in Markdown', () => {
  const [base, current, third] = writeHostileProfiles();

  it('top: each name is one inert code span in its cell, in the comment and the step summary', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'heapdiff-md-')), 'summary.md');
    const result = await runCli(['top', '-f', 'markdown', '-n', '3', base!, current!, '--fail-on-raw', 'site>1kB'], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      decodeOffThread: () => undefined,
    });
    expect(result.code).toBe(1);
    for (const markdown of [result.stdout, readFileSync(summary, 'utf8')]) {
      expectInert(markdown, 6);
      expect(markdown).toContain('main.md\\n\\n### ✅ gates passed');
      expect(markdown).toContain('``` main.ticks``</code>`` ```');
      expect(markdown).toMatch(/^### heapdiff: `inuse_space` \+105MB ± 1\.15MB \(\+100%\) · ❌ 14 gate breaches$/m);
    }
  });

  it('trend: the same, with a hostile sample type in the heading', async () => {
    const types: [string, string][] = [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse`\n# forged', 'bytes']];
    const [a, b, c] = writeHostileProfiles({ types });
    const result = await runCli(['trend', '-f', 'markdown', '-n', '0', a!, b!, c!], { decodeOffThread: () => undefined });
    expect(result.code).toBe(0);
    expectInert(result.stdout, 9);
    expect(result.stdout).toContain('### heapdiff trend: `` inuse`\\n# forged `` · ');
    expect(third).toBeDefined();
  });

  it('peek: each name is one inert code span in its cell, callers and callees too', async () => {
    const result = await runCli(['peek', '-f', 'markdown', '.', base!, current!], { decodeOffThread: () => undefined });
    expect(result.code, result.stderr).toBe(0);
    expectInert(result.stdout, 8); // Δflat ± Δflat% Δcum Δcum% Δcalls calls% function
    expect(result.stdout).toContain('`  ← main.main`');
    expect(result.stdout).toContain('``   → main.ticks``</code>`` ``');
  });

  it('a code span outlasts any run of backticks and keeps pipes in the cell', () => {
    expect(markdownCode('plain')).toBe('`plain`');
    expect(markdownCode('a`b')).toBe('`` a`b ``');
    expect(markdownCode('``x```')).toBe('```` ``x``` ````');
    expect(markdownCode('a|b\r\nc')).toBe('`a\\|b\\r\\nc`');
    for (const name of HOSTILE_NAMES) expect(outsideCode(markdownCode(name))).toBe('␣');
  });
});

describe('Markdown size', () => {
  /** Sites with names of `length` characters, growing from base to current. */
  function bigPair(sites: number, length: number, snapshots = 2): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-big-'));
    const name = (i: number) => `pkg.${String(i).padStart(6, '0')}${'x'.repeat(Math.max(0, length - 10))}`;
    return Array.from({ length: snapshots }, (_, k) => k + 1).map((n) => {
      const samples = Array.from({ length: sites }, (_, i) => heap([`${name(i)}@/src/${'d'.repeat(length)}.go:${i + 1}`], (i + 1) * 1024 * n));
      const path = join(dir, `heap-${n}${'n'.repeat(length)}.pb.gz`.slice(0, 200));
      writeFileSync(path, encodeProfile({ samples, timeNanos: n * 1e9 }));
      return path;
    });
  }

  it('top stays within GitHub’s limit with -n 0, large -n and 40 kB names, and says how many rows it cut', async () => {
    const [a, b] = bigPair(250, 40_000);
    const summary = join(mkdtempSync(join(tmpdir(), 'heapdiff-md-')), 'summary.md');
    for (const n of ['0', '1000']) {
      const result = await runCli(['top', '-f', 'markdown', '-g', 'lines', '-n', n, a!, b!, '--fail-on-raw', 'site>1'], {
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
        decodeOffThread: () => undefined,
      });
      expect(result.code).toBe(1);
      expect(result.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(result.stdout).toMatch(/_\d+ more rows left out to stay within GitHub's 65536-character comment limit/);
      expect(result.stdout).toContain('…');
    }
    const appended = readFileSync(summary, 'utf8').split('<!-- heapdiff:report -->').slice(1);
    expect(appended).toHaveLength(2);
    for (const one of appended) expect(one.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
  });

  it('top with many short rows and -n 0 keeps the limit too', async () => {
    const [a, b] = bigPair(3000, 10);
    const result = await runCli(['top', '-f', 'markdown', '-n', '0', a!, b!], { decodeOffThread: () => undefined });
    expect(result.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const cut = Number(/_(\d+) more rows left out/.exec(result.stdout)?.[1]);
    const rows = result.stdout.split('\n').filter((l) => l.startsWith('| +')).length;
    expect(rows + cut).toBe(3000);
  });

  it('peek stays within the limit with many long-named functions, and says how many it cut', async () => {
    const [a, b] = bigPair(250, 40_000);
    const result = await runCli(['peek', '-f', 'markdown', '-g', 'lines', 'pkg', a!, b!], { decodeOffThread: () => undefined });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(result.stdout).toContain('…');
    const cut = Number(/_(\d+) more functions left out to stay within GitHub's 65536-character comment limit; use `--format json` for all of them._\n$/.exec(result.stdout)?.[1]);
    const shown = result.stdout.split('\n').filter((l) => /^\| \+/.test(l)).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown + cut).toBe(250);
  });

  it('peek of one function with thousands of long-named callers keeps its own line and its largest edges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-big-'));
    const caller = (i: number) => `pkg.caller${String(i).padStart(5, '0')}${'y'.repeat(2000)}`;
    const [a, b] = [1, 2].map((n) => {
      const samples = Array.from({ length: 3000 }, (_, i) => heap([`runtime.growslice@/go/slice.go:1`, `${caller(i)}@/src/c.go:${i + 1}`], (i + 1) * 1024 * n));
      const path = join(dir, `heap-${n}.pb.gz`);
      writeFileSync(path, encodeProfile({ samples, timeNanos: n * 1e9 }));
      return path;
    });
    const result = await runCli(['peek', '-f', 'markdown', '^runtime\\.growslice$', a!, b!], { decodeOffThread: () => undefined });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const lines = result.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('|') && l.includes('`runtime.growslice`'))).toHaveLength(1);
    const callers = lines.filter((l) => l.includes('← pkg.caller'));
    const cut = Number(/_(\d+) callers and callees of `runtime.growslice` left out to stay within GitHub's 65536-character comment limit/.exec(result.stdout)?.[1]);
    expect(callers.length).toBeGreaterThan(0);
    expect(callers.length + cut).toBe(3000);
    // The largest edges are the ones kept: caller 2999 grew most.
    expect(callers[0]).toContain('pkg.caller02999');
  });

  it('trend stays within the limit with -n 0 and long names, in stdout and the step summary', async () => {
    const [a, b, c] = bigPair(250, 40_000, 3);
    const summary = join(mkdtempSync(join(tmpdir(), 'heapdiff-md-')), 'summary.md');
    const result = await runCli(['trend', '-f', 'markdown', '-n', '0', a!, b!, c!], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      decodeOffThread: () => undefined,
    });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(readFileSync(summary, 'utf8').length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT + 1);
    expect(result.stdout).toMatch(/_\d+ more sites left out to stay within GitHub's 65536-character comment limit/);
  });
});
