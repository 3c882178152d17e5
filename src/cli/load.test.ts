import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { buildProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { bytes, len } from '../test-support/wire-writer.js';
import type { Io } from './io.js';
import { OFF_THREAD_BYTES } from './load.js';

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
