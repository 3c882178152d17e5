import { parentPort } from 'node:worker_threads';
import { parseProfileWith } from '../decode/parse-with.js';
import { ProfileError, describeThrown } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { untransferable, type DecodeRequest, type DecodeReply } from './decode-messages.js';
import { zlibGunzip } from './zlib-gunzip.js';

/** The helper thread of decode-thread.ts: decodes each profile it is sent and sends it back. */
const port = parentPort!;
port.on('message', ({ bytes, maxBytes }: DecodeRequest) => {
  const reply = (message: DecodeReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const profile = parseProfileWith(bytes, zlibGunzip, {
      maxBytes,
      onProgress: (step, done, total) => reply({ kind: 'progress', step, done, total }),
    });
    const buffers = buffersOf(profile);
    const tooBig = untransferable(buffers);
    // Not a ProfileError: the main thread decodes this one itself.
    if (tooBig) reply({ kind: 'failed', detail: tooBig });
    else reply({ kind: 'done', profile }, buffers);
  } catch (thrown) {
    reply(thrown instanceof ProfileError ? { kind: 'failed', step: thrown.step, detail: thrown.detail } : { kind: 'failed', detail: describeThrown(thrown) });
  }
});

/** The typed arrays' buffers move to the main thread instead of being copied. */
function buffersOf({ frames, samples }: Profile): ArrayBuffer[] {
  const arrays = [frames.name, frames.file, frames.line, frames.startLine, frames.inlined, samples.stackStart, samples.stackFrames, samples.values, samples.fromBase];
  return [...new Set(arrays.flatMap((a) => (a ? [a.buffer as ArrayBuffer] : [])))];
}

