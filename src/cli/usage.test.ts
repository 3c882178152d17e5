import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliIn } from '../test-support/fake-io.js';
import { shellWords } from '../test-support/shell-words.js';
import { EXAMPLES } from './help-examples.js';

const PROFILES = 'testdata/go/leakysvc/profiles';
const COMMANDS = ['top', 'list', 'peek', 'trend', 'capture', 'ingest'];

describe('usage', () => {
  it('bare heapdiff prints the usage with every command, on stderr, exit 2 (as go does)', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: heapdiff/);
    for (const command of COMMANDS) expect(result.stderr).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stderr).toContain('Examples:');
  });

  it.each([
    [['tpo', 'a.pb.gz', 'b.pb.gz'], "'tpo' is neither a command nor a file; did you mean 'heapdiff top'?"],
    [['trnd', 'x'], "did you mean 'heapdiff trend'?"],
    [['lsit', 'x', 'a'], "did you mean 'heapdiff list'?"],
  ])('names a mistyped command and suggests the nearest: %j', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('commands: top, list, peek, trend, capture');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names an unknown word with no near command without a suggestion', async () => {
    const result = await runCli(['frobnicate', 'a', 'b']);
    expect(result.stderr).toMatch(/^heapdiff: invalid arguments: 'frobnicate' is neither a command nor a file; \(commands: /);
  });

  it('still reads a profile whose name looks like a word when that file exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-word-'));
    copyFileSync(`${PROFILES}/heap-01.pb.gz`, join(dir, 'base'));
    copyFileSync(`${PROFILES}/heap-08.pb.gz`, join(dir, 'current'));
    const result = await runCliIn(dir, ['base', 'current']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('main.(*dedupeCache).remember');
  });
});

/** A directory laid out as the examples assume: snapshots, a base/current pair, the Go sources. */
function exampleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-examples-'));
  mkdirSync(join(dir, 'snapshots'));
  mkdirSync(join(dir, 'src'));
  for (const name of readdirSync(PROFILES).filter((n) => /^heap-0\d\.pb\.gz$/.test(n))) {
    copyFileSync(join(PROFILES, name), join(dir, name));
    copyFileSync(join(PROFILES, name), join(dir, 'snapshots', name));
  }
  copyFileSync(`${PROFILES}/heap-01.pb.gz`, join(dir, 'base.pb.gz'));
  copyFileSync(`${PROFILES}/heap-08.pb.gz`, join(dir, 'current.pb.gz'));
  for (const name of readdirSync('testdata/go/leakysvc').filter((n) => n.endsWith('.go'))) copyFileSync(join('testdata/go/leakysvc', name), join(dir, 'src', name));
  return dir;
}

describe('--help offers only what the command does', () => {
  it('trend refuses --diff-base (it orders snapshots by time), so its help does not list it; top, list and peek do', async () => {
    expect((await runCli(['trend', '--help'])).stdout).not.toContain('--diff-base');
    for (const command of ['top', 'list', 'peek']) expect((await runCli([command, '--help'])).stdout, command).toContain('--diff-base <file>');
  });
});

describe('--help examples', () => {
  it.each(COMMANDS)('%s --help ends with two or three examples', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    const tail = result.stdout.slice(result.stdout.lastIndexOf('\nExamples:\n'));
    const lines = tail.split('\n').filter((l) => l.startsWith('  heapdiff '));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(new RegExp(`^  heapdiff ${command} `));
  });

  it('every registered command has examples', async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = [...help.matchAll(/^  ([a-z-]+) (?:\[options\]|<)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(COMMANDS));
    // A new command adds its examples to EXAMPLES in src/cli/help-examples.ts.
    for (const command of commands) expect(EXAMPLES[command]?.length ?? 0, command).toBeGreaterThanOrEqual(2);
  });

  const examples = Object.values(EXAMPLES).flat().map((e) => e.line);
  it.each(examples)('runs as written: %s', async (line) => {
    const dir = exampleDir();
    const argv = shellWords(line);
    expect(argv[0]).toBe('heapdiff');
    // No live service here: a capture example must get as far as the request.
    const requested: string[] = [];
    const fetch = async (url: string) => {
      requested.push(url);
      return new Response('no pprof here', { status: 404, statusText: 'Not Found' });
    };
    const result = await runCliIn(dir, argv.slice(1), { fetch });
    if (argv[1] === 'ingest') {
      // No ClickHouse at localhost:8123 here (or one without the cluster): it gets as far as the store.
      if (result.code === 0) expect(result.stdout).toMatch(/^ingested /);
      else expect(result.stderr).toMatch(/^heapdiff: store http:\/\/default@localhost:8123\/heapdiff: /);
      return;
    }
    if (argv[1] === 'capture') {
      expect(result.code).toBe(2);
      expect(requested[0]).toMatch(/^http:\/\/localhost:6060\/debug\/pprof\/heap\?gc=1$/);
      expect(result.stderr).toMatch(/HTTP 404 Not Found/);
      return;
    }
    expect(result.stderr.split('\n').filter((l) => l.startsWith('heapdiff:') && !/gate|breach/i.test(l))).toEqual([]);
    expect([0, 1]).toContain(result.code);
    const output = argv.indexOf('-o');
    expect(output < 0 ? result.stdout : readdirSync(dir).join(' ')).toMatch(output < 0 ? /\S/ : new RegExp(argv[output + 1]!.replace('.', '\\.')));
  });
});
