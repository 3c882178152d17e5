import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { DecodeThread } from './decode-thread.js';

// Workers run JavaScript: bundle the worker's TypeScript as the build would compile it.
async function workerScript(): Promise<URL> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'heapdiff-worker-')), 'decode-worker.mjs');
  await build({ entryPoints: ['src/cli/decode-worker.ts'], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'silent' });
  return pathToFileURL(outfile);
}

describe('DecodeThread', () => {
  const bytes = encodeProfile({ samples: [heap(['main.leaf@/a.go:3 + main.caller@/a.go:9', 'main.main@/m.go:1'], 4096)] });

  it('decodes on another thread exactly as here, one profile at a time', async () => {
    const thread = new DecodeThread(await workerScript());
    const steps: string[] = [];
    const job = thread.tryDecode(bytes, 1 << 20, (step) => steps.push(step));
    expect(thread.tryDecode(bytes, 1 << 20)).toBeUndefined();
    expect(await job).toEqual(parseProfile(bytes));
    expect(steps).toEqual(['inflating']);
    // Free again once done; the thread then refuses bad input with the step that failed.
    const error = await thread.tryDecode(bytes.subarray(0, 40), 1 << 20)!.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).message).toMatch(/^decompressing profile: .*truncated/);
  });

  it('rejects with a plain Error when the thread cannot start, so the caller decodes itself', async () => {
    const thread = new DecodeThread(new URL('file:///nonexistent/decode-worker.js'));
    const error = await thread.tryDecode(bytes, 1 << 20)!.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ProfileError);
    // Not left busy: the next call tries again.
    await expect(thread.tryDecode(bytes, 1 << 20)).rejects.toThrow();
  });
});
