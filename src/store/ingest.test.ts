import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { aggregateWithError } from '../analysis/aggregate.js';
import { SiteTable } from '../analysis/sites.js';
import { parseProfile } from '../index.js';
import { runCli } from '../test-support/fake-io.js';
import { adminQuery, dropEverywhere, freshDatabase, PASSWORD_USER, storeUrl, testServer, TEST_CLUSTER } from '../test-support/clickhouse.js';

const PROFILES = 'testdata/go/leakysvc/profiles';
const server = await testServer();

describe.skipIf(server.skip)(`ingest into the real ClickHouse${server.reason ? `: ${server.reason}` : ''}`, () => {
  const databases: string[] = [];
  const fresh = () => {
    const name = freshDatabase();
    databases.push(name);
    return name;
  };
  afterAll(async () => {
    for (const db of databases) await dropEverywhere(db);
  });

  const count = async (query: string) => Number((await adminQuery(query)).trim());

  it('creates the tables, stores each profile once however often it is ingested, and says so', async () => {
    const db = fresh();
    const first = await runCli(['ingest', '--store', storeUrl(db), `${PROFILES}/heap-01.pb.gz`, `${PROFILES}/heap-02.pb.gz`]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`ingested 2 profiles, ${/(\d+) site rows/.exec(first.stdout)?.[1]} site rows, into http://default@${new URL(storeUrl(db)).host}/${db}\n`);
    const sites = await count(`SELECT count() FROM ${db}.sites`);
    expect(sites).toBeGreaterThan(0);

    // The same two again, one of them twice on the command line, plus a new one.
    const again = await runCli(['ingest', '--store', storeUrl(db), `${PROFILES}/heap-01.pb.gz`, `${PROFILES}/heap-0[12].pb.gz`, `${PROFILES}/heap-03.pb.gz`]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^ingested 1 profile, \d+ site rows, .*\(3 already stored, left as they were\)\n$/);
    expect(await count(`SELECT count() FROM ${db}.profiles`)).toBe(3);
    expect(await count(`SELECT uniqExact(profile_id) FROM ${db}.profiles`)).toBe(3);
    const thirdSites = Number(/(\d+) site rows/.exec(again.stdout)![1]);
    expect(await count(`SELECT count() FROM ${db}.sites`)).toBe(sites + thirdSites);
  });

  it('keeps what a top over the file shows: the stored flat and cum equal the report rows', async () => {
    const db = fresh();
    expect((await runCli(['ingest', '--store', storeUrl(db), `${PROFILES}/heap-08.pb.gz`])).code).toBe(0);
    const report = JSON.parse((await runCli(['top', '-f', 'json', '-n', '0', '-g', 'lines', `${PROFILES}/heap-08.pb.gz`])).stdout) as {
      rows: { name: string; file: string; line: number; flat: number; cum: number }[];
    };
    const stored = (
      await adminQuery(`SELECT name, file, line, flat, cum FROM ${db}.sites WHERE granularity = 'lines' AND sample_type = 'inuse_space' FORMAT JSONEachRow`)
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; file: string; line: number; flat: number; cum: number });
    const key = (r: { name: string; file: string; line: number }) => `${r.name} ${r.file}:${r.line}`;
    const byKey = new Map(stored.map((r) => [key(r), r]));
    expect(stored.length).toBe(report.rows.length);
    for (const row of report.rows) expect(byKey.get(key(row)), key(row)).toMatchObject({ flat: row.flat, cum: row.cum });

    // The sampling variances are #13's, summed per site as the file path sums them.
    const profile = parseProfile(readFileSync(`${PROFILES}/heap-08.pb.gz`));
    const sites = new SiteTable('functions');
    const typeIndex = profile.sampleTypes.findIndex((t) => t.type === 'inuse_space');
    const expected = aggregateWithError({ profile, typeIndex, sites });
    const variances = (
      await adminQuery(`SELECT name, flat_var, cum_var, flat_count FROM ${db}.sites WHERE granularity = 'functions' AND sample_type = 'inuse_space' FORMAT JSONEachRow`)
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; flat_var: number; cum_var: number; flat_count: number });
    expect(variances.some((v) => v.flat_var > 0)).toBe(true);
    for (const v of variances) {
      const s = sites.names.indexOf(v.name);
      expect(v).toEqual({ name: v.name, flat_var: expected.flatVariance![s], cum_var: expected.cumVariance![s], flat_count: expected.flatCount![s] });
    }
  });

  it('labels come from --label, then directories named key=value, then the profile; crafted values stay data', async () => {
    const db = fresh();
    const crafted = "x'); DROP TABLE sites; --\\";
    const result = await runCli(['ingest', '--store', storeUrl(db), '--label', `team=${crafted}`, '--label', 'env=a=b', `${PROFILES}/heap-04.pb.gz`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const row = JSON.parse(await adminQuery(`SELECT label_keys, label_values FROM ${db}.profiles FORMAT JSONEachRow`)) as Record<string, string[]>;
    expect(Object.fromEntries(row['label_keys']!.map((k, i) => [k, row['label_values']![i]]))).toEqual({ binary: 'leakysvc', team: crafted, env: 'a=b' });
    expect(await count(`SELECT count() FROM ${db}.sites`)).toBeGreaterThan(0);
  });

  it('--cluster creates per-shard tables and a Distributed table on every shard; profiles spread over both', async () => {
    const db = fresh();
    const args = ['ingest', '--store', storeUrl(db), '--cluster', TEST_CLUSTER, `${PROFILES}/heap-0*.pb.gz`];
    const result = await runCli(args);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^ingested 8 profiles/);
    const hosts = (await adminQuery(`SELECT host_address FROM system.clusters WHERE cluster = '${TEST_CLUSTER}' ORDER BY shard_num`)).trim().split('\n');
    expect(hosts).toHaveLength(2);
    const origin = new URL(storeUrl(db));
    const perShard: number[] = [];
    for (const host of hosts) {
      const at = `${origin.protocol}//${host}:${origin.port}`;
      perShard.push(Number(await adminQuery(`SELECT count() FROM ${db}.profiles_local`, at)));
      // Every shard answers for the whole cluster through its Distributed table.
      expect(Number(await adminQuery(`SELECT uniqExact(profile_id) FROM ${db}.profiles`, at))).toBe(8);
    }
    expect(perShard.every((n) => n > 0)).toBe(true);
    expect(perShard[0]! + perShard[1]!).toBe(8);
    expect((await runCli(args)).stdout).toMatch(/^ingested 0 profiles, 0 site rows, .*\(8 already stored/);
    expect(Number(await adminQuery(`SELECT count() FROM ${db}.profiles`))).toBe(8);
  });

  it('refuses a bad label, a missing store, a server that is down and wrong credentials in one line, exit 2, no password', async () => {
    const db = fresh();
    const cases: [string[], RegExp, Partial<{ env: Record<string, string> }>][] = [
      [['--store', storeUrl(db), '--label', 'no-equals'], /expected key=value/, {}],
      [['--store', storeUrl(db), '--label', 'from=2026'], /from is not a label key/, {}],
      [[], /give the store as --store .* or in HEAPDIFF_STORE/, {}],
      [['--store', 'http://u:hunter2@127.0.0.1:1/x'], /^heapdiff: store http:\/\/u@127\.0\.0\.1:1\/x: connection refused/, {}],
      [['--store', storeUrl(db, { username: PASSWORD_USER.username, password: 'hunter2' })], /Wrong password for user heapdiff|Authentication failed/, {}],
      [['--store', storeUrl(db)], /Wrong password for user default|Authentication failed/, { env: { HEAPDIFF_STORE_PASSWORD: 'hunter2' } }],
    ];
    for (const [args, pattern, overrides] of cases) {
      const result = await runCli(['ingest', ...args, `${PROFILES}/heap-01.pb.gz`], overrides);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr + result.stdout).not.toContain('hunter2');
    }
    // The right password works, read from the environment.
    const ok = await runCli(['ingest', '--store', storeUrl(db), `${PROFILES}/heap-01.pb.gz`], { env: { HEAPDIFF_STORE_USER: PASSWORD_USER.username, HEAPDIFF_STORE_PASSWORD: PASSWORD_USER.password } });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(`http://${PASSWORD_USER.username}@`);
    expect(ok.stdout).not.toContain(PASSWORD_USER.password);
  });
});
