import { InvalidArgumentError, Option, type Command } from 'commander';
import { note } from '../note.js';
import { basename, join } from 'node:path';
import { shellQuote } from '../../base/shell-quote.js';
import { DEFAULT_MAX_PROFILE_BYTES } from '../../decode/inflate.js';
import { ProfileError } from '../../model/errors.js';
import type { Profile } from '../../model/profile.js';
import { MIN_SNAPSHOTS } from '../../analysis/trend.js';
import { DEFAULT_TIMEOUT_MS, FetchFailure, fetchBytes, pprofAddress } from '../fetch.js';
import type { Files, Network, Terminal } from '../io.js';
import { decodeProfile, loadProfile, type DecodeIo, type ReadIo } from '../load.js';
import { durationOption, sizeOption } from '../options.js';
import { printTrend, type PrintTrendIo } from './trend.js';
import { collectLabel } from './ingest.js';

interface CaptureCliOptions {
  out: string;
  count?: number;
  every: number;
  timeout: number;
  maxProfileSize: number;
  store?: string;
  label: [string, string][];
}

/** Where each snapshot goes besides its file: the store, with `capture --store`. */
type Sink = (path: string, bytes: Uint8Array, profile: Profile) => Promise<void>;

/** Waits before the first and second retry of a failed request (network, timeout, HTTP 5xx). */
const RETRY_BACKOFF_MS = [250, 1000] as const;

/** Fetching snapshots and saving them, with notes on stderr. */
type CaptureIntoIo = Network & DecodeIo & Pick<Files, 'writeFileAtomic'> & Pick<Terminal, 'stderr' | 'stderrIsTTY'>;
/** capture also stops on Ctrl-C, may ingest into the store, and prints the trend of what it saved. */
type CaptureIo = CaptureIntoIo & ReadIo & PrintTrendIo & Pick<Files, 'makeDir'> & Pick<Terminal, 'interrupts' | 'env'>;

export function registerCapture(program: Command, io: CaptureIo): void {
  program
    .command('capture')
    .description('save heap profiles of a live service (net/http/pprof) at an interval, for trend')
    .argument('<url>', 'heap profile endpoint, e.g. http://localhost:6060/debug/pprof/heap (gc=1 is added unless the URL sets gc)')
    .requiredOption('-o, --out <dir>', 'directory for the <kind>-<UTC time>.pb.gz files, kind as heap, allocs, goroutine (created if missing)')
    .option('-c, --count <n>', 'how many snapshots; without it, capture until Ctrl-C, then print their trend', countOption)
    .addOption(new Option('--every <duration>', 'time from one snapshot to the next (e.g. 30s, 5m)').argParser(durationOption).default(30_000, '30s'))
    .addOption(new Option('--timeout <duration>', 'give up on one request after this long').argParser(durationOption).default(DEFAULT_TIMEOUT_MS, '30s'))
    .addOption(new Option('--max-profile-size <size>', 'refuse responses larger than this').argParser(sizeOption).default(DEFAULT_MAX_PROFILE_BYTES, '1GB'))
    .option('--store <url>', 'also ingest each snapshot into this ClickHouse store as it is saved (see heapdiff ingest)')
    .option('--label <key=value>', 'with --store: a label for every snapshot (repeatable)', collectLabel, [])
    .option('--debug', 'print stack traces for internal errors')
    .action(async (url: string, options: CaptureCliOptions) => {
      const target = withGc(url);
      const interrupt = io.interrupts();
      if (options.store === undefined && options.label.length > 0) throw new ProfileError('invalid option', '--label labels what --store ingests; give --store too');
      const ingest = options.store === undefined ? null : await (await import('../ingest-sink.js')).openIngestSink(io, options.store, options.label);
      await io.makeDir(options.out);
      const saved: string[] = [];
      try {
        await captureInto(io, target, options, interrupt, saved, ingest?.sink);
      } catch (thrown) {
        await ingest?.close();
        if (!(thrown instanceof ProfileError) || saved.length === 0) throw thrown;
        throw new ProfileError(thrown.step, `${thrown.detail}; the ${snapshots(saved.length)} saved before are kept in ${options.out}`);
      }
      await ingest?.close();
      const stopped = interrupt.aborted ? ' (interrupted)' : '';
      const stored = ingest ? ` and ingested into ${ingest.display}` : '';
      note(io, `saved ${snapshots(saved.length)} in ${options.out}${stored}${stopped}`);
      if (options.count !== undefined) {
        const next = nextStep(saved, options.out);
        if (next) note(io, next);
        return;
      }
      if (saved.length < MIN_SNAPSHOTS) {
        note(io, `a trend needs at least ${MIN_SNAPSHOTS} snapshots`);
        return;
      }
      const profiles = await Promise.all(saved.map((path) => loadProfile(io, path, options.maxProfileSize)));
      const defaults = { format: 'text', granularity: 'functions', nodecount: 10, maxProfileSize: options.maxProfileSize, timeout: options.timeout } as const;
      await printTrend(io, profiles, saved, defaults);
    });
}

