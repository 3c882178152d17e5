import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeProfile } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { commandToRun } from './run.js';

const NODE_BASE = 'testdata/node/heap-base.pb.gz';
const NODE_CURRENT = 'testdata/node/heap-current.pb.gz';
const scratch = mkdtempSync(join(tmpdir(), 'heapdiff-cli-'));

function scratchFile(name: string, bytes: Uint8Array | string): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

/** One line on stderr, exit 2, and no stack trace: the contract for every user error. */
function expectTrouble(result: { code: number; stdout: string; stderr: string }, message: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('heapdiff top', () => {
  it('ranks the leaking function of a real Node profile pair first', async () => {
    const result = await runCli(['top', NODE_BASE, NODE_CURRENT]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const rows = result.stdout.split('\n');
    const header = rows.findIndex((l) => l.trimStart().startsWith('Δflat'));
    expect(rows[header + 1]).toMatch(/^\s*\+32\.40MB\s.*grew\s+rememberRequest$/);
    expect(result.stdout).toContain(`Base:     ${NODE_BASE}`);
    expect(result.stdout).toMatch(/Total:\s+37\.13MB → 71\.55MB/);
  });

  it('is the default command, and accepts --diff-base as pprof users write it', async () => {
    const plain = await runCli(['top', NODE_BASE, NODE_CURRENT]);
    expect((await runCli([NODE_BASE, NODE_CURRENT])).stdout).toBe(plain.stdout);
    const pprofStyle = await runCli(['top', '--diff-base', NODE_BASE, NODE_CURRENT]);
    expect(pprofStyle.stdout).toBe(plain.stdout);
  });

  it('prints JSON with raw numbers', async () => {
    const result = await runCli(['top', '--format', 'json', '-n', '3', NODE_BASE, NODE_CURRENT]);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schemaVersion: 2, kind: 'diff', sampleType: { type: 'inuse_space', unit: 'bytes' } });
    expect(doc.rows).toHaveLength(3);
    expect(doc.rows[0]).toMatchObject({ name: 'rememberRequest', flat: 33973384, cum: 34890888, status: 'grew' });
    expect(doc.rows[0].current.flat - doc.rows[0].base.flat).toBe(doc.rows[0].flat);
    expect(doc.base.source).toBe(NODE_BASE);
  });

  it('colours only when asked or on a terminal, and honours NO_COLOR', async () => {
    const hasAnsi = (s: string) => s.includes('\x1b[');
    expect(hasAnsi((await runCli([NODE_BASE, NODE_CURRENT])).stdout)).toBe(false);
    expect(hasAnsi((await runCli([NODE_BASE, NODE_CURRENT], { stdoutIsTTY: true })).stdout)).toBe(true);
    expect(hasAnsi((await runCli([NODE_BASE, NODE_CURRENT], { stdoutIsTTY: true, env: { NO_COLOR: '1' } })).stdout)).toBe(false);
    expect(hasAnsi((await runCli([NODE_BASE, NODE_CURRENT], { env: { FORCE_COLOR: '1' } })).stdout)).toBe(true);
  });

  it('prints help and exits 0', async () => {
    const result = await runCli(['top', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--sample-index');
  });
});

describe('bad input: one line on stderr, exit 2', () => {
  it.each([
    ['a missing file', ['top', 'testdata/nope.pb.gz'], /^heapdiff: reading profile: testdata\/nope\.pb\.gz: no such file\n$/],
    ['a directory without profiles', ['top', 'testdata'], /^heapdiff: reading profile: testdata: the directory holds no profile\n$/],
    ['a file that is not a profile', ['top', 'package.json'], /^heapdiff: (parsing|malformed) profile: package\.json: /],
    ['an unknown flag', ['top', '--bogus', NODE_BASE], /^heapdiff: unknown option '--bogus'/],
    ['a bad granularity', ['top', '-g', 'stacks', NODE_BASE], /^heapdiff: option .* argument 'stacks' is invalid/],
    ['a bad node count', ['top', '-n', 'ten', NODE_BASE], /^heapdiff: option .*nodecount.* expected a whole number/],
    ['a bad size', ['top', '--max-profile-size', '12XB', NODE_BASE], /^heapdiff: option .* invalid size "12XB"/],
    ['a zero --max-profile-size', ['top', '--max-profile-size', '0', NODE_BASE], /^heapdiff: option '--max-profile-size <size>' argument '0' is invalid\. expected a size from 1B to 4GB\n$/],
    ['a --max-profile-size above 4GB', ['top', '--max-profile-size', '5GB', NODE_BASE], /^heapdiff: option '--max-profile-size <size>' argument '5GB' is invalid\. expected a size from 1B to 4GB\n$/],
    ['both --diff-base and two profiles', ['top', '--diff-base', NODE_BASE, NODE_BASE, NODE_CURRENT], /^heapdiff: invalid arguments: top takes one profile besides --diff-base, not 2: quote globs/],
    ['a missing sample type', ['top', '-i', 'alloc_space', NODE_BASE, NODE_CURRENT], /^heapdiff: selecting sample type: no sample type "alloc_space": base has inuse_objects, inuse_space; current has inuse_objects, inuse_space\n$/],
    ['an invalid regex', ['top', '--focus', '(', NODE_BASE], /^heapdiff: invalid option: --focus "\(" is not a valid regular expression/],
    ['no arguments', ['top'], /^heapdiff: invalid arguments: top needs a profile\n$/],
  ])('%s', async (_, argv, message) => {
    expectTrouble(await runCli(argv), message);
  });

  it('a truncated gzip, an empty file and random bytes', async () => {
    const whole = readFileSync(NODE_BASE);
    expectTrouble(await runCli(['top', scratchFile('cut.pb.gz', whole.subarray(0, whole.length / 2))]), /^heapdiff: decompressing profile: .*cut\.pb\.gz: unexpected end of gzip data/);
    expectTrouble(await runCli(['top', scratchFile('empty.pb.gz', '')]), /^heapdiff: parsing profile: .*empty\.pb\.gz: the input is empty/);
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    expectTrouble(await runCli(['top', scratchFile('random.bin', random)]), /^heapdiff: (parsing|malformed) profile: /);
  });

  it('profiles that share no sample type', async () => {
    const cpu = scratchFile('cpu.pb.gz', encodeProfile({ sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']], samples: [] }));
    expectTrouble(await runCli(['top', cpu, NODE_CURRENT]), /^heapdiff: comparing profiles: the profiles share no sample type: base has samples, cpu; current has inuse_objects, inuse_space/);
  });

  it('an internal error is one line, and --debug adds its stack', async () => {
    const failingOutput = { stdout: () => { throw new TypeError('boom'); } };
    const quiet = await runCli(['top', NODE_BASE], failingOutput);
    expect(quiet).toMatchObject({ code: 2, stderr: 'heapdiff: boom\n' });
    const debug = await runCli(['top', '--debug', NODE_BASE], failingOutput);
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^heapdiff: boom\nTypeError: boom\n\s+at /);
  });
});

describe('which commands a run registers', () => {
  it('only the one argv[0] names, or top for a profile; all for help, --version, flags first and words that may be typos', () => {
    expect(commandToRun(['top', 'a.pb.gz', 'b.pb.gz'])).toBe('top');
    expect(commandToRun(['list', 'main\\.', 'a.pb.gz'])).toBe('list');
    expect(commandToRun(['trend', '--fail-on', 'leaks>0', 'snapshots/*.pb.gz'])).toBe('trend');
    expect(commandToRun(['heap-01.pb.gz', 'heap-08.pb.gz'])).toBe('top');
    for (const argv of [[], ['--help'], ['help', 'top'], ['top', '--help'], ['top', '-h'], ['-V'], ['--version'], ['top', '-nh'], ['-n', '5', 'a.pb.gz'], ['tpo', 'a.pb.gz'], ['snapshots']]) {
      expect(commandToRun(argv)).toBeUndefined();
    }
  });

  it('refuses what another command would take, in one line, as with every command registered', async () => {
    const [base, current] = [NODE_BASE, NODE_CURRENT];
    const refused = await runCli(['top', '--source-path', 'src', base, current]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe("heapdiff: unknown option '--source-path'\n");
    const typo = await runCli(['tpo', base, current]);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toMatch(/^heapdiff: invalid arguments: 'tpo' is neither a command nor a file; did you mean 'heapdiff top'\? \(commands: top, list, peek, trend, capture, ingest; heapdiff --help\)\n$/);
  });
});
