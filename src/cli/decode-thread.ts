import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { OnProgress } from '../decode/parse-with.js';
import { ProfileError, describeThrown, type ProfileErrorStep } from '../model/errors.js';
import type { Profile } from '../model/profile.js';

export interface DecodeRequest {
  readonly bytes: Uint8Array;
  readonly maxBytes: number;
}

export type DecodeReply =
  | { kind: 'progress'; step: 'inflating' | 'decoding'; done: number; total: number }
  | { kind: 'done'; profile: Profile }
  | { kind: 'failed'; step?: ProfileErrorStep; detail: string };

/**
 * A second thread that decodes one profile at a time, so that two big profiles decode at once
 * on two cores. The worker starts on first use and holds the process open only while it works.
 */
export class DecodeThread {
  private worker: Worker | undefined;
  private busy = false;

  /** `script` is the compiled decode-worker.js beside this module (tests pass a bundle of it). */
  constructor(private readonly script: URL = new URL('./decode-worker.js', import.meta.url)) {}

  /**
   * Decodes on the helper thread, or returns undefined when it is busy (decode here instead).
   * Rejects with the worker's ProfileError, or with another Error when the thread itself failed.
   */
  tryDecode(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress): Promise<Profile> | undefined {
    if (this.busy) return undefined;
    this.busy = true;
    return this.decode(bytes, maxBytes, onProgress).finally(() => (this.busy = false));
  }

  private async decode(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress): Promise<Profile> {
    // Started before the first await: the caller goes on to decode on its own thread meanwhile.
    const worker = (this.worker ??= startWorker(this.script));
    worker.ref();
    try {
      const reply = awaitReply(worker, onProgress);
      worker.postMessage({ bytes, maxBytes } satisfies DecodeRequest);
      return await reply;
    } catch (thrown) {
      // A thread that failed, or whose reply was lost, may be in any state: start afresh next time.
      if (!(thrown instanceof ProfileError)) {
        if (this.worker === worker) this.worker = undefined;
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
 * many profiles decodes on every core. Each thread starts on first use.
 */
export class DecodePool {
  private readonly threads: DecodeThread[];

  constructor(size: number, script?: URL) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => new DecodeThread(script));
  }

  get size(): number {
    return this.threads.length;
  }

  /** Decodes on a free helper thread, or returns undefined when every one is busy. */
  tryDecode(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress): Promise<Profile> | undefined {
    for (const thread of this.threads) {
      const job = thread.tryDecode(bytes, maxBytes, onProgress);
      if (job) return job;
    }
    return undefined;
  }
}

/**
 * Settles on the worker's reply, and on everything else that can end the wait: the thread's
 * error, its exit, or a reply that cannot be deserialised (`messageerror`, which Node emits
 * instead of `message` and which, unheard, left the promise pending forever).
 */
export function awaitReply(worker: EventEmitter, onProgress?: OnProgress): Promise<Profile> {
  return new Promise<Profile>((resolve, reject) => {
    const settle = (finish: () => void) => {
      worker.off('message', onMessage).off('messageerror', onMessageError).off('error', onError).off('exit', onExit);
      finish();
    };
    const onMessage = (reply: DecodeReply) => {
      if (reply.kind === 'progress') onProgress?.(reply.step, reply.done, reply.total);
      else if (reply.kind === 'done') settle(() => resolve(reply.profile));
      else settle(() => reject(reply.step ? new ProfileError(reply.step, reply.detail) : new Error(reply.detail)));
    };
    const onMessageError = (error: unknown) =>
      settle(() => reject(new Error(`the helper thread's reply could not be read: ${describeThrown(error)}`)));
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) => settle(() => reject(new Error(`the helper thread stopped (exit code ${code}) before replying`)));
    worker.on('message', onMessage).on('messageerror', onMessageError).on('error', onError).on('exit', onExit);
  });
}

/**
 * Node 20 delivers a transferred buffer of 4 GiB or more with its length mod 2^32: such a
 * profile is never sent, whatever the caller's budget allowed.
 */
export function untransferable(buffers: readonly ArrayBuffer[], limit = 2 ** 32): string | null {
  const big = buffers.find((b) => b.byteLength >= limit);
  return big ? `a decoded array of ${big.byteLength} bytes is too big to pass between threads` : null;
}
