import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

/**
 * A stand-in for a Go service's /debug/pprof/heap on 127.0.0.1, serving the recorded leakysvc
 * snapshots in order. The path's first segment picks a behaviour; every path counts its own
 * requests, and the server refuses everything after MAX_REQUESTS so no test can run away.
 */
const go = (n: number) => `testdata/go/leakysvc/profiles/heap-0${n}.pb.gz`;
const recorded = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => readFileSync(go(n)));
const MAX_REQUESTS = 100;

interface Hit {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly at: number;
}
const hits: Hit[] = [];
/** Called with a path's request number (0-based) before it is answered. */
const hooks = new Map<string, (n: number) => void>();

function serve(res: ServerResponse, path: string, n: number): void {
  const behaviour = path.split('/')[1];
  const next = recorded[n % recorded.length]!;
  switch (behaviour) {
    case 'silent':
      return; // never answers
    case 'static': {
      const file = `testdata/go/leakysvc/profiles/${path.split('/')[2]}`;
      if (existsSync(file)) res.end(readFileSync(file));
      else res.writeHead(404).end();
      return;
    }
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>pprof is not enabled</body></html>');
      return;
    case 'flaky':
      if (n === 0) res.writeHead(503).end('warming up');
      else res.end(next);
      return;
    case 'breaks':
      if (n < 2) res.end(next);
      else res.writeHead(404).end();
      return;
    case 'chunked':
      // No content-length: the cap must stop the read as the bytes arrive.
      res.write(next.subarray(0, 4096));
      setTimeout(() => res.end(next.subarray(4096)), 20);
      return;
    default:
      res.end(next);
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const n = hits.filter((h) => h.path === url.pathname).length;
  hits.push({ path: url.pathname, query: url.searchParams, at: Date.now() });
  res.on('error', () => undefined);
  if (hits.length > MAX_REQUESTS) {
    res.writeHead(410).end();
    return;
  }
  hooks.get(url.pathname)?.(n);
  serve(res, url.pathname, n);
});

let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const hitsOf = (path: string) => hits.filter((h) => h.path === path);
const outDir = () => mkdtempSync(join(tmpdir(), 'heapdiff-capture-'));
const SNAPSHOT_NAME = /^heap-\d{8}T\d{6}\.\d{3}Z\.pb\.gz$/;

