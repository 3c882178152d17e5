import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { buildProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { bytes, len } from '../test-support/wire-writer.js';
import type { Io } from './io.js';
import { INFLATE_ASIDE_BYTES, OFF_THREAD_BYTES } from './load.js';
import { zlibGunzipAside } from './zlib-gunzip.js';

// Raw protobuf padded with an unknown field: big enough for the helper thread.
const scratch = mkdtempSync(join(tmpdir(), 'heapdiff-load-'));
const big = (name: string, leak: number) => {
  const raw = buildProfile({ samples: [heap(['main.leak@/a.go:3', 'main.main@/m.go:1'], leak), heap(['main.ok@/a.go:9'], 100)] }).encode();
  const path = join(scratch, name);
  writeFileSync(path, bytes(Array.from(raw), len(100, new Uint8Array(OFF_THREAD_BYTES))));
  return path;
};
const paths = [big('a.pb', 1000), big('b.pb', 5000), big('c.pb', 9000)];

describe('loading several big profiles', () => {
  // A helper thread that is always busy: everything decodes here.
  const plain = () => runCli(['trend', '--format', 'json', ...paths], { decodeOffThread: () => undefined });

  it('shares them between this thread and the helper thread, with the same result', async () => {
    const sent: number[] = [];
    const helper: Io['decodeOffThread'] = (input) => {
      sent.push(input.length);
      return Promise.resolve(parseProfile(input));
    };
    const shared = await runCli(['trend', '--format', 'json', ...paths], { decodeOffThread: helper });
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThan(paths.length);
    expect(shared).toEqual(await plain());
  });

  it('decodes here when the helper thread fails, and names the file when the profile does', async () => {
    const broken = await runCli(['trend', '--format', 'json', ...paths], { decodeOffThread: () => Promise.reject(new Error('no workers here')) });
    expect(broken).toEqual(await plain());
    const refused = await runCli(['trend', ...paths], {
      decodeOffThread: () => Promise.reject(new ProfileError('malformed profile', 'sample 0 refers to location 9, which does not exist')),
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^heapdiff: malformed profile: .*a\.pb: sample 0 refers to location 9/);
  });
});

describe('inflating the next input aside (libuv pool) while this thread decodes one', () => {
  // Gzipped, with random padding gzip cannot shrink: big enough to be inflated aside.
  const gzipped = (name: string, leak: number, corrupt?: 'data' | 'trailer') => {
    const raw = buildProfile({ samples: [heap(['main.leak@/a.go:3', 'main.main@/m.go:1'], leak), heap(['main.ok@/a.go:9'], 100)] }).encode();
    // Half the bits random: ~2x smaller gzipped, still over INFLATE_ASIDE_BYTES.
    const file = gzipSync(bytes(Array.from(raw), len(100, randomBytes(INFLATE_ASIDE_BYTES * 3).map((b) => b & 0x0f))));
    // A byte of the data changed (it fails gzip's check), or a trailer that says it inflates to 64 kB.
    if (corrupt === 'data') file[file.length >> 1] = file[file.length >> 1]! ^ 0xff;
    if (corrupt === 'trailer') file.set([0, 0, 1, 0], file.length - 4);
    const path = join(scratch, name);
    writeFileSync(path, file);
    return path;
  };
  const pair = [gzipped('a.pb.gz', 1000), gzipped('b.pb.gz', 5000)];
  const spy = () => {
    const asked: number[] = [];
    const inflateAside: Io['inflateAside'] = (input, maxBytes) => {
      asked.push(input.length);
      return zlibGunzipAside(input, maxBytes);
    };
    return { asked, inflateAside };
  };

  it('inflates the second of a pair aside while the first decodes, for the same report', async () => {
    const { asked, inflateAside } = spy();
    const aside = await runCli(['top', '-f', 'json', ...pair], { inflateAside });
    expect(aside.code).toBe(0);
    expect(asked).toEqual([statSync(pair[1]!).size]);
    expect(aside).toEqual(await runCli(['top', '-f', 'json', ...pair], { inflateAside: undefined }));
  });

  it('says what went wrong aside as inflating here would: one line, exit 2, the file named', async () => {
    const broken = [pair[0]!, gzipped('corrupt.pb.gz', 5000, 'data')];
    const { asked, inflateAside } = spy();
    const aside = await runCli(['top', ...broken], { inflateAside });
    expect(asked).toHaveLength(1);
    expect(aside.code).toBe(2);
    expect(aside.stderr).toMatch(new RegExp(`^heapdiff: decompressing profile: ${broken[1]}: [^\n]+\n$`));
    expect(aside).toEqual(await runCli(['top', ...broken], { inflateAside: undefined }));
    // More than --max-profile-size, by a trailer that said less: the same refusal, stopped aside.
    const lying = ['--max-profile-size', String(INFLATE_ASIDE_BYTES * 2), pair[0]!, gzipped('lying.pb.gz', 5000, 'trailer')];
    const capped = spy();
    const refused = await runCli(['top', ...lying], { inflateAside: capped.inflateAside });
    expect(capped.asked).toHaveLength(1);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('inflates to more than');
    expect(refused).toEqual(await runCli(['top', ...lying], { inflateAside: undefined }));
  });

  it('leaves small inputs to gunzip here', async () => {
    const { asked, inflateAside } = spy();
    const small = ['heap-01.pb.gz', 'heap-08.pb.gz'].map((name) => join(import.meta.dirname, '../../testdata/go/leakysvc/profiles', name));
    expect((await runCli(['top', ...small], { inflateAside })).code).toBe(0);
    expect(asked).toEqual([]);
  });
});
