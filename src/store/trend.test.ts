import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { adminQuery, freshDatabase, storeUrl, testServer } from '../test-support/clickhouse.js';

const PROFILES = 'testdata/go/leakysvc/profiles';
const server = await testServer();

interface TrendJson {
  snapshots: { source: string; timeNanos: number; total: number; period: number }[];
  rows: { name: string; verdict: string; series: number[]; slope: number; r2: number; net: number }[];
  verdicts: Record<string, number>;
}

describe.skipIf(server.skip)(`trend over the real ClickHouse${server.reason ? `: ${server.reason}` : ''}`, () => {
  const db = freshDatabase();
  const store = storeUrl(db);
  let files: TrendJson;

  beforeAll(async () => {
    const ingest = await runCli(['ingest', '--store', store, `${PROFILES}/heap-0*.pb.gz`]);
    expect(ingest.stderr).toBe('');
    files = JSON.parse((await runCli(['trend', '-f', 'json', '-n', '0', `${PROFILES}/heap-0*.pb.gz`])).stdout) as TrendJson;
  });
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
  });

  const trend = async (...args: string[]) => {
    const result = await runCli(['trend', '--store', store, '-f', 'json', '-n', '0', ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as TrendJson;
  };

  it('with one profile per bucket, equals the trend of the files row for row', async () => {
    const stored = await trend('store:binary=leakysvc', '--bucket', '1s');
    expect(stored.snapshots.map((s) => s.total)).toEqual(files.snapshots.map((s) => s.total));
    expect(stored.snapshots.map((s) => s.source)).toEqual(files.snapshots.map(() => expect.stringMatching(/^store:binary=leakysvc@.* \(1 profile\)$/)) as unknown as string[]);
    expect(stored.verdicts).toEqual(files.verdicts);
    expect(stored.rows.map((r) => [r.name, r.verdict, r.series])).toEqual(files.rows.map((r) => [r.name, r.verdict, r.series]));
    stored.rows.forEach((r, i) => expect(r.slope).toBeCloseTo(files.rows[i]!.slope, 3));
  });

  it('with wider buckets, each snapshot is the mean of its profiles', async () => {
    const width = 2e9;
    const stored = await trend('store:binary=leakysvc', '--bucket', '2s');
    // The expected snapshots, from the files: profiles grouped by capture time, values averaged.
    const groups = new Map<number, number[]>();
    files.snapshots.forEach((s, k) => {
      const bucket = Math.floor(s.timeNanos / width);
      groups.set(bucket, [...(groups.get(bucket) ?? []), k]);
    });
    const buckets = [...groups.values()];
    expect(buckets.length).toBeGreaterThanOrEqual(3);
    expect(buckets.some((b) => b.length > 1)).toBe(true);
    const mean = (values: number[], ks: number[]) => ks.reduce((a, k) => a + values[k]!, 0) / ks.length;
    expect(stored.snapshots.map((s) => s.total)).toEqual(buckets.map((ks) => mean(files.snapshots.map((s) => s.total), ks)));
    // Each snapshot says how many profiles it averages, in top's words for a side.
    expect(stored.snapshots.map((s) => s.source.replace(/^.*@\S+ /, ''))).toEqual(buckets.map((ks) => (ks.length === 1 ? '(1 profile)' : `(mean of ${ks.length} profiles)`)));
    for (const row of files.rows) {
      const got = stored.rows.find((r) => r.name === row.name);
      expect(got, row.name).toBeDefined();
      got!.series.forEach((v, b) => expect(v).toBeCloseTo(mean(row.series, buckets[b]!), 6));
    }
  });

  it('a crafted label value selects nothing and changes nothing; stack options are refused in one line', async () => {
    const before = await adminQuery(`SELECT count() FROM ${db}.sites`);
    const crafted = await runCli(['trend', '--store', store, `store:binary=x'%2C 1) OR 1=1 --`]);
    expect(crafted.code).toBe(2);
    expect(crafted.stderr).toMatch(/^heapdiff: store:binary=x'%2C 1\) OR 1=1 --: no stored profile matches\n$/);
    expect(await adminQuery(`SELECT count() FROM ${db}.sites`)).toBe(before);
    for (const flag of [['--focus', 'main'], ['--hide', 'x'], ['-g', 'files']]) {
      const result = await runCli(['trend', '--store', store, 'store:binary=leakysvc', ...flag]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^heapdiff: invalid option: .* needs stacks, which the store does not keep; a store side supports .*\n$/);
    }
  });
});
