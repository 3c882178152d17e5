import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { bytes, len } from '../test-support/wire-writer.js';
import { INFLATE_ASIDE_BYTES } from './load.js';
import { nodeIo, type InflatingEarly } from './node-io.js';

const root = resolve(import.meta.dirname, '../..');
const { startInflate } = createRequire(import.meta.url)('../../bin/load-bundle.js') as { startInflate(argv: string[]): InflatingEarly | undefined };
const scratch = mkdtempSync(join(tmpdir(), 'heapdiff-inflate-early-'));
// Gzipped, padded with half-random bytes: over INFLATE_ASIDE_BYTES compressed.
const gzipped = (name: string, leak: number) => {
  const raw = buildProfile({ samples: [heap(['main.leak@/a.go:3', 'main.main@/m.go:1'], leak), heap(['main.ok@/a.go:9'], 100)] }).encode();
  const path = join(scratch, name);
  writeFileSync(path, gzipSync(bytes(Array.from(raw), len(100, randomBytes(INFLATE_ASIDE_BYTES * 3).map((b) => b & 0x0f)))));
  return path;
};
const pair = [gzipped('a.pb.gz', 1000), gzipped('b.pb.gz', 5000)];
const small = ['heap-01.pb.gz', 'heap-08.pb.gz'].map((name) => join(root, 'testdata/go/leakysvc/profiles', name));

describe('the first input, inflated while the CLI loads (bin/load-bundle.js startInflate)', () => {
  it('is the first file a command reads first, gzip, as big as load.ts inflates aside', async () => {
    for (const argv of [['top', ...pair], pair, ['trend', '-n', '3', ...pair], ['list', 'main\\.', ...pair]]) {
      const early = startInflate(argv);
      expect(early?.path, argv.join(' ')).toBe(pair[0]);
      const inflated = await early!.inflated;
      expect('bytes' in inflated && Buffer.from(inflated.bytes).equals(gunzipSync(readFileSync(pair[0]!)))).toBe(true);
    }
    for (const argv of [['top', ...small], ['top', '--max-profile-size', '2GB', ...pair], ['top', '--base', pair[0]!, '--current', pair[1]!], ['capture', ...pair], ['top', 'missing.pb.gz']]) {
      expect(startInflate(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('is the run\'s when it reads that path first: the same bytes, inflated there, once', async () => {
    const early = startInflate(['top', ...pair])!;
    const io = nodeIo({ inflating: early });
    const limits = { maxBytes: early.maxBytes, timeoutMs: 1000 };
    expect(await io.readFile(pair[1]!, limits)).toEqual(new Uint8Array(readFileSync(pair[1]!)));
    const claimed = await io.readFile(pair[0]!, limits);
    expect(claimed).toEqual(new Uint8Array(readFileSync(pair[0]!)));
    expect(await io.inflatedEarly!(claimed)).toEqual({ bytes: gunzipSync(claimed) });
    // Read again (or under another cap), it is an ordinary read.
    const again = await io.readFile(pair[0]!, limits);
    expect(io.inflatedEarly!(again)).toBeUndefined();
    const other = nodeIo({ inflating: startInflate(['top', ...pair])! });
    expect(other.inflatedEarly!(await other.readFile(pair[0]!, { maxBytes: 1 << 20, timeoutMs: 1000 }))).toBeUndefined();
  });

  it('fails as inflating here fails: one line, exit 2', async () => {
    const early = startInflate(['top', ...pair])!;
    const failing: InflatingEarly = { ...early, inflated: Promise.resolve({ error: Object.assign(new Error('unexpected end of file'), { code: 'Z_BUF_ERROR' }) }) };
    const io = nodeIo({ inflating: failing });
    const out = await runCli(['top', ...pair], { readFile: io.readFile, inflatedEarly: io.inflatedEarly });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`heapdiff: decompressing profile: ${pair[0]}: unexpected end of gzip data (truncated file?)\n`);
  });

  it('runs the built CLI with both inputs of a pair inflated off its thread, for the same report', () => {
    const logger = join(scratch, 'log-gunzip.cjs');
    writeFileSync(
      logger,
      "const z = require('node:zlib'); const a = z.gunzip, s = z.gunzipSync;\n" +
        "z.gunzip = (...args) => (process.stderr.write('aside\\n'), a(...args)); z.gunzipSync = (...args) => (process.stderr.write('here\\n'), s(...args));\n",
    );
    const out = spawnSync(process.execPath, ['-r', logger, join(root, 'bin/heapdiff.js'), 'top', '-f', 'json', ...pair], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stderr.split('\n').filter(Boolean)).toEqual(['aside', 'aside']);
    return runCli(['top', '-f', 'json', ...pair], { inflateAside: undefined }).then((plain) => expect(out.stdout).toBe(plain.stdout));
  });
});
