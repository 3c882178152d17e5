import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { adoptSide, type SideRequest } from '../analysis/side-aggregate.js';
import { DEFAULT_MAX_PROFILE_BYTES } from '../decode/inflate.js';
import type { OnProgress } from '../decode/parse-with.js';
import { ProfileError, describeThrown } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import type { DecodeReply, DecodeRequest } from './decode-messages.js';

export { untransferable, type DecodeReply, type DecodeRequest } from './decode-messages.js';

/**
 * A second thread that decodes one profile at a time, so that two big profiles decode at once
 * on two cores. The worker starts on first use, unless one already started is handed over, and
 * holds the process open only while it works.
 */
export class DecodeThread {
  private worker: Worker | undefined;
  private busy = false;

  /**
   * `script` is the worker's entry: the compiled decode-worker.js beside this module unless given
   * (bin/ gives its own, which loads the worker's bundle with a code cache; tests, a bundle of
   * decode-worker.ts). `started`: a worker already running it; `early`: the file it was started
   * to decode at once (bin/ guessed it from argv), kept there until claimed (tryDecodeEarly).
   */
  constructor(
    private readonly script: URL = new URL('./decode-worker.js', import.meta.url),
    started?: Worker,
    private early?: string,
  ) {
    if (started) this.worker = this.watch(started);
    else this.early = undefined;
  }

  /**
   * A worker that fails or stops between jobs (one started early may fail to start at all) is
   * dropped, and the next job starts a fresh one; during a job, awaitReply hears it too.
   */
  private watch(worker: Worker): Worker {
    worker.unref();
    worker.on('error', () => {}).once('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // A fresh thread has no early profile.
      this.early = undefined;
    });
    return worker;
  }

  /**
   * Decodes on the helper thread, or returns undefined when it is busy (decode here instead).
   * Rejects with the worker's ProfileError, or with another Error when the thread itself failed.
   * `side`: aggregate it there too, for reports of the profile to adopt (side-aggregate.ts).
   * `handOver`: the bytes' buffer moves to the thread (detached here, not copied twice on the way).
   */
  tryDecode(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress, side?: SideRequest, handOver = false): Promise<Profile> | undefined {
    if (this.busy) return undefined;
    this.busy = true;
    return this.decode(bytes, maxBytes, onProgress, side, handOver).finally(() => (this.busy = false));
  }

  /**
   * The profile of `path`, which the thread was started to decode early, or undefined when it was
   * given another file (or none), the run has another size cap, or the thread is busy: the caller
   * then reads the file as any other. Claimed once; any other job makes the thread let it go.
   */
  tryDecodeEarly(path: string, maxBytes: number, side?: SideRequest): Promise<Profile> | undefined {
    if (this.busy || this.early === undefined || this.early !== path || maxBytes !== DEFAULT_MAX_PROFILE_BYTES) return undefined;
    this.early = undefined;
    this.busy = true;
    return this.send({ early: true, maxBytes, ...(side ? { side } : {}) }).finally(() => (this.busy = false));
  }

  /**
   * Ends the thread if it is idle (a later decode starts another): its heap, with the garbage of
   * the profiles it decoded, is otherwise part of the process's peak memory.
   */
  stop(): void {
    if (this.busy || !this.worker) return;
    void this.worker.terminate();
    this.worker = undefined;
    this.early = undefined;
  }

  private decode(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress, side?: SideRequest, handOver = false): Promise<Profile> {
    this.early = undefined;
    const transfer = handOver && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
    return this.send({ bytes, maxBytes, ...(side ? { side } : {}) }, onProgress, transfer);
  }

  private async send(request: DecodeRequest, onProgress?: OnProgress, transfer: ArrayBuffer[] = []): Promise<Profile> {
    // Started before the first await: the caller goes on to decode on its own thread meanwhile.
    const worker = (this.worker ??= this.watch(startWorker(this.script)));
    worker.ref();
    try {
      const reply = awaitReply(worker, onProgress);
      worker.postMessage(request, transfer);
      return await reply;
    } catch (thrown) {
      // A thread that failed, or whose reply was lost, may be in any state: start afresh next time.
      if (!(thrown instanceof ProfileError)) {
        if (this.worker === worker) {
          this.worker = undefined;
          this.early = undefined;
        }
        void worker.terminate();
      }
      throw thrown;
    } finally {
      worker.unref();
    }
  }
}

