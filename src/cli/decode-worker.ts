import { readFileSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { aggregateSide, sideArrays, type SideAggregate, type SideRequest } from '../analysis/side-aggregate.js';
import { DEFAULT_MAX_PROFILE_BYTES } from '../decode/inflate.js';
import { parseProfileWith } from '../decode/parse-with.js';
import { isKernelMemory } from '../decode/wasm-walk.js';
import { ProfileError, describeThrown } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { useBase64Decoder } from '../wasm/instantiate.js';
import { nodeBase64 } from './node-base64.js';
import { untransferable, type DecodeRequest, type DecodeReply, type EarlyStart } from './decode-messages.js';
import { zlibGunzip } from './zlib-gunzip.js';

/**
 * The helper thread of decode-thread.ts: decodes each profile it is sent and sends it back,
 * aggregated for the report too when asked and the main thread is still decoding (HelperSide).
 * Started by bin/ with a file to decode early, it decodes that file first, while the main thread
 * loads the CLI, and keeps it for the request that claims it.
 */
const port = parentPort!;
useBase64Decoder(nodeBase64);
type Decoded = { profile: Profile } | { thrown: unknown };
let early: Decoded | undefined = decodeEarly(workerData as EarlyStart | undefined);

port.on('message', (request: DecodeRequest) => {
  const reply = (message: DecodeReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const decoded = 'bytes' in request ? decode(request.bytes, request.maxBytes, reply) : early && request.maxBytes === DEFAULT_MAX_PROFILE_BYTES ? early : undefined;
  // Whatever the request, the early profile is let go: it is claimed once, or never.
  early = undefined;
  // Not a ProfileError: the main thread reads and decodes this one itself.
  if (decoded === undefined) reply({ kind: 'failed', detail: 'the helper thread has no early profile for this request' });
  else if ('thrown' in decoded) reply(failure(decoded.thrown));
  else {
    const side = request.side && !(request.side.decoding && Atomics.load(request.side.decoding, 0) === 0) ? sideOf(decoded.profile, request.side) : undefined;
    const profile = owningArrays(decoded.profile);
    const buffers = buffersOf(profile, side);
    const tooBig = untransferable(buffers);
    if (tooBig) reply({ kind: 'failed', detail: tooBig });
    else reply(side ? { kind: 'done', profile, side } : { kind: 'done', profile }, buffers);
  }
});

function decode(bytes: Uint8Array, maxBytes: number, reply: (message: DecodeReply) => void): Decoded {
  try {
    return { profile: parseProfileWith(bytes, zlibGunzip, { maxBytes, onProgress: (step, done, total) => reply({ kind: 'progress', step, done, total }) }) };
  } catch (thrown) {
    return { thrown };
  }
}

/**
 * The file bin/ named, read and decoded at once under the default size cap (the main thread claims
 * it only for a run with that cap). Undefined for anything but a regular file within the cap: the
 * main thread then reads it, and says what is wrong with it, as for any other input.
 */
function decodeEarly(start: EarlyStart | undefined): Decoded | undefined {
  if (!start?.path) return undefined;
  try {
    const info = statSync(start.path);
    if (!info.isFile() || info.size > DEFAULT_MAX_PROFILE_BYTES) return undefined;
    return decode(readFileSync(start.path), DEFAULT_MAX_PROFILE_BYTES, () => {});
  } catch {
    return undefined;
  }
}

function failure(thrown: unknown): DecodeReply {
  return thrown instanceof ProfileError ? { kind: 'failed', step: thrown.step, detail: thrown.detail } : { kind: 'failed', detail: describeThrown(thrown) };
}

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

/**
 * The profile, its stack frames copied out if they are a view of the decoder's WebAssembly memory
 * (a big profile's, wasm-walk.ts), which cannot be transferred.
 */
function owningArrays(profile: Profile): Profile {
  const { stackFrames } = profile.samples;
  if (!isKernelMemory(stackFrames.buffer)) return profile;
  return { ...profile, samples: { ...profile.samples, stackFrames: stackFrames.slice() } };
}

/** The typed arrays' buffers move to the main thread instead of being copied. */
function buffersOf({ frames, samples }: Profile, side: SideAggregate | undefined): ArrayBuffer[] {
  const arrays = [frames.name, frames.file, frames.line, frames.startLine, frames.inlined, samples.stackStart, samples.stackFrames, samples.values, samples.fromBase, ...(side ? sideArrays(side) : [])];
  return [...new Set(arrays.flatMap((a) => (a ? [a.buffer as ArrayBuffer] : [])))];
}
