import { note } from './note.js';
import { adoptSide, aggregateSide, type SideRequest } from '../analysis/side-aggregate.js';
import type { HelperSide } from './decode-messages.js';
import { parseProfileWith, type OnProgress } from '../decode/parse-with.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { DEFAULT_TIMEOUT_MS, fetchBytes, isUrl, pprofAddress } from './fetch.js';
import type { Codecs, Engine, Files, Inflated, Network, Terminal, Threads } from './io.js';
import { isGzip, ownBytes, type Gunzip } from '../decode/inflate.js';
import { claimedSize } from './zlib-gunzip.js';
import { progressFor, type Progress } from './progress.js';

/**
 * Inputs this big decode on the helper thread; a smaller one is not worth a thread. Even with the
 * thread started before the CLI loads (bin/) and its bundle code-cached, a pair of 1.4 MB
 * (10k-sample) profiles at a 1 MB threshold took 377 ms of wall time against 352 ms on one thread
 * (medians of 15 runs taken when nothing else ran) and ~80 ms more CPU: each thread then runs
 * the decoder cold, where one thread decodes its second profile with the code the first one
 * optimised. The fat pair (7 MB each) gains there: 577 ms against 635 ms, for ~120 ms more CPU.
 */
export const OFF_THREAD_BYTES = 4 << 20;

/** Reading a source: a local file, or a URL. */
export type ReadIo = Pick<Files, 'readFile'> & Network;
/** Decoding on this thread. */
export type DecodeIo = Pick<Codecs, 'gunzip' | 'inflateAside' | 'inflatedEarly'>;

/**
 * Inputs this big (compressed, gzip) that this thread decodes one after another are inflated
 * ahead, on libuv's pool, while this thread decodes the one before: a 10k-sample profile (1.4 MB)
 * inflates in ~8 ms. Smaller ones are not worth the round trip; a helper thread's are its own.
 */
export const INFLATE_ASIDE_BYTES = 256 << 10;
/** An input that claims (gzip's trailer) to inflate to more is not inflated ahead: at most two such at once. */
const INFLATE_ASIDE_MAX = 256 << 20;
/** Loading many profiles: read, decode on helper threads too, with a progress line and notes on stderr. */
export type LoadIo = ReadIo & DecodeIo & Threads & Pick<Engine, 'inputBytes'> & Pick<Terminal, 'stderr' | 'stderrIsTTY'>;

/**
 * Reads and decodes one profile: a file, or an http(s) URL fetched within the timeout and the
 * size cap. Every failure names the source.
 */
