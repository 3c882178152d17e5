import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { DecodeThread, awaitReply, untransferable } from './decode-thread.js';

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

  it('settles when the thread exits without a reply, and starts a fresh one next time', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'heapdiff-worker-')), 'exits.mjs');
    writeFileSync(script, "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));\n");
    const thread = new DecodeThread(pathToFileURL(script));
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await thread.tryDecode(bytes, 1 << 20)!.catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(ProfileError);
      expect((error as Error).message).toBe('the helper thread stopped (exit code 3) before replying');
    }
  });

  it('settles when the reply cannot be deserialised (messageerror), and stops listening', async () => {
    const worker = new EventEmitter();
    const reply = awaitReply(worker);
    worker.emit('messageerror', new Error('Unable to deserialize cloned data'));
    await expect(reply).rejects.toThrow("the helper thread's reply could not be read: Unable to deserialize cloned data");
    expect(['message', 'messageerror', 'error', 'exit'].map((e) => worker.listenerCount(e))).toEqual([0, 0, 0, 0]);
  });

  it('never sends a buffer of 4 GiB or more across threads (Node 20 would cut its length mod 2^32)', () => {
    expect(untransferable([new ArrayBuffer(8), new ArrayBuffer(16)], 16)).toBe('a decoded array of 16 bytes is too big to pass between threads');
    expect(untransferable([new ArrayBuffer(8), new ArrayBuffer(15)], 16)).toBeNull();
  });
});
