import { parentPort } from 'node:worker_threads';
import { aggregateSide, sideArrays, type SideAggregate, type SideRequest } from '../analysis/side-aggregate.js';
import { parseProfileWith } from '../decode/parse-with.js';
import { ProfileError, describeThrown } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { untransferable, type DecodeRequest, type DecodeReply } from './decode-messages.js';
import { zlibGunzip } from './zlib-gunzip.js';

/**
 * The helper thread of decode-thread.ts: decodes each profile it is sent and sends it back,
 * aggregated for the report too when asked (the main thread is decoding the other side meanwhile).
 */
const port = parentPort!;
port.on('message', ({ bytes, maxBytes, side: request }: DecodeRequest) => {
  const reply = (message: DecodeReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const profile = parseProfileWith(bytes, zlibGunzip, {
      maxBytes,
      onProgress: (step, done, total) => reply({ kind: 'progress', step, done, total }),
    });
    const side = request && sideOf(profile, request);
    const buffers = buffersOf(profile, side);
    const tooBig = untransferable(buffers);
    // Not a ProfileError: the main thread decodes this one itself.
    if (tooBig) reply({ kind: 'failed', detail: tooBig });
    else reply(side ? { kind: 'done', profile, side } : { kind: 'done', profile }, buffers);
  } catch (thrown) {
    reply(thrown instanceof ProfileError ? { kind: 'failed', step: thrown.step, detail: thrown.detail } : { kind: 'failed', detail: describeThrown(thrown) });
  }
});

/**
 * The side, or undefined when it cannot be made (a sample type this profile lacks, say): the main
 * thread then aggregates the profile itself, and reports the error as a run on one thread would.
 */
function sideOf(profile: Profile, request: SideRequest): SideAggregate | undefined {
  try {
    return aggregateSide(profile, request);
  } catch {
    return undefined;
  }
}

/** The typed arrays' buffers move to the main thread instead of being copied. */
function buffersOf({ frames, samples }: Profile, side: SideAggregate | undefined): ArrayBuffer[] {
  const arrays = [frames.name, frames.file, frames.line, frames.startLine, frames.inlined, samples.stackStart, samples.stackFrames, samples.values, samples.fromBase, ...(side ? sideArrays(side) : [])];
  return [...new Set(arrays.flatMap((a) => (a ? [a.buffer as ArrayBuffer] : [])))];
}

