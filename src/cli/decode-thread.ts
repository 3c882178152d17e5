import { Worker } from 'node:worker_threads';
import type { OnProgress } from '../decode/parse-with.js';
import { ProfileError, type ProfileErrorStep } from '../model/errors.js';
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
    const worker = (this.worker ??= new Worker(this.script));
    worker.ref();
    let onMessage: (reply: DecodeReply) => void = () => {};
    let onError: (error: Error) => void = () => {};
    try {
      return await new Promise<Profile>((resolve, reject) => {
        onMessage = (reply) => {
          if (reply.kind === 'progress') onProgress?.(reply.step, reply.done, reply.total);
          else if (reply.kind === 'done') resolve(reply.profile);
          else reject(reply.step ? new ProfileError(reply.step, reply.detail) : new Error(reply.detail));
        };
        onError = (error) => {
          this.worker = undefined;
          reject(error);
        };
        worker.on('message', onMessage).on('error', onError);
        worker.postMessage({ bytes, maxBytes } satisfies DecodeRequest);
      });
    } finally {
      worker.off('message', onMessage).off('error', onError).unref();
    }
  }
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