export async function loadProfile(io: ReadIo & DecodeIo, path: string, maxBytes: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Profile> {
  return decodeProfile(io, path, await readSource(io, path, maxBytes, timeoutMs), maxBytes);
}

export async function readSource(io: ReadIo, path: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  if (isUrl(path)) return fetchBytes(io, path, { timeoutMs, maxBytes });
  try {
    return await io.readFile(path, { maxBytes, timeoutMs });
  } catch (thrown) {
    // No such file, but it reads as pprof's `host:port/path`: fetch it, as pprof would.
    const address = pprofAddress(path);
    if (address !== undefined && (thrown as { code?: string }).code === 'ENOENT') return fetchBytes(io, address, { timeoutMs, maxBytes });
    throw new ProfileError('reading profile', `${path}: ${describeFsError(thrown)}`);
  }
}

interface Input {
  readonly source: string;
  readonly bytes: Uint8Array;
}

/** An input decoded on the helper thread from the file itself (Threads.decodeEarly), and how to read it here if that fails. */
interface Early {
  readonly index: number;
  readonly source: string;
  readonly job: Promise<Profile>;
  read(): Promise<Uint8Array>;
}

/**
 * Decodes in two lanes, this thread and the helper thread, each taking the next input as soon
 * as it is free: big profiles decode two at a time on two cores. An input's bytes are let go
 * once it is taken, so only the decoded profiles pile up (an early input has none here).
 * `side`: the helper aggregates what it decodes for the report too, and so does this thread
 * while it waits for the helper.
 */
async function decodeAll(io: DecodeIo & Threads, inputs: (Input | undefined)[], maxBytes: number, progress?: Progress, side?: HelperSide, early?: Early): Promise<Profile[]> {
  const profiles: Profile[] = [];
  // The first input not taken yet (taken ones, and the early one, are undefined).
  let next = 0;
  const skip = () => {
    while (next < inputs.length && inputs[next] === undefined) next++;
    return next < inputs.length;
  };
  let helping = false;
  const take = (): Input => {
    const input = inputs[next]!;
    inputs[next++] = undefined;
    return input;
  };
  const reporter = (source: string): OnProgress | undefined => progress && ((step, done, total) => progress.update(source, step, done, total));
  // The input this thread decodes next, inflating on libuv's pool meanwhile (Codecs.inflateAside).
  let aside: { readonly bytes: Uint8Array; readonly job: Promise<Inflated> } | undefined;
  const inflateNext = () => {
    if (!io.inflateAside || !skip()) return;
    const { bytes } = inputs[next]!;
    if (worthInflatingAside(bytes, maxBytes)) aside = { bytes, job: io.inflateAside(bytes, maxBytes) };
  };
  const here = async () => {
    const mine: number[] = [];
    while (skip()) {
      const i = next;
      const { source, bytes } = take();
      const pending = aside?.bytes === bytes ? aside.job : io.inflatedEarly?.(bytes);
      const inflated = pending && (await pending);
      aside = undefined;
      inflateNext();
      profiles[i] = decodeProfile(inflated ? { gunzip: inflatedAs(bytes, inflated, io.gunzip) } : io, source, bytes, maxBytes, reporter(source));
      mine.push(i);
      // Let the helper's reply in, so that it takes the next input as soon as it is done.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // From now on the helper leaves its sides to this thread (HelperSide). Time this thread would
    // spend waiting: its sides are aggregated too (a report adopts them; the first input's site
    // table becomes the report's own, which starts with the base).
    if (side?.decoding) Atomics.store(side.decoding, 0, 0);
    for (const i of mine) if (side && helping) adoptAggregated(profiles[i]!, side, i === 0);
  };
  const helper = async () => {
    if (early) {
      // Never read here: the helper thread decodes (or has decoded) the file itself.
      helping = true;
      try {
        profiles[early.index] = await early.job;
      } catch (thrown) {
        if (thrown instanceof ProfileError) throw naming(early.source, thrown);
        profiles[early.index] = decodeProfile(io, early.source, await early.read(), maxBytes, reporter(early.source));
        return;
      } finally {
        helping = false;
      }
    }
    while (skip() && inputs[next]!.bytes.length >= OFF_THREAD_BYTES) {
      const { source, bytes } = inputs[next]!;
      const job = io.decodeOffThread?.(bytes, maxBytes, reporter(source), side);
      if (!job) return;
      const i = next;
      take();
      helping = true;
      try {
        profiles[i] = await job;
      } catch (thrown) {
        if (thrown instanceof ProfileError) throw naming(source, thrown);
        // The thread itself failed (no worker support, say): this input is decoded here instead.
        profiles[i] = decodeProfile(io, source, bytes, maxBytes, reporter(source));
        return;
      } finally {
        helping = false;
      }
    }
  };
  await Promise.all([helper(), here()]);
  return profiles;
}

function worthInflatingAside(bytes: Uint8Array, maxBytes: number): boolean {
  if (bytes.length < INFLATE_ASIDE_BYTES || bytes.length >= OFF_THREAD_BYTES || !isGzip(bytes)) return false;
  return claimedSize(bytes)! <= Math.min(maxBytes, INFLATE_ASIDE_MAX);
}

/**
 * gunzip, answering for `bytes` with what was inflated aside (or its error), as gunzip would have:
 * node:zlib's bytes, made for this input alone, which the decoder may write over (ownBytes).
 */
function inflatedAs(bytes: Uint8Array, inflated: Inflated, gunzip: Gunzip): Gunzip {
  return ownBytes((input: Uint8Array, maxBytes: number): Uint8Array => {
    if (input !== bytes) return gunzip(input, maxBytes);
    if ('error' in inflated) throw inflated.error;
    return inflated.bytes;
  });
}

/**
 * Aggregates a side for the report ahead of it, keeping its site table for the report when it is
 * the base's; one that cannot be made is left to the report, which says why.
 */
function adoptAggregated(profile: Profile, side: SideRequest, keepTable: boolean): void {
  try {
    adoptSide(profile, aggregateSide(profile, side, keepTable));
  } catch {
    // A sample type the profile lacks, say: the report refuses it with the whole diff's types in view.
  }
}

/** Decodes bytes read from `source` on this thread; a failure names it. */
export function decodeProfile(io: DecodeIo, source: string, bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress): Profile {
  try {
    return parseProfileWith(bytes, io.gunzip, { maxBytes, ...(onProgress ? { onProgress } : {}) });
  } catch (thrown) {
    if (thrown instanceof ProfileError) throw naming(source, thrown);
    throw thrown;
  }
}

function naming(source: string, error: ProfileError): ProfileError {
  return new ProfileError(error.step, `${source}: ${error.detail}`);
}

function describeFsError(thrown: unknown): string {
  const code = (thrown as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a profile';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EFBIG':
    case 'ETIMEDOUT':
      return (thrown as Error).message;
    default:
      return thrown instanceof Error ? thrown.message : String(thrown);
  }
}

/**
 * Files (and URLs) read at once: a trend over hundreds of snapshots must not open them all,
 * which fails under a low open-files limit (ulimit -n) for no gain on two cores.
 */
export const READS_AT_ONCE = 8;

/** fn over items, at most `limit` running at a time; results in the items' order. */
async function mapAtMost<T, R>(limit: number, items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/**
 * Loads profiles all at once (big ones two at a time, on two threads), with one progress line
 * for them on a terminal.
 */
export async function loadProfiles(
  io: LoadIo,
  paths: readonly string[],
  options: { maxProfileSize: number; timeout?: number; format?: string },
  side?: SideRequest,
): Promise<Profile[]> {
  const progress = progressFor(io, options.format);
  let profiles: Profile[];
  try {
    const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
    const read = (source: string) => readSource(io, source, options.maxProfileSize, timeoutMs);
    // The helper thread bin/ started may be decoding the second file already (it took it from
    // argv; this thread decodes the first, the base): claimed, that file is not read here at all.
    // The helper aggregates its side only while this thread still decodes (HelperSide).
    const helperSide: HelperSide | undefined = side && { ...side, decoding: new Int32Array(new SharedArrayBuffer(4)).fill(1) };
    const job = paths.length > 1 ? io.decodeEarly?.(paths[1]!, options.maxProfileSize, helperSide) : undefined;
    // Heard now, so that a failure is not an unhandled rejection while the other files are read.
    job?.catch(() => {});
    const early = job && { index: 1, source: paths[1]!, job, read: () => read(paths[1]!) };
    const inputs: (Input | undefined)[] = await mapAtMost(READS_AT_ONCE, paths, async (source, i) => (early?.index === i ? undefined : { source, bytes: await read(source) }));
    // An early file is at least OFF_THREAD_BYTES (bin/ starts the thread only for such files).
    await io.inputBytes?.(inputs.reduce((sum, input) => sum + (input ? input.bytes.length : OFF_THREAD_BYTES), 0));
    profiles = await decodeAll(io, inputs, options.maxProfileSize, progress, helperSide, early);
  } finally {
    progress?.end();
    // Nothing more to decode: the helper thread's memory goes before the report's work begins.
    io.stopOffThread?.();
  }
  // Read as pprof reads it, but the protobuf form says more: the text has no capture time.
  const legacy = paths.filter((_, i) => profiles[i]!.format === 'legacy-text');
  if (legacy.length > 0) {
    const what = legacy.length === 1 ? "is Go's legacy text heap profile" : "are Go's legacy text heap profiles";
    note(io, `note: ${legacy.join(', ')} ${what} (debug=1); the protobuf form (/debug/pprof/heap without debug=1) also records when it was taken`);
  }
  return profiles;
}
