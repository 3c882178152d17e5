import { randomBytes } from 'node:crypto';

/**
 * The ClickHouse the store tests talk to: the real server `.ci/clickhouse start DIR` runs on
 * loopback (shard 1 of the cluster `heapdiff_two_shards`; shard 2 is on 127.0.0.2), never a mock.
 */
export const TEST_CLICKHOUSE = process.env['HEAPDIFF_TEST_CLICKHOUSE'] ?? 'http://127.0.0.1:18123';
export const TEST_CLUSTER = 'heapdiff_two_shards';
/** The user with a password in the test users.xml (.ci/clickhouse). */
export const PASSWORD_USER = { username: 'heapdiff', password: 'heapdiff-test-password' };

export interface TestServer {
  /** True when the suite should be skipped: no server, and not under CI. */
  readonly skip: boolean;
  /** Why it is skipped (or, under CI, why it will fail). */
  readonly reason: string;
}

/**
 * Whether ClickHouse answers. Outside CI a missing server skips the store tests with the reason
 * in the suite's name; under CI=true they run, and fail, because CI must exercise them.
 */
export async function testServer(): Promise<TestServer> {
  let up = false;
  try {
    const response = await fetch(`${TEST_CLICKHOUSE}/?query=SELECT%201`, { signal: AbortSignal.timeout(3000) });
    up = (await response.text()).trim() === '1';
  } catch {
    up = false;
  }
  if (up) return { skip: false, reason: '' };
  const reason = `no ClickHouse answers at ${TEST_CLICKHOUSE} (start one: .ci/clickhouse start /tmp/heapdiff-ch)`;
  return { skip: !process.env['CI'], reason };
}

/** A database name no other test run uses, so suites in parallel (and worktrees) never meet. */
export function freshDatabase(): string {
  return `heapdiff_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The store URL of a fresh database on the test server. */
export function storeUrl(database: string, credentials?: { username: string; password: string }): string {
  const url = new URL(TEST_CLICKHOUSE);
  if (credentials) {
    url.username = encodeURIComponent(credentials.username);
    url.password = encodeURIComponent(credentials.password);
  }
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the test server outside heapdiff (setup and clean-up). */
export async function adminQuery(query: string, host = TEST_CLICKHOUSE): Promise<string> {
  const response = await fetch(host, { method: 'POST', body: query, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`ClickHouse: ${text}`);
  return text;
}

/** Drops a test database on every host of the test cluster (cluster tests create it on each). */
export async function dropEverywhere(database: string): Promise<void> {
  const hosts = (await adminQuery(`SELECT DISTINCT host_address FROM system.clusters WHERE cluster = '${TEST_CLUSTER}'`)).trim().split('\n');
  const origin = new URL(TEST_CLICKHOUSE);
  for (const host of hosts) {
    if (host === '') continue;
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`, `${origin.protocol}//${host}:${origin.port}`);
  }
}
