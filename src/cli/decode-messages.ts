import type { SideAggregate, SideRequest } from '../analysis/side-aggregate.js';
import type { ProfileErrorStep } from '../model/errors.js';
import type { Profile } from '../model/profile.js';

// What the main thread and the decode helper thread say to each other: the worker's bundle
// imports this, not decode-thread.ts, so that it loads nothing of the main thread's side.

/**
 * Decode these bytes; or, without bytes, hand over the profile the thread decoded early (EarlyStart),
 * if it was decoded under this size cap.
 */
export type DecodeRequest = ({ readonly bytes: Uint8Array } | { readonly early: true }) & {
  readonly maxBytes: number;
  /** Also aggregate the profile for a report (`top` of a pair): the main thread adopts the side. */
  readonly side?: HelperSide;
};

/**
 * A side for the helper thread to aggregate once it has decoded the profile, if `decoding[0]`
 * (shared with the main thread) is still 1 then: the main thread still decoding its own, this one
 * would only wait. Otherwise it leaves the side to the main thread, which, its code compiled
 * and warm by then, aggregates it in less CPU than a second thread running it cold.
 */
export interface HelperSide extends SideRequest {
  readonly decoding?: Int32Array;
}

/** The helper thread's workerData when bin/ starts it: a file to read and decode at once. */
export interface EarlyStart {
  readonly path: string;
}

export type DecodeReply =
  | { kind: 'progress'; step: 'inflating' | 'decoding'; done: number; total: number }
  | { kind: 'done'; profile: Profile; side?: SideAggregate }
  | { kind: 'failed'; step?: ProfileErrorStep; detail: string };

/**
 * Node 20 delivers a transferred buffer of 4 GiB or more with its length mod 2^32: such a
 * profile is never sent, whatever the caller's budget allowed.
 */
export function untransferable(buffers: readonly ArrayBuffer[], limit = 2 ** 32): string | null {
  const big = buffers.find((b) => b.byteLength >= limit);
  return big ? `a decoded array of ${big.byteLength} bytes is too big to pass between threads` : null;
}
