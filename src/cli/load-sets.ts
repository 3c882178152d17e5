import { SetDiffBuilder, type SetDiff, type SetOptions, type SideName } from '../analysis/profile-set.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { DEFAULT_TIMEOUT_MS } from './fetch.js';
import type { Threads } from './io.js';
import { decodeProfile, readSource, type DecodeIo, type LoadIo } from './load.js';
import { progressFor } from './progress.js';

/** Inputs this big go to a helper thread; a smaller one decodes faster than it can be posted. */
const OFF_THREAD_BYTES = 64 << 10;

export interface SetSources {
  readonly base: readonly string[];
  readonly current: readonly string[];
}

interface Job {
  readonly side: SideName;
  readonly index: number;
  readonly source: string;
}

/**
 * Reads, decodes and aggregates every profile of both sides. Decoding runs on every core (the
 * helper threads and this one); the builder gets the profiles in a fixed order (current and base
 * alternating, so pairs meet early) whatever order they finish in, so sums are the same bit for
 * bit run to run. At most a few decoded profiles wait their turn: memory is the site table's,
 * not the number of profiles'.
 */
export async function loadSets(
  io: LoadIo,
  sources: SetSources,
  builder: SetDiffBuilder,
  options: { maxProfileSize: number; timeout?: number; format?: string },
): Promise<void> {
  const jobs = interleave(sources);
  // One lane per helper thread: this thread aggregates, and decodes only what is too small to post.
  const lanes = io.decodeOffThread ? Math.max(1, io.offThreadLanes?.() ?? 1) : 1;
  const window = 2 * lanes;
  const timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
  const progress = progressFor(io, options.format);
  const ready = new Map<number, Profile>();
  // Each input is read a few jobs ahead, so that a lane whose helper replied posts it the next
  // profile at once, before this thread goes on aggregating (a helper waiting on a read idles).
  const reads = new Map<number, Promise<Uint8Array>>();
  const bytesOf = (j: number): Promise<Uint8Array> => {
    for (let k = j; k < Math.min(jobs.length, j + lanes + 1); k++) {
      if (reads.has(k)) continue;
      const read = readSource(io, jobs[k]!.source, options.maxProfileSize, timeoutMs);
      // A read ahead that fails is reported when its turn comes (or not, after another failure).
      read.catch(() => {});
      reads.set(k, read);
    }
    const read = reads.get(j)!;
    reads.delete(j);
    return read;
  };
  let taken = 0;
  let added = 0;
  let failed = false;
  let wake: Array<() => void> = [];
  const advance = () => {
    for (let p = ready.get(added); p !== undefined; p = ready.get(added)) {
      ready.delete(added);
      const job = jobs[added]!;
      builder.add(job.side, job.index, p, job.source);
      added++;
      progress?.count(added, jobs.length);
    }
    const waiting = wake;
    wake = [];
    for (const resume of waiting) resume();
  };
  const lane = async () => {
    try {
      while (!failed && taken < jobs.length) {
        // Never run more than `window` ahead of the profile the builder waits for.
        if (taken - added >= window) {
          advance();
          if (taken - added >= window) await new Promise<void>((resume) => wake.push(resume));
          continue;
        }
        const j = taken++;
        const { source } = jobs[j]!;
        const decoding = decode(io, source, await bytesOf(j), options.maxProfileSize, () => readSource(io, source, options.maxProfileSize, timeoutMs));
        // The helper has its next profile: aggregate what is ready while it decodes.
        advance();
        ready.set(j, await decoding);
      }
      if (!failed) advance();
    } catch (thrown) {
      failed = true;
      for (const resume of wake) resume();
      throw thrown;
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    progress?.end();
  }
}

/** Both sides aggregated into per-site sums (and, as asked, call edges or start lines), profile by profile. */
export async function aggregateSides(
  io: LoadIo,
  sources: SetSources,
  setOptions: SetOptions,
  options: { maxProfileSize: number; timeout?: number; format?: string },
): Promise<SetDiff> {
  const builder = new SetDiffBuilder({ base: sources.base.length, current: sources.current.length }, setOptions);
  await loadSets(io, sources, builder, options);
  return builder.finish();
}

/**
 * Decodes on a helper thread when one is free, else here. The bytes are handed over to the thread
 * (each is read for this one decode): posting them copied them twice, ~1 ms of this thread's
 * time for a 1.4 MB profile, and this thread is a fleet's bottleneck. `reread`: the bytes again,
 * for a thread that failed after taking them.
 */
async function decode(io: DecodeIo & Threads, source: string, bytes: Uint8Array, maxBytes: number, reread: () => Promise<Uint8Array>): Promise<Profile> {
  const size = bytes.length;
  const job = size >= OFF_THREAD_BYTES ? io.decodeOffThread?.(bytes, maxBytes, undefined, undefined, true) : undefined;
  if (job === undefined) {
    // Let another lane's finished helper reply in before this thread is busy decoding.
    await new Promise((resolve) => setImmediate(resolve));
    return decodeProfile(io, source, bytes, maxBytes);
  }
  try {
    return await job;
  } catch (thrown) {
    if (thrown instanceof ProfileError) throw new ProfileError(thrown.step, `${source}: ${thrown.detail}`);
    // The thread itself failed (no worker support, say): decode here instead.
    return decodeProfile(io, source, bytes.length === size ? bytes : await reread(), maxBytes);
  }
}

/** current 1, base 1, current 2, base 2, …: the first current profile sets the sample type. */
function interleave(sources: SetSources): Job[] {
  const jobs: Job[] = [];
  for (let i = 0; i < Math.max(sources.base.length, sources.current.length); i++) {
    if (i < sources.current.length) jobs.push({ side: 'current', index: i, source: sources.current[i]! });
    if (i < sources.base.length) jobs.push({ side: 'base', index: i, source: sources.base[i]! });
  }
  return jobs;
}
