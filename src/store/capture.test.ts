import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { adminQuery, freshDatabase, storeUrl, testServer } from '../test-support/clickhouse.js';

const server = await testServer();

describe.skipIf(server.skip)(`capture --store against the real ClickHouse${server.reason ? `: ${server.reason}` : ''}`, () => {
  const db = freshDatabase();
  // A live service's heap endpoint: each request answers the next bundled snapshot.
  let served = 0;
  const service = createServer((_req, res) => {
    served++;
    res.end(readFileSync(`testdata/go/leakysvc/profiles/heap-0${served}.pb.gz`));
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(service.address() as { port: number }).port}/debug/pprof/heap`;
  });
  afterAll(async () => {
    service.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
  });

  it('ingests each snapshot as it is saved, with its labels', async () => {
    const out = mkdtempSync(join(tmpdir(), 'heapdiff-capture-store-'));
    const result = await runCli(['capture', url, '-c', '3', '--every', '10ms', '-o', out, '--store', storeUrl(db), '--label', 'pod=api-1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`saved 3 snapshots in .* and ingested into http://default@[^/]+/${db}\\nheapdiff: next: heapdiff top .*\\n$`));
    const rows = (await adminQuery(`SELECT source, label_values FROM ${db}.profiles ORDER BY time_nanos FORMAT JSONEachRow`))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; label_values: string[] });
    expect(rows.map((r) => r.source)).toEqual(rows.map(() => expect.stringMatching(new RegExp(`^${out}/heap-\\d{8}T\\d{6}\\.\\d{3}Z\\.pb\\.gz$`))));
    expect(rows.map((r) => r.label_values)).toEqual([['leakysvc', 'api-1'], ['leakysvc', 'api-1'], ['leakysvc', 'api-1']]);
  });

  it('--label without --store is refused in one line', async () => {
    const result = await runCli(['capture', url, '-c', '1', '-o', mkdtempSync(join(tmpdir(), 'heapdiff-capture-store-')), '--label', 'a=b']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('heapdiff: invalid option: --label labels what --store ingests; give --store too\n');
  });
});