/**
 * node:worker_threads is loaded on the first helper, not at start-up: most runs never start one.
 * Synchronously, so that the helper starts before this thread goes on decoding.
 */
function startWorker(script: URL): Worker {
  const { Worker: WorkerThread } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  return new WorkerThread(script);
}

/**
 * Helper threads for decoding, one per core beside the main thread (which decodes too): a side of
 * many profiles decodes on every core. Each thread starts on first use; the threads themselves,
 * and node:os to count the cores, when the pool is first asked.
 */
export class DecodePool {
  private pool: DecodeThread[] | undefined;
  /** The thread of a worker started early: taken over at once, so that it never holds the process open. */
  private readonly first: DecodeThread | undefined;

  /**
   * `started`: a worker already started, the first thread's, and `early` the file it decodes at
   * once; `count`: the threads (the cores unless given).
   */
  constructor(
    private readonly script?: URL,
    started?: Worker,
    private readonly count?: number,
    early?: string,
  ) {
    this.first = started && new DecodeThread(script, started, early);
  }

  /** The early thread's profile of `path` (DecodeThread.tryDecodeEarly), or undefined. */
  tryDecodeEarly(path: string, maxBytes: number, side?: SideRequest): Promise<Profile> | undefined {
    return this.first?.tryDecodeEarly(path, maxBytes, side);
  }

  private get threads(): DecodeThread[] {
    if (!this.pool) {
      const size = this.count ?? (createRequire(import.meta.url)('node:os') as typeof import('node:os')).availableParallelism();
      this.pool = Array.from({ length: Math.max(1, size) }, (_, i) => (i === 0 && this.first) || new DecodeThread(this.script));
    }
    return this.pool;
  }

  get size(): number {
    return this.threads.length;
  }

  /** Ends the idle threads (see DecodeThread.stop). */
  stop(): void {
    for (const thread of this.pool ?? [this.first]) thread?.stop();
  }

  /** Decodes on a free helper thread, or returns undefined when every one is busy. */
  tryDecode(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress, side?: SideRequest, handOver = false): Promise<Profile> | undefined {
    for (const thread of this.threads) {
      const job = thread.tryDecode(bytes, maxBytes, onProgress, side, handOver);
      if (job) return job;
    }
    return undefined;
  }
}

/**
 * Settles on the worker's reply, and on everything else that can end the wait: the thread's
 * error, its exit, or a reply that cannot be deserialised (`messageerror`, which Node emits
 * instead of `message` and which, unheard, left the promise pending forever). A side aggregated
 * with the profile is adopted for its reports.
 */
export function awaitReply(worker: EventEmitter, onProgress?: OnProgress): Promise<Profile> {
  return new Promise<Profile>((resolve, reject) => {
    const settle = (finish: () => void) => {
      worker.off('message', onMessage).off('messageerror', onMessageError).off('error', onError).off('exit', onExit);
      finish();
    };
    const onMessage = (reply: DecodeReply) => {
      if (reply.kind === 'progress') onProgress?.(reply.step, reply.done, reply.total);
      else if (reply.kind === 'done') {
        if (reply.side) adoptSide(reply.profile, reply.side);
        settle(() => resolve(reply.profile));
      }
      else settle(() => reject(reply.step ? new ProfileError(reply.step, reply.detail) : new Error(reply.detail)));
    };
    const onMessageError = (error: unknown) =>
      settle(() => reject(new Error(`the helper thread's reply could not be read: ${describeThrown(error)}`)));
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) => settle(() => reject(new Error(`the helper thread stopped (exit code ${code}) before replying`)));
    worker.on('message', onMessage).on('messageerror', onMessageError).on('error', onError).on('exit', onExit);
  });
}
