import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freshDatabase, testServer, TEST_CLICKHOUSE } from '../test-support/clickhouse.js';
import { Store } from './client.js';
import { Identifier, quote, sql } from './sql.js';
import { parseStoreUrl } from './url.js';

/** Strings written to get out of a quoted literal, as an attacker would try them. */
const HOSTILE = [
  "' OR 1=1 --",
  "x'); DROP TABLE victims; --",
  "\\'; DROP TABLE victims; --",
  '\\',
  "\\\\'",
  "'",
  "''",
  "a\\' OR '1'='1",
  'tab\there',
  'new\nline',
  'nul\0byte',
  '\\x27 OR 1=1',
  '\\0',
  "\u2019 OR 1=1 --",
  '{x:String}',
  '/* open comment',
  '`backtick`',
  'UNION SELECT name FROM system.tables',
  'é ü 漢字 🙂',
];

describe('quote, without a server', () => {
  it('writes numbers as ClickHouse reads them and refuses what is not a number', () => {
    expect(quote(42)).toBe('42');
    expect(quote(-1.5)).toBe('-1.5');
    expect(quote(1e21)).toBe('1e+21');
    expect(quote(1234567890123456789n)).toBe('1234567890123456789');
    expect(() => quote(Number.NaN)).toThrow(/NaN/);
    expect(() => quote(Infinity)).toThrow(/Infinity/);
  });

  it('identifiers are plain names or refused', () => {
    expect(new Identifier('heapdiff_1').name).toBe('heapdiff_1');
    for (const bad of ['', '1abc', 'a-b', 'a.b', 'a`b', "a'b", 'a b', 'x'.repeat(200)]) {
      expect(() => new Identifier(bad, 'database')).toThrow(/database .* is not a plain SQL name/);
    }
  });

  it('the sql tag quotes every value, arrays included', () => {
    expect(sql`SELECT ${"a'b"}, ${[1, 'x']}`.text).toBe("SELECT 'a\\'b', [1, 'x']");
  });
});

const server = await testServer();

describe.skipIf(server.skip)(`quote against the real ClickHouse${server.reason ? `: ${server.reason}` : ''}`, () => {
  const database = freshDatabase();
  let store: Store;

  beforeAll(async () => {
    store = new Store(parseStoreUrl(`${TEST_CLICKHOUSE}/${database}`, {}));
    const db = new Identifier(database);
    await store.command(sql`CREATE DATABASE IF NOT EXISTS ${db}`);
    await store.command(sql`CREATE TABLE ${db}.victims (name String) ENGINE = MergeTree ORDER BY name`);
    await store.command(sql`INSERT INTO ${db}.victims VALUES (${'alice'}), (${'bob'})`);
  });

  afterAll(async () => {
    await store?.command(sql`DROP DATABASE IF EXISTS ${new Identifier(database)}`);
    await store?.close();
  });

  it('each hostile string comes back exactly as it went in, and the table is untouched', async () => {
    const db = new Identifier(database);
    for (const value of HOSTILE) {
      const [row] = await store.rows<{ v: string; n: string }>(
        sql`SELECT ${value} AS v, (SELECT count() FROM ${db}.victims WHERE name = ${value}) AS n`,
      );
      expect(row).toEqual({ v: value, n: '0' });
    }
    const names = await store.rows<{ name: string }>(sql`SELECT name FROM ${db}.victims ORDER BY name`);
    expect(names.map((r) => r.name)).toEqual(['alice', 'bob']);
  });

  it('any string round-trips through quote (property)', async () => {
    // One query for many strings: the server is real, so keep the round trips few.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 50 }), async (values) => {
        // JSON carries strings as UTF-16; lone surrogates cannot reach the server as themselves.
        const wellFormed = values.map((v) => v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
        const [row] = await store.rows<{ v: string[] }>(sql`SELECT ${wellFormed} AS v`);
        expect(row!.v).toEqual(wellFormed);
      }),
      { numRuns: 20, seed: 18 },
    );
  });
});
