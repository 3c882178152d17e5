import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

/**
 * The JSON contract in docs/json.md, checked against real output both ways: every field printed
 * is documented with its type, and every documented field is printed by some run.
 */
const go = (n: string) => `testdata/go/leakysvc/profiles/heap-${n}.pb.gz`;
const scratch = mkdtempSync(join(tmpdir(), 'heapdiff-json-'));
/** A real snapshot with its capture time removed. */
function untimed(n: string): string {
  const path = join(scratch, `untimed-${n}.pb.gz`);
  const profile = Profile.decode(gunzipSync(readFileSync(go(n))));
  profile.timeNanos = 0;
  writeFileSync(path, gzipSync(profile.encode()));
  return path;
}
const runs: Record<string, string[][]> = {
  top: [
    ['top', '-f', 'json', '-n', '3', '-g', 'lines', '--fail-on', 'site>1MB', '--warn-on', 'total>1kB', '--warn-on', 'site>2MB', go('01'), go('08')],
    ['top', '-f', 'json', '--focus', 'main', '--ignore', 'zzz', '--hide', 'runtime', go('08')],
    // Legacy text (MemStats) and stacks cut at Go's 32-frame limit, on either side.
    ['top', '-f', 'json', 'testdata/go/shapes/profiles/deep.txt', 'testdata/go/leakysvc/profiles/heap-08.txt'],
    ['top', '-f', 'json', go('01'), 'testdata/go/shapes/profiles/deep.pb.gz'],
    // The leak behind an inlined helper: the attribution hint.
    ['top', '-f', 'json', '-n', '2', 'testdata/go/tenants/profiles/heap-01.pb.gz', 'testdata/go/tenants/profiles/heap-06.pb.gz'],
    // A goroutine leak: the hint follows runtime.gopark's callers up (hint.via).
    ['top', '-f', 'json', '-n', '2', 'testdata/go/goroutine-leak/profiles/goroutine-0.pb.gz', 'testdata/go/goroutine-leak/profiles/goroutine-4.pb.gz'],
    // Sides that are sets of profiles, and a set against one profile (no spread on that side).
    ['top', '-f', 'json', '-n', '3', '--base', 'testdata/go/fleet/base', '--current', 'testdata/go/fleet/current/*.pb.gz'],
    ['top', '-f', 'json', '-n', '3', '--base', 'testdata/go/fleet/base/pod-1.pb.gz', '--current', 'testdata/go/fleet/current'],
    // At the default 512 KiB rate a +528kB site is within noise: withinNoise entries on both rule sets.
    ['top', '-f', 'json', '--fail-on', 'site>100kB', '--warn-on', 'site>100kB', 'testdata/go/tenants/profiles/heap-01.pb.gz', 'testdata/go/tenants/profiles/heap-02.pb.gz'],
  ],
  list: [
    ['list', '-f', 'json', 'dedupeCache', '--source-path', 'testdata/go', go('01'), go('08')],
    ['list', '-f', 'json', 'buildTree', '--focus', 'main', '--ignore', 'zzz', '--hide', 'runtime', go('08')],
    ['list', '-f', 'json', 'main', 'testdata/go/shapes/profiles/deep.txt', 'testdata/go/leakysvc/profiles/heap-08.txt'],
    ['list', '-f', 'json', 'main', go('01'), 'testdata/go/shapes/profiles/deep.pb.gz'],
    // Sides that are sets of profiles: lines are per-profile means with n and spread.
    ['list', '-f', 'json', 'remember', 'testdata/go/fleet/base', 'testdata/go/fleet/current'],
  ],
  peek: [
    ['peek', '-f', 'json', 'main\\.small$', 'testdata/go/tenants/profiles/heap-01.pb.gz', 'testdata/go/tenants/profiles/heap-06.pb.gz'],
    ['peek', '-f', 'json', '-g', 'lines', '--focus', 'main', '--ignore', 'zzz', '--hide', 'runtime', 'buildTree', 'testdata/go/tenants/profiles/heap-06.pb.gz'],
    // Legacy text (MemStats) and stacks cut at Go's 32-frame limit.
    ['peek', '-f', 'json', 'main', 'testdata/go/shapes/profiles/deep.txt', 'testdata/go/leakysvc/profiles/heap-08.txt'],
    ['peek', '-f', 'json', 'main', go('01'), 'testdata/go/shapes/profiles/deep.pb.gz'],
    ['peek', '-f', 'json', 'remember$', 'testdata/go/fleet/base', 'testdata/go/fleet/current'],
  ],
  trend: [
    ['trend', '-f', 'json', '--limit', '1GB', '--fail-on', 'leaks>0', '--fail-on', 'site>50MB', '--warn-on', 'site>1MB', ...['01', '02', '03', '04', '05', '06', '07', '08'].map(go)],
    // Without capture times: a warning, and a projection with no date.
    ['trend', '-f', 'json', '--limit', '1GB', '--focus', 'main', '--ignore', 'zzz', '--hide', 'runtime', ...['01', '02', '03'].map(untimed)],
    ['trend', '-f', 'json', ...[0, 1, 2, 3, 4].map((n) => `testdata/go/goroutine-leak/profiles/goroutine-${n}.pb.gz`)],
  ],
};

type Contract = Map<string, Set<string>>;

/** The fields docs/json.md gives `command`: sections name their commands in backticks, or "Every command". */
function documented(command: string): Contract {
  const contract: Contract = new Map();
  let applies = false;
  for (const line of readFileSync('docs/json.md', 'utf8').split('\n')) {
    if (line.startsWith('## ')) applies = line.startsWith('## Every command') || line.includes(`\`${command}\``);
    const row = /^\| `([^`]+)` \| ([a-z|\\]+) \|/.exec(line);
    if (row && applies) contract.set(row[1]!, new Set(row[2]!.replace(/\\/g, '').split('|')));
  }
  return contract;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every path in a document with the types seen there (`rows[]` for array elements). */
function shape(value: unknown, path = '', into: Contract = new Map()): Contract {
  if (path !== '') {
    if (!into.has(path)) into.set(path, new Set());
    into.get(path)!.add(typeOf(value));
  }
  if (Array.isArray(value)) for (const item of value) shape(item, `${path}[]`, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) shape(child, path ? `${path}.${key}` : key, into);
  }
  return into;
}

describe.each(Object.keys(runs))('the JSON of %s', (command) => {
  it('matches docs/json.md', async () => {
    const contract = documented(command);
    const seen: Contract = new Map();
    for (const argv of runs[command]!) {
      const result = await runCli(argv);
      expect([0, 1]).toContain(result.code);
      for (const [path, types] of shape(JSON.parse(result.stdout))) {
        seen.set(path, new Set([...(seen.get(path) ?? []), ...types]));
      }
    }
    // `x.*` documents every field of x: a printed path is its documented row with names starred.
    const rowOf = (path: string) => (contract.has(path) ? path : path.replace(/\.[^.[\]]+$/, '.*'));
    const undocumented = [...seen.keys()].filter((p) => !contract.has(rowOf(p)));
    expect(undocumented, 'fields printed but not documented').toEqual([]);
    const missing = [...contract.keys()].filter((row) => ![...seen.keys()].some((p) => rowOf(p) === row));
    expect(missing, 'documented fields never printed').toEqual([]);
    for (const [path, types] of seen) {
      expect([...types].filter((t) => !contract.get(rowOf(path))!.has(t)), `types of ${path}`).toEqual([]);
    }
  });
});
