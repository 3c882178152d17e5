import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { SMALL_INPUT_BYTES } from './node-io.js';

const root = resolve(import.meta.dirname, '../..');
const profile = (name: string) => join(root, 'testdata/go/leakysvc/profiles', name);
const profiles = ['heap-01.pb.gz', 'heap-08.pb.gz'].map(profile);

describe('the V8 flags a run asks for, through the Io seam', () => {
  const spied = async (argv: string[]) => {
    const calls: string[] = [];
    const { code } = await runCli(argv, {
      linearRegex: async () => void calls.push('linearRegex'),
      inputBytes: async (bytes) => void calls.push(`inputBytes ${bytes}`),
    });
    expect(code).toBe(0);
    return calls;
  };
  const total = profiles.reduce((sum, path) => sum + statSync(path).size, 0);

  it('tells the engine the compressed size of all it decodes, before decoding; a plain top needs no regex engine', async () => {
    expect(await spied(['top', ...profiles])).toEqual([`inputBytes ${total}`]);
  });

  it('enables the linear-time regex engine before a command compiles a regex: list, peek, --focus/--ignore/--hide', async () => {
    for (const argv of [['list', 'main\\.'], ['peek', 'main\\.'], ['top', '--focus', 'main'], ['top', '--ignore', 'x']]) {
      expect(await spied([...argv, ...profiles])).toEqual(['linearRegex', `inputBytes ${total}`]);
    }
    const series = ['heap-01.pb.gz', 'heap-02.pb.gz', 'heap-03.pb.gz'].map(profile);
    const seriesBytes = series.reduce((sum, path) => sum + statSync(path).size, 0);
    expect(await spied(['trend', '--hide', 'runtime\\.', ...series])).toEqual(['linearRegex', `inputBytes ${seriesBytes}`]);
  });
});

// Needs `npm run build`, as the other tests of bin/ do.
describe('the CLI as built (bin/heapdiff.js)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-flags-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Logs every flag the CLI sets, and every WebAssembly module it compiles, on stderr.
  const logger = join(dir, 'log-flags.cjs');
  writeFileSync(
    logger,
    "const v8 = require('node:v8'); const set = v8.setFlagsFromString; v8.setFlagsFromString = (flag) => { process.stderr.write(`flag ${flag}\\n`); set(flag); };\n" +
      'WebAssembly.Module = new Proxy(WebAssembly.Module, { construct(target, args) { process.stderr.write(`wasm ${args[0].length}\\n`); return Reflect.construct(target, args); } });\n',
  );
  const compiles = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('wasm '));
  const cli = (...argv: string[]) => spawnSync(process.execPath, ['-r', logger, join(root, 'bin/heapdiff.js'), ...argv], { encoding: 'utf8' });
  const flags = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('flag '));

  it('loads both bundles with their code caches: V8 refuses a cache made under other flags', () => {
    const check = `
      const { EventEmitter } = require('node:events');
      const { createRequire } = require('node:module');
      const { BUNDLE, WORKER_BUNDLE, compileBundle, codeCache } = require('./bin/load-bundle.js');
      const port = new EventEmitter();
      const real = createRequire(WORKER_BUNDLE);
      const worker = compileBundle(WORKER_BUNDLE, codeCache(WORKER_BUNDLE), (id) => (id === 'node:worker_threads' ? { parentPort: port } : real(id)));
      console.log(JSON.stringify([compileBundle(BUNDLE).script.cachedDataRejected, worker.script.cachedDataRejected]));`;
    const out = spawnSync(process.execPath, ['-e', check], { cwd: root, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual([false, false]);
  });

  it('turns the optimizing compiler and the WebAssembly kernels off for small inputs only, and sets no other flag a plain top does not need', () => {
    const small = cli('top', ...profiles);
    expect(small.status).toBe(0);
    expect(flags(small.stderr)).toEqual(['flag --max-opt=1']);
    expect(compiles(small.stderr)).toEqual([]);
    // Bigger than SMALL_INPUT_BYTES together: decided on what was read, before it is decoded (and refused).
    const big = join(dir, 'big.pb');
    writeFileSync(big, new Uint8Array(SMALL_INPUT_BYTES));
    const refused = cli('top', profiles[0]!, big);
    expect(refused.status).toBe(2);
    expect(flags(refused.stderr)).toEqual([]);
    // The decoder's kernel looked at it first (and left it to the JavaScript, which refused it).
    expect(compiles(refused.stderr)).toHaveLength(1);
    expect(refused.stderr.split('\n').filter((line) => line.startsWith('heapdiff: '))).toHaveLength(1);
  });

  it('enables the linear-time regex engine for a --focus run, which still matches as before', () => {
    const focused = cli('top', '--focus', 'main\\.', '-f', 'json', ...profiles);
    expect(focused.status).toBe(0);
    expect(flags(focused.stderr)).toEqual(['flag --enable-experimental-regexp-engine', 'flag --max-opt=1']);
    const rows = (JSON.parse(focused.stdout) as { rows: { name: string }[] }).rows;
    expect(rows.length).toBeGreaterThan(0);
  });
});
