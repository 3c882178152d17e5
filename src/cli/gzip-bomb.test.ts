import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { runCli } from '../test-support/fake-io.js';
import { packedLocationBomb } from '../test-support/hostile-bytes.js';
import { DecodeThread } from './decode-thread.js';

/**
 * A gzip bomb: 10 GiB of zeros in ~11 MB, as 10,240 gzip members of 1 MiB each (a gzip stream
 * may hold several; every inflater reads them all). The size cap must stop it while inflating,
 * on this thread, on the helper thread, and in the library's portable inflater.
 */
const member = gzipSync(new Uint8Array(1 << 20));
const bomb = new Uint8Array(member.length * 10_240);
for (let i = 0; i < 10_240; i++) bomb.set(member, i * member.length);
const path = join(mkdtempSync(join(tmpdir(), 'heapdiff-bomb-')), 'bomb.pb.gz');
writeFileSync(path, bomb);
const refusal = `heapdiff: decompressing profile: ${path}: inflates to more than 67108864 bytes (raise --max-profile-size if this is genuine)\n`;

// The helper thread runs JavaScript: bundle the worker's TypeScript as the build would compile it.
async function helperThread(): Promise<DecodeThread> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'heapdiff-worker-')), 'decode-worker.mjs');
  await build({ entryPoints: ['src/cli/decode-worker.ts'], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
  return new DecodeThread(pathToFileURL(outfile));
}

describe('a gzip bomb', () => {
  it('is a few MB that inflates to 10 GiB', () => {
    expect(bomb.length).toBeLessThan(12 << 20);
    expect((10 * 2 ** 30) / bomb.length).toBeGreaterThan(900);
  });

  it('is refused with exit 2 when decoded on this thread', async () => {
    const result = await runCli(['top', '--max-profile-size', '64MB', path], { decodeOffThread: () => undefined });
    expect(result).toEqual({ code: 2, stdout: '', stderr: refusal });
  });

  it('is refused with exit 2 when decoded on the helper thread', async () => {
    const thread = await helperThread();
    let used = false;
    const result = await runCli(['top', '--max-profile-size', '64MB', path], {
      decodeOffThread: (bytes, maxBytes, onProgress) => {
        used = true;
        return thread.tryDecode(bytes, maxBytes, onProgress);
      },
    });
    expect(used).toBe(true);
    expect(result).toEqual({ code: 2, stdout: '', stderr: refusal });
  });

  it("is refused by the library's portable inflater", () => {
    expect(() => parseProfile(bomb, { maxBytes: 64 << 20 })).toThrow(
      new ProfileError('decompressing profile', 'inflates to more than 67108864 bytes (raise the maxBytes option if this is genuine)'),
    );
  });
});

describe('a packed-location bomb', () => {
  // 60 MB of one-byte location ids inside a 64 MB cap: 480 MB of ids and 240 MB of frames.
  const bombPath = join(mkdtempSync(join(tmpdir(), 'heapdiff-bomb-')), 'locations.pb.gz');
  writeFileSync(bombPath, gzipSync(packedLocationBomb(60 << 20), { level: 1 }));
  const overBudget = `heapdiff: parsing profile: ${bombPath}: its stacks and values need more than 67108864 bytes of memory (8 per location id and value, 4 per expanded frame): raise --max-profile-size if this is genuine\n`;

  it('is refused with one line, on this thread and on the helper thread', async () => {
    const here = await runCli(['top', '--max-profile-size', '64MB', bombPath], { decodeOffThread: () => undefined });
    expect(here).toEqual({ code: 2, stdout: '', stderr: overBudget });
    const thread = await helperThread();
    const there = await runCli(['top', '--max-profile-size', '64MB', bombPath], { decodeOffThread: (bytes, maxBytes) => thread.tryDecode(bytes, maxBytes) });
    expect(there).toEqual({ code: 2, stdout: '', stderr: overBudget });
  });
});
