import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { adminQuery, freshDatabase, storeUrl, testServer } from '../test-support/clickhouse.js';

const FLEET = 'testdata/go/fleet';
const server = await testServer();

describe.skipIf(server.skip)(`top over the real ClickHouse${server.reason ? `: ${server.reason}` : ''}`, () => {
  const db = freshDatabase();
  const store = storeUrl(db);

  beforeAll(async () => {
    // The same profiles twice over: re-ingest must not change a single number.
    for (let round = 0; round < 2; round++) {
      for (const side of ['base', 'current']) {
        const result = await runCli(['ingest', '--store', store, '--label', `side=${side}`, `${FLEET}/${side}/pod-*.pb.gz`]);
        expect(result.stderr).toBe('');
      }
    }
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
  });

  const both = async (flags: string[]) => {
    const files = await runCli(['top', ...flags, `${FLEET}/base`, `${FLEET}/current`]);
    const stored = await runCli(['top', '--store', store, ...flags, 'store:side=base', 'store:side=current']);
    expect(stored.stderr).toBe(files.stderr);
    expect(stored.code).toBe(files.code);
    return { files, stored };
  };
  // Only the sources differ: the directories on one side, the store sides on the other.
  const sameButSources = (text: string) => text.replaceAll(`${FLEET}/base`, 'BASE').replaceAll(`${FLEET}/current`, 'CURRENT');
  const storeSources = (text: string) => text.replaceAll('store:side=base', 'BASE').replaceAll('store:side=current', 'CURRENT');

  it.each([[[]], [['-g', 'lines', '-n', '0']], [['-i', 'alloc_space', '--cum']], [['-f', 'markdown']]])('equals the file-based fleet diff, row for row (%j)', async (flags) => {
    const { files, stored } = await both(flags as string[]);
    expect(files.code).toBe(0);
    expect(storeSources(stored.stdout)).toBe(sameButSources(files.stdout));
  });

  it('in JSON, every row and both sides equal the file-based fleet diff', async () => {
    const { files, stored } = await both(['-f', 'json', '-n', '0', '-g', 'lines']);
    const a = JSON.parse(files.stdout) as Record<string, unknown> & { rows: unknown[] };
    const b = JSON.parse(stored.stdout) as Record<string, unknown> & { rows: unknown[] };
    expect(b.rows.length).toBeGreaterThan(10);
    expect(b.rows).toEqual(a.rows.map((row) => closeTo(row)));
    expect(b['base']).toEqual(closeTo({ ...(a['base'] as object), source: 'store:side=base' }));
    expect(b['current']).toEqual(closeTo({ ...(a['current'] as object), source: 'store:side=current' }));
  });

  it('gates read the same rows', async () => {
    const { files, stored } = await both(['--fail-on', 'site>1MB']);
    expect(files.code).toBe(1);
    expect(stored.code).toBe(1);
  });

  it('refuses in one line what needs stacks or mixes a store side with files; a crafted label matches nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--focus', 'main', 'store:side=base', 'store:side=current'], /--focus needs stacks/],
      [['-f', 'html', 'store:side=base', 'store:side=current'], /-f html \(its flame graph\) needs stacks/],
      [['-g', 'files', 'store:side=base', 'store:side=current'], /-g files .* needs stacks/],
      [['store:side=base', `${FLEET}/current`], /two store:key=value,… sides .* and no files/],
      [["store:side=base') OR 1=1 --", 'store:side=current'], /^heapdiff: store:side=base'\) OR 1=1 --: no stored profile matches\n$/],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(['top', '--store', store, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe.skipIf(server.skip)(`a store side holding one profile${server.reason ? `: ${server.reason}` : ''}`, () => {
  const db = freshDatabase();
  const store = storeUrl(db);
  const base = `${FLEET}/base/pod-1.pb.gz`;
  const current = `${FLEET}/current/pod-1.pb.gz`;

  beforeAll(async () => {
    for (const [side, file] of [['base', base], ['current', current]]) {
      const result = await runCli(['ingest', '--store', store, '--label', `side=${side}`, file!]);
      expect(result.stderr).toBe('');
    }
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
  });

  // With n = 1 there is no spread to estimate: the error bars must come from the stored sampling
  // variance, exactly as for two files, not collapse to zero (which would make every row significant).
  it('reports what the two files report, error bars and verdicts included', async () => {
    const files = await runCli(['top', '-f', 'json', '-n', '0', '-g', 'lines', base, current]);
    const stored = await runCli(['top', '--store', store, '-f', 'json', '-n', '0', '-g', 'lines', 'store:side=base', 'store:side=current']);
    expect(stored.stderr).toBe(files.stderr);
    type Row = { name: string; flatError: number; significant: boolean };
    const a = JSON.parse(files.stdout) as { rows: Row[]; total: unknown };
    const b = JSON.parse(stored.stdout) as { rows: Row[]; total: unknown };
    expect(b.rows.length).toBeGreaterThan(10);
    expect(b.rows.some((row) => row.flatError > 0)).toBe(true);
    expect(b.rows.map((row) => [row.name, row.flatError, row.significant])).toEqual(
      a.rows.map((row) => closeTo([row.name, row.flatError, row.significant])),
    );
    // The total's variance is summed over hundreds of sites, by ClickHouse in its own order.
    const [ta, tb] = [a.total, b.total] as { change: number; error: number; significant: boolean }[];
    expect(tb!.change).toBe(ta!.change);
    expect(tb!.significant).toBe(ta!.significant);
    expect(Math.abs(tb!.error / ta!.error - 1)).toBeLessThan(1e-7);
  });
});

/** The same JSON with every number matched to 9 significant digits: ClickHouse sums in its own order, and a spread
 * from Σx² − (Σx)²/n keeps fewer digits than the values. */
function closeTo(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 || !Number.isFinite(value) ? value : expect.closeTo(value, 8 - Math.floor(Math.log10(Math.abs(value))));
  if (Array.isArray(value)) return value.map(closeTo);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeTo(v)]));
  return value;
}