/**
 * What to run on the snapshots `capture --count` saved: the first against the last, and with
 * enough of them, the trend of every snapshot of that kind in the directory (earlier captures
 * into it included, which is what a trend of one service wants).
 */
export function nextStep(saved: readonly string[], out: string): string | null {
  if (saved.length < 2) return null;
  const top = ['heapdiff', 'top', saved[0]!, saved.at(-1)!].map(shellQuote).join(' ');
  if (saved.length < MIN_SNAPSHOTS) return `next: ${top}`;
  const kind = basename(saved[0]!).replace(/-[^-]*$/, '');
  return `next: ${top}, or the trend: ${['heapdiff', 'trend', join(out, `${kind}-*.pb.gz`)].map(shellQuote).join(' ')}`;
}

/**
 * Fetches, checks and saves snapshots one interval apart (start to start) until the count is
 * reached or Ctrl-C; `saved` collects the paths as each file lands, so a failure keeps them.
 */
async function captureInto(io: CaptureIntoIo, url: string, options: CaptureCliOptions, interrupt: AbortSignal, saved: string[], sink?: Sink): Promise<void> {
  let stamp = 0;
  let nextAt = Date.now();
  while (options.count === undefined || saved.length < options.count) {
    if (!(await sleep(nextAt - Date.now(), interrupt))) return;
    nextAt = Date.now() + options.every;
    const bytes = await fetchWithRetry(io, url, options, interrupt);
    if (bytes === null) return;
    // A response that is not a profile (an HTML error page, say) is never saved.
    const profile = decodeProfile(io, url, bytes, options.maxProfileSize);
    if (profile.format === 'legacy-text') {
      // It would be a .pb.gz that is text, and without the capture time trend orders by.
      throw new ProfileError('reading profile', `${url}: the service sent the legacy text format; drop debug=1 from the URL`);
    }
    // Strictly increasing, so names never collide and sort in capture order.
    stamp = Math.max(Date.now(), stamp + 1);
    const path = join(options.out, `${profileKind(url, profile)}-${new Date(stamp).toISOString().replace(/[-:]/g, '')}.pb.gz`);
    await io.writeFileAtomic(path, bytes);
    saved.push(path);
    await sink?.(path, bytes, profile);
    if (io.stderrIsTTY) note(io, `${saved.length}${options.count ? `/${options.count}` : ''} ${path}`);
  }
}

/** The bytes, or null when Ctrl-C came first; transient failures are retried twice. */
async function fetchWithRetry(io: Network & Pick<Terminal, 'stderr'>, url: string, options: CaptureCliOptions, interrupt: AbortSignal): Promise<Uint8Array | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchBytes(io, url, { timeoutMs: options.timeout, maxBytes: options.maxProfileSize, signal: interrupt });
    } catch (thrown) {
      if (interrupt.aborted) return null;
      const backoff = RETRY_BACKOFF_MS[attempt];
      if (!(thrown instanceof FetchFailure && thrown.transient)) throw thrown;
      if (backoff === undefined) throw new ProfileError(thrown.step, `${thrown.detail} (gave up after ${attempt + 1} attempts)`);
      note(io, `warning: ${thrown.detail}; retrying in ${backoff}ms`);
      if (!(await sleep(backoff, interrupt))) return null;
    }
  }
}

/** net/http/pprof's endpoints, by the name a file of theirs should carry. */
const ENDPOINT_KINDS: Readonly<Record<string, string>> = {
  heap: 'heap',
  allocs: 'allocs',
  goroutine: 'goroutine',
  block: 'block',
  mutex: 'mutex',
  threadcreate: 'threadcreate',
  profile: 'cpu',
};

/**
 * What a snapshot is, for its file name: the endpoint it came from, else what its sample types
 * say (a goroutine profile saved as heap-… would be mistaken for one).
 */
export function profileKind(url: string, profile: Profile): string {
  const endpoint = new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
  const named = ENDPOINT_KINDS[endpoint];
  if (named !== undefined) return named;
  const types = profile.sampleTypes.map((t) => t.type);
  if (types.includes('goroutine')) return 'goroutine';
  if (types.includes('cpu')) return 'cpu';
  if (types.includes('inuse_space')) return profile.strings[profile.defaultSampleType]?.startsWith('alloc_') ? 'allocs' : 'heap';
  return 'profile';
}

/** Go's handler runs a GC first with gc=1, so each snapshot shows live memory, not the last cycle's. */
function withGc(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(pprofAddress(url) ?? url);
  } catch {
    throw new ProfileError('invalid arguments', `${url} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ProfileError('invalid arguments', `${url} is not an http(s) URL`);
  if (!parsed.searchParams.has('gc')) parsed.searchParams.set('gc', '1');
  return parsed.toString();
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, Math.max(0, ms));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function snapshots(n: number): string {
  return `${n} snapshot${n === 1 ? '' : 's'}`;
}

function countOption(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(text);
}