describe('URLs as profile sources', () => {
  it('top reads a URL like a file', async () => {
    const url = `${base}/static/heap-01.pb.gz`;
    const overHttp = await runCli(['top', url, go(8)]);
    const fromFiles = await runCli(['top', go(1), go(8)]);
    expect(overHttp.code).toBe(0);
    expect(overHttp.stdout).toBe(fromFiles.stdout.replace(`Base:     ${go(1)}`, `Base:     ${url}`));
  });

  it('reports an HTTP error, a refused connection and an oversized response as bad input', async () => {
    const missing = await runCli(['top', `${base}/static/nope.pb.gz`]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^heapdiff: reading profile: http:\/\/127\.0\.0\.1:\d+\/static\/nope\.pb\.gz: HTTP 404 Not Found\n$/);
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await runCli(['top', `http://127.0.0.1:${port}/heap`]);
    expect(refused.stderr).toBe(`heapdiff: reading profile: http://127.0.0.1:${port}/heap: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    const big = await runCli(['top', '--max-profile-size', '1kB', `${base}/static/heap-08.pb.gz`]);
    expect(big.stderr).toMatch(/^heapdiff: reading profile: .*: the response is larger than 1024 bytes \(raise --max-profile-size/);
  });
});

describe('heapdiff capture', () => {
  it('saves N snapshots one interval apart, atomically, asking for a GC first', async () => {
    const out = outDir();
    const result = await runCli(['capture', `${base}/ok/debug/pprof/heap`, '--count', '3', '--every', '200ms', '--out', out], { stderrIsTTY: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const names = readdirSync(out).sort();
    // Nothing else: no temporary file is left behind.
    expect(names).toHaveLength(3);
    for (const name of names) expect(name).toMatch(SNAPSHOT_NAME);
    names.forEach((name, k) => expect(readFileSync(join(out, name)).equals(recorded[k]!)).toBe(true));
    const requests = hitsOf('/ok/debug/pprof/heap');
    expect(requests.map((h) => h.query.get('gc'))).toEqual(['1', '1', '1']);
    for (let k = 1; k < requests.length; k++) expect(requests[k]!.at - requests[k - 1]!.at).toBeGreaterThanOrEqual(150);
    // Progress on a terminal: one line per snapshot, the summary, then what to run on them.
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(5);
    expect(result.stderr).toMatch(/heapdiff: 3\/3 .*heap-.*\.pb\.gz\nheapdiff: saved 3 snapshots in .*\n/);
    const [first, , last] = names.map((name) => join(out, name));
    expect(result.stderr.split('\n').at(-2)).toBe(`heapdiff: next: heapdiff top ${first} ${last}, or the trend: heapdiff trend '${join(out, 'heap-*.pb.gz')}'`);
  });

  it('keeps a gc the URL sets, and shows no progress when stderr is not a terminal', async () => {
    const result = await runCli(['capture', `${base}/ok-gc0/heap?gc=0&debug=0`, '-c', '1', '--every', '10ms', '-o', outDir()]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^heapdiff: saved 1 snapshot in .*\n$/);
    expect(hitsOf('/ok-gc0/heap')[0]!.query.toString()).toBe('gc=0&debug=0');
  });

  it('retries a failed request, then saves', async () => {
    const out = outDir();
    const result = await runCli(['capture', `${base}/flaky/heap`, '-c', '1', '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^heapdiff: warning: .*\/flaky\/heap\?gc=1: HTTP 503 Service Unavailable; retrying in 250ms\n/);
    expect(hitsOf('/flaky/heap')).toHaveLength(2);
    expect(readdirSync(out)).toHaveLength(1);
  });

  it('gives up on a server that never answers: timeout per request, two retries, nothing saved', async () => {
    const out = outDir();
    const started = Date.now();
    const result = await runCli(['capture', `${base}/silent/heap`, '-c', '1', '--timeout', '200ms', '-o', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n').pop()).toMatch(
      /^heapdiff: reading profile: .*\/silent\/heap\?gc=1: no complete response within 200ms \(--timeout\) \(gave up after 3 attempts\)$/,
    );
    expect(hitsOf('/silent/heap')).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([['with a content-length', 'big'], ['streamed without one', 'chunked']])('refuses an oversized response %s, without retrying', async (_, behaviour) => {
    const out = outDir();
    const result = await runCli(['capture', `${base}/${behaviour}/heap`, '-c', '2', '--max-profile-size', '2kB', '-o', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: reading profile: .*: the response is larger than 2048 bytes/);
    expect(hitsOf(`/${behaviour}/heap`)).toHaveLength(1);
    expect(readdirSync(out)).toEqual([]);
  });

  it('never saves a response that is not a profile', async () => {
    const out = outDir();
    const result = await runCli(['capture', `${base}/html/heap`, '-c', '1', '-o', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: (parsing|malformed) profile: .*\/html\/heap\?gc=1: /);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses the legacy text format (debug=1): a text .pb.gz without a capture time helps no trend', async () => {
    const out = outDir();
    const result = await runCli(['capture', `${base}/static/heap-08.txt`, '-c', '1', '-o', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: reading profile: .*\/static\/heap-08\.txt\?gc=1: the service sent the legacy text format; drop debug=1 from the URL\n$/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('keeps what it saved when the service starts failing, and says so', async () => {
    const out = outDir();
    const result = await runCli(['capture', `${base}/breaks/heap`, '-c', '5', '--every', '20ms', '-o', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: reading profile: .*\/breaks\/heap\?gc=1: HTTP 404 Not Found; the 2 snapshots saved before are kept in .*\n$/);
    expect(readdirSync(out)).toHaveLength(2);
  });

  it('on Ctrl-C keeps the finished snapshots and exits 0', async () => {
    const out = outDir();
    const ctrlC = new AbortController();
    // Interrupted while the third request is in flight: that snapshot is dropped.
    hooks.set('/sigint/heap', (n) => n === 2 && ctrlC.abort());
    const result = await runCli(['capture', `${base}/sigint/heap`, '-c', '10', '--every', '50ms', '-o', out], { interrupts: () => ctrlC.signal });
    expect(result.code).toBe(0);
    // The two it kept can still be compared.
    expect(result.stderr).toMatch(/^heapdiff: saved 2 snapshots in .* \(interrupted\)\nheapdiff: next: heapdiff top \S+ \S+\n$/);
    expect(readdirSync(out).filter((n) => SNAPSHOT_NAME.test(n))).toHaveLength(2);
    expect(readdirSync(out)).toHaveLength(2);
    expect(hitsOf('/sigint/heap')).toHaveLength(3);
  });

  it('without --count, captures until Ctrl-C, then prints the trend of what it saved', async () => {
    const out = outDir();
    const ctrlC = new AbortController();
    hooks.set('/forever/heap', (n) => n === 4 && ctrlC.abort());
    const result = await runCli(['capture', `${base}/forever/heap`, '--every', '50ms', '-o', out], { interrupts: () => ctrlC.signal });
    expect(result.code).toBe(0);
    expect(readdirSync(out)).toHaveLength(4);
    expect(result.stderr).toMatch(/heapdiff: saved 4 snapshots in .* \(interrupted\)\n$/);
    expect(result.stdout).toMatch(/^Window: +4 snapshots over /m);
    expect(result.stdout).toMatch(/^\S+ +leak .* main\.\(\*dedupeCache\)\.remember$/m);
  });
});
