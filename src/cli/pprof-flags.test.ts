import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { pprofAddress } from './fetch.js';

const BASE = 'testdata/go/leakysvc/profiles/heap-01.pb.gz';
const CURRENT = 'testdata/go/leakysvc/profiles/heap-08.pb.gz';

describe("go tool pprof's spellings", () => {
  it.each([
    [['top', '-diff_base', BASE, CURRENT], ['top', '--diff-base', BASE, CURRENT]],
    [['top', '-diff_base=' + BASE, CURRENT], ['top', BASE, CURRENT]],
    [['top', '--diff_base', BASE, CURRENT], ['top', BASE, CURRENT]],
    [['top', '-sample_index=alloc_space', BASE, CURRENT], ['top', '-i', 'alloc_space', BASE, CURRENT]],
    [['top', '-sample_index', '1', BASE, CURRENT], ['top', '-i', '1', BASE, CURRENT]],
    [['top', '-alloc_objects', BASE, CURRENT], ['top', '-i', 'alloc_objects', BASE, CURRENT]],
    [['top', '-nodecount=3', BASE, CURRENT], ['top', '-n', '3', BASE, CURRENT]],
    [['top', '-nodecount', '3', BASE, CURRENT], ['top', '-n', '3', BASE, CURRENT]],
    [['top', '-focus=dedupe', BASE, CURRENT], ['top', '--focus', 'dedupe', BASE, CURRENT]],
    [['top', '-focus', 'dedupe', BASE, CURRENT], ['top', '--focus', 'dedupe', BASE, CURRENT]],
    [['top', '-cum', BASE, CURRENT], ['top', '--cum', BASE, CURRENT]],
    [['top', '-lines', BASE, CURRENT], ['top', '-g', 'lines', BASE, CURRENT]],
    [['-top', '-lines', '-cum', '-nodecount=5', '-diff_base', BASE, CURRENT], ['top', '-g', 'lines', '--cum', '-n', '5', BASE, CURRENT]],
  ])('%j reads as %j', async (pprofStyle, heapdiffStyle) => {
    const theirs = await runCli(pprofStyle);
    const ours = await runCli(heapdiffStyle);
    expect(ours.code).toBe(0);
    expect(theirs.stderr).toBe('');
    expect(theirs.stdout).toBe(ours.stdout);
  });

  it('leaves an option value alone, even when it looks like a pprof flag', async () => {
    // --focus takes the next word as its regex: "-cum" matches no frame, so no rows.
    const result = await runCli(['top', '--focus', '-cum', BASE, CURRENT]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('dedupeCache');
  });

  it.each([
    ['-http=:8080', /-http=:8080 is go tool pprof's; .*--format html -o report\.html/],
    ['-web', /-web is go tool pprof's; .*--format html/],
    ['-base', /-base is go tool pprof's; .*--diff-base BASE CURRENT/],
    ['-list', /-list is go tool pprof's; .*heapdiff list REGEX/],
    ['-nodefraction=0', /-nodefraction=0 is go tool pprof's; .*-n\/--nodecount/],
  ])('answers %s with heapdiff spelling in one line', async (flag, message) => {
    const result = await runCli(['top', flag, BASE, CURRENT]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('host:port without a scheme', () => {
  it.each([
    ['localhost:6060/debug/pprof/heap', 'http://localhost:6060/debug/pprof/heap'],
    ['svc.prod.internal:6060/debug/pprof/goroutine?debug=0', 'http://svc.prod.internal:6060/debug/pprof/goroutine?debug=0'],
    ['127.0.0.1:6060', 'http://127.0.0.1:6060/debug/pprof/heap'],
    ['[::1]:6060/debug/pprof/heap', 'http://[::1]:6060/debug/pprof/heap'],
  ])('%s means %s', (source, url) => expect(pprofAddress(source)).toBe(url));

  it.each(['heap.pb.gz', 'profiles/heap-01.pb.gz', 'C:/profiles/heap.pb.gz', 'http://x:1/y'])('%s is not an address', (source) =>
    expect(pprofAddress(source)).toBeUndefined(),
  );

  it('fetches host:port/debug/pprof/heap over http, as pprof does', async () => {
    const body = readFileSync(CURRENT);
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url!);
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await runCli(['top', '-n', '1', BASE, `127.0.0.1:${port}/debug/pprof/heap`]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/\+55\.91MB.*main\.\(\*dedupeCache\)\.remember/);
      expect(paths).toEqual(['/debug/pprof/heap']);
    } finally {
      server.close();
    }
  });
});
