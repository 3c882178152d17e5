import { ProfileError, describeThrown } from '../model/errors.js';
import { formatInterval } from '../render/time.js';
import type { Network } from './io.js';
import { concatBytes } from '../decode/concat.js';

/** Per request, body included: a stuck service must not hang a CI job. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * `host:port/debug/pprof/heap` as go tool pprof takes it: the http URL it means, or undefined.
 * A bare `host:port` means its heap endpoint.
 */
export function pprofAddress(source: string): string | undefined {
  const match = /^((?:[a-z0-9-]+\.)*[a-z0-9-]+|\[[0-9a-f:.]+\]):(\d{1,5})(\/.*)?$/i.exec(source);
  if (!match) return undefined;
  return `http://${match[1]}:${match[2]}${match[3] ?? '/debug/pprof/heap'}`;
}

/** A failed request; `transient` failures (network, timeout, HTTP 5xx) are worth retrying. */
export class FetchFailure extends ProfileError {
  readonly transient: boolean;

  constructor(url: string, why: string, transient: boolean) {
    super('reading profile', `${url}: ${why}`);
    this.transient = transient;
  }
}

export interface FetchLimits {
  readonly timeoutMs: number;
  /** The --max-profile-size cap: reading stops as soon as the body passes it. */
  readonly maxBytes: number;
  /** Aborts the request from outside (Ctrl-C); the caller checks it after a failure. */
  readonly signal?: AbortSignal;
}

/** GETs one profile's bytes; every failure is a FetchFailure naming the URL. */
export async function fetchBytes(io: Network, url: string, limits: FetchLimits): Promise<Uint8Array> {
  // One controller for both the timeout and Ctrl-C; both are undone after the request, so a
  // long capture does not pile listeners onto the interrupt signal.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  const interrupt = () => controller.abort();
  if (limits.signal?.aborted) controller.abort();
  limits.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    const response = await io.fetch(url, { signal: controller.signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchFailure(url, `HTTP ${response.status} ${response.statusText}`.trimEnd(), response.status >= 500);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limits.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(url, limits.maxBytes);
    }
    return await readCapped(response.body, url, limits.maxBytes);
  } catch (thrown) {
    if (thrown instanceof FetchFailure) throw thrown;
    if (timedOut) throw new FetchFailure(url, `no complete response within ${formatInterval(limits.timeoutMs * 1e6)} (--timeout)`, true);
    // undici reports "fetch failed" and keeps the reason (ECONNREFUSED, …) in `cause`.
    const cause = (thrown as { cause?: unknown }).cause;
    throw new FetchFailure(url, describeThrown(cause ?? thrown), true);
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', interrupt);
  }
}

async function readCapped(body: ReadableStream<Uint8Array> | null, url: string, maxBytes: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(url, maxBytes);
    }
    chunks.push(chunk.value);
  }
  return concatBytes(chunks, total);
}

function tooLarge(url: string, maxBytes: number): FetchFailure {
  return new FetchFailure(url, `the response is larger than ${maxBytes} bytes (raise --max-profile-size if this is genuine)`, false);
}
