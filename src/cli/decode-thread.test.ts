import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PROFILE_BYTES } from '../decode/inflate.js';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { buildProfile, encodeProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { bytes as wire, len, tag, varint } from '../test-support/wire-writer.js';
import { DecodeThread, awaitReply, untransferable } from './decode-thread.js';
import { OFF_THREAD_BYTES } from './load.js';

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

  it('takes the bytes themselves when handed over (the buffer of the caller moves, not copied), else a copy', async () => {
    const thread = new DecodeThread(await workerScript());
    const kept = bytes.slice();
    expect(await thread.tryDecode(kept, 1 << 20)).toEqual(parseProfile(bytes));
    expect(kept).toEqual(bytes);
    const given = bytes.slice();
    expect(await thread.tryDecode(given, 1 << 20, undefined, undefined, true)).toEqual(parseProfile(bytes));
    expect(given.buffer.byteLength).toBe(0);
  });

  it('hands over the file it was started to decode early: once, for that path and the default size cap only', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'heapdiff-early-')), 'early.pb.gz');
    writeFileSync(path, bytes);
    const script = await workerScript();
    const started = () => new Worker(script, { workerData: { path } });
    const thread = new DecodeThread(script, started(), path);
    expect(thread.tryDecodeEarly('other.pb.gz', DEFAULT_MAX_PROFILE_BYTES)).toBeUndefined();
    expect(thread.tryDecodeEarly(path, DEFAULT_MAX_PROFILE_BYTES - 1)).toBeUndefined();
    expect(await thread.tryDecodeEarly(path, DEFAULT_MAX_PROFILE_BYTES)).toEqual(parseProfile(bytes));
    expect(thread.tryDecodeEarly(path, DEFAULT_MAX_PROFILE_BYTES)).toBeUndefined();
    // Another job first: the early profile is let go, and the thread decodes what it is sent.
    const other = new DecodeThread(script, started(), path);
    expect(await other.tryDecode(bytes, 1 << 20)).toEqual(parseProfile(bytes));
    expect(other.tryDecodeEarly(path, DEFAULT_MAX_PROFILE_BYTES)).toBeUndefined();
    // A file that is no profile fails there as it would here.
    writeFileSync(path, bytes.subarray(0, 40));
    const error = await new DecodeThread(script, started(), path).tryDecodeEarly(path, DEFAULT_MAX_PROFILE_BYTES)!.catch((e: unknown) => e);
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

  it('takes over a worker started early; one that failed to start is dropped, and the job rejects with a plain Error', async () => {
    const thread = new DecodeThread(await workerScript(), new Worker(await workerScript()));
    expect(await thread.tryDecode(bytes, 1 << 20)).toEqual(parseProfile(bytes));
    // Failing as it starts, before any job and with no one listening yet: no uncaught error.
    const missing = new URL('file:///nonexistent/decode-worker.js');
    const failing = new Worker(missing);
    const stopped = new Promise((done) => failing.once('exit', done));
    const dead = new DecodeThread(missing, failing);
    await stopped;
    const error = await dead.tryDecode(bytes, 1 << 20)!.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ProfileError);
    // Handed a job while still failing to start: the same.
    const early = await new DecodeThread(missing, new Worker(missing)).tryDecode(bytes, 1 << 20)!.catch((e: unknown) => e);
    expect(early).toBeInstanceOf(Error);
    expect(early).not.toBeInstanceOf(ProfileError);
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

describe('the CLI as built (bin/heapdiff.js), its helper thread started before the CLI loads', () => {
  const root = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Raw protobuf padded with an unknown field: big enough for the helper thread.
  const big = (name: string, leak: number) => {
    const raw = buildProfile({ samples: [heap(['main.leak@/a.go:3', 'main.main@/m.go:1'], leak), heap(['main.ok@/a.go:9'], 100)] }).encode();
    const path = join(dir, name);
    writeFileSync(path, wire(Array.from(raw), len(100, new Uint8Array(OFF_THREAD_BYTES))));
    return path;
  };
  const [base, current] = [big('base.pb', 1000), big('current.pb', 50_000)];
  // A gzip stream cut short, as big (of noise, which gzip cannot shrink): it fails as it inflates.
  const cut = join(dir, 'cut.pb.gz');
  let x = 2463534242;
  const noise = Uint8Array.from({ length: OFF_THREAD_BYTES + 4096 }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 24));
  writeFileSync(cut, gzipSync(noise).subarray(0, OFF_THREAD_BYTES + 1024));
  const cli = (...argv: string[]) => spawnSync(process.execPath, [join(root, 'bin/heapdiff.js'), ...argv], { encoding: 'utf8' });

  it('guesses from argv as load.ts decides: the same size threshold', () => {
    const { HELPER_WORTH_BYTES } = createRequire(import.meta.url)('../../bin/load-bundle.js') as { HELPER_WORTH_BYTES: number };
    expect(HELPER_WORTH_BYTES).toBe(OFF_THREAD_BYTES);
  });

  it('diffs two big profiles on two threads exactly as on one', async () => {
    const two = cli('top', '--format', 'json', base, current);
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    const one = await runCli(['top', '--format', 'json', base, current], { decodeOffThread: () => undefined });
    expect(two.stdout).toBe(one.stdout);
  });

  // A real pair, each padded past the threshold, and a preload that hears the helper's replies.
  const padded = (name: string) => {
    const raw = gunzipSync(readFileSync(join(root, 'testdata/go/leakysvc/profiles', name)));
    const path = join(dir, name.replace('.gz', ''));
    writeFileSync(path, wire(Array.from(raw), len(100, new Uint8Array(OFF_THREAD_BYTES))));
    return path;
  };
  const [realBase, realCurrent] = [padded('heap-01.pb.gz'), padded('heap-07.pb.gz')];
  const spy = join(dir, 'spy.cjs');
  writeFileSync(
    spy,
    `const { Worker, isMainThread } = require('node:worker_threads');
if (isMainThread) {
  const emit = Worker.prototype.emit;
  Worker.prototype.emit = function (event, message, ...rest) {
    if (event === 'message' && message && message.kind === 'done') process.stderr.write(message.side ? 'side\\n' : 'no side\\n');
    return emit.call(this, event, message, ...rest);
  };
  const threads = require('node:worker_threads');
  threads.Worker = class extends Worker {
    constructor(script, options) {
      if (options && options.workerData) process.stderr.write('early decode of ' + require('node:path').basename(options.workerData.path) + ', ');
      super(script, options);
    }
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (request, ...rest) {
    process.stderr.write(request.early ? 'early, ' : 'bytes, ');
    return post.call(this, request, ...rest);
  };
}
`,
  );
  const spied = (...argv: string[]) => spawnSync(process.execPath, ['--require', spy, join(root, 'bin/heapdiff.js'), ...argv], { encoding: 'utf8' });

  // A base that this thread takes long to decode (it inflates to 96 MB), so that the helper,
  // decoding the current side from the start (bin/ names it), is done first and sums its sites:
  // it does only while this thread still decodes.
  const slowBase = join(dir, 'slow-base.pb.gz');
  const field = (n: number, payload: Uint8Array) => Buffer.concat([Uint8Array.from([...tag(n, 2), ...varint(payload.length)]), payload]);
  writeFileSync(slowBase, gzipSync(Buffer.concat([gunzipSync(readFileSync(join(root, 'testdata/go/leakysvc/profiles/heap-01.pb.gz'))), field(100, new Uint8Array(96 << 20)), field(101, noise)]), { level: 1 }));

  it.each([
    [['--format', 'json', '-n', '0'], 'side'],
    [['--format', 'json', '-g', 'lines', '--cum'], 'side'],
    [['--format', 'json', '-g', 'files', '--sample-index', 'alloc_space', '--same-process'], 'side'],
    [['--format', 'markdown', '--sample-index', '1'], 'side'],
    [['--format', 'json', '--focus', 'cache'], 'no side'],
    [['--format', 'json', '--hide', 'runtime'], 'no side'],
  ])('reports a pair whose side the helper aggregated exactly as one thread does (%j)', async (options, heard) => {
    const one = await runCli(['top', ...options, slowBase, realCurrent], { decodeOffThread: () => undefined });
    // Which thread is done decoding first is up to the scheduler: a busy machine may start the
    // helper late. A few tries, for a run in which the helper sent its side (when it may).
    for (let attempt = 1; ; attempt++) {
      const two = spied('top', ...options, slowBase, realCurrent);
      expect(two.stderr).toMatch(/^early decode of heap-07\.pb, early, (no )?side\n$/);
      expect(two.status).toBe(0);
      expect(two.stdout).toBe(one.stdout);
      if (two.stderr.endsWith(`, ${heard}\n`) || attempt === 3) {
        expect(two.stderr).toBe(`early decode of heap-07.pb, early, ${heard}\n`);
        break;
      }
    }
  });

  it('leaves the side to this thread when it is done decoding first, and reports the same', async () => {
    // Here this thread decodes the small base, the helper the slow one.
    const argv = ['top', '--format', 'json', realCurrent, slowBase];
    const two = spied(...argv);
    expect(two.stderr).toBe('early decode of slow-base.pb.gz, early, no side\n');
    const one = await runCli(argv, { decodeOffThread: () => undefined });
    expect(two.stdout).toBe(one.stdout);
  });

  it('decodes early for top as the default command, and for list', async () => {
    for (const argv of [[slowBase, realCurrent], ['list', '--format', 'json', 'remember', slowBase, realCurrent]]) {
      const two = spied(...argv);
      // Whether the helper sends top a side depends on which thread is done first (see above).
      expect(two.stderr).toMatch(argv[0] === 'list' ? /^early decode of heap-07\.pb, early, no side\n$/ : /^early decode of heap-07\.pb, early, (no )?side\n$/);
      expect(two.status).toBe(0);
      const one = await runCli(argv, { decodeOffThread: () => undefined });
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('decodes nothing early when the first two files named are not both big (a trend of a small one, then big ones)', async () => {
    const small = join(root, 'testdata/go/leakysvc/profiles/heap-01.pb.gz');
    const argv = ['trend', '--format', 'json', small, realBase, realCurrent];
    const two = spied(...argv);
    expect(two.stderr).not.toMatch(/early/);
    expect(two.status).toBe(0);
    const one = await runCli(argv, { decodeOffThread: () => undefined });
    expect(two.stdout).toBe(one.stdout);
  });

  it('reports as one thread does when the early guess is wrong or not made (other order, another size cap)', async () => {
    for (const [options, heard] of [
      [['--current', slowBase, '--base', realCurrent], /^early decode of heap-07\.pb, bytes, (no )?side\n$/],
      [['--max-profile-size', '1GB', realCurrent, slowBase], /^bytes, (no )?side\n$/],
      [['--max-profile-size=512MB', realCurrent, slowBase], /^bytes, (no )?side\n$/],
    ] as const) {
      const two = spied('top', '--format', 'json', ...options);
      expect(two.stderr).toMatch(heard);
      expect(two.status).toBe(0);
      const one = await runCli(['top', '--format', 'json', ...options], { decodeOffThread: () => undefined });
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('refuses a sample type the pair lacks as one thread does, though the helper could not aggregate its side', async () => {
    const two = spied('top', '--sample-index', 'nosuch', realBase, realCurrent);
    expect(two.status).toBe(2);
    const one = await runCli(['top', '--sample-index', 'nosuch', realBase, realCurrent], { decodeOffThread: () => undefined });
    expect(one.stderr).toMatch(/^heapdiff: selecting sample type: .*nosuch.*\n$/);
    expect(two.stderr).toBe(`early decode of heap-07.pb, early, no side\n${one.stderr}`);
  });

  it('hands the big inputs of a set over to the helper, and decodes one here from a fresh read when the helper failed after taking it', async () => {
    const sides = ['--base', base, '--base', current, '--current', current, '--current', base];
    const one = await runCli(['top', '--format', 'json', ...sides], { decodeOffThread: () => undefined });
    expect(one.code).toBe(0);
    const handedOver: boolean[] = [];
    const failing = await runCli(['top', '--format', 'json', ...sides], {
      offThreadLanes: () => 1,
      decodeOffThread: (given, _maxBytes, _onProgress, _side, handOver) => {
        handedOver.push(handOver === true);
        // Taken, as postMessage's transfer takes it, then lost with the thread.
        structuredClone(given, { transfer: [given.buffer as ArrayBuffer] });
        return Promise.reject(new Error('the helper thread stopped (exit code 3) before replying'));
      },
    });
    expect(handedOver).toEqual([true, true, true, true]);
    expect(failing.stderr).toBe('');
    expect(failing.stdout).toBe(one.stdout);
  });

  it('refuses a bad big profile in one line with exit 2, whichever thread decodes it', () => {
    // The helper takes the first input, this thread the second.
    for (const argv of [[cut, current], [base, cut]]) {
      const refused = cli('top', ...argv);
      expect(refused.status).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/^heapdiff: decompressing profile: .*cut\.pb\.gz: .*\n$/);
    }
  });
});
