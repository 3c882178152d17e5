import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Sql } from './sql.js';
import { StoreError, type StoreAddress } from './url.js';

/** A query taking longer than this is reported as the store not answering. */
const REQUEST_TIMEOUT_MS = 120_000;

/**
 * One connection to ClickHouse's HTTP interface through @clickhouse/client. Every query is SQL
 * built by the `sql` tag; every failure becomes one StoreError line naming the store without its
 * password.
 */
export class Store {
  readonly address: StoreAddress;
  private readonly client: ClickHouseClient;

  constructor(address: StoreAddress) {
    this.address = address;
    this.client = createClient({
      url: address.origin,
      username: address.username,
      password: address.password,
      // No database: it may not exist yet, so every statement names it (database.table).
      request_timeout: REQUEST_TIMEOUT_MS,
      // The client logs failed requests to the console; heapdiff reports them in one line instead.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  /** The same store (credentials, database) on another host of its cluster, at the same port. */
  on(host: string): Store {
    const url = new URL(this.address.origin);
    const hostname = host.includes(':') ? `[${host}]` : host;
    if (url.hostname === hostname) return this;
    url.hostname = hostname;
    const origin = `${url.protocol}//${url.host}`;
    const display = this.address.display.replace(/@[^/]*\//, `@${url.host}/`);
    return new Store({ ...this.address, origin, display });
  }

  /** A statement without a result (CREATE, INSERT … SELECT, DROP). */
  async command(statement: Sql): Promise<void> {
    await this.attempt(() => this.client.command({ query: statement.text }));
  }

  /** Rows of a SELECT, as JSON objects (UInt64/Int64 come back as strings). */
  async rows<T>(query: Sql): Promise<T[]> {
    return this.attempt(async () => (await this.client.query({ query: query.text, format: 'JSONEachRow' })).json<T>());
  }

  /** Inserts rows as data (JSONEachRow), never as SQL text. */
  async insert(table: string, values: readonly object[]): Promise<void> {
    if (values.length === 0) return;
    await this.attempt(() =>
      this.client.insert({
        table: `${this.address.database.name}.${table}`,
        values: values as object[],
        format: 'JSONEachRow',
        // Into a Distributed table: return once every shard has its rows, not when they are queued.
        clickhouse_settings: { insert_distributed_sync: 1 },
      }),
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async attempt<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (thrown) {
      throw new StoreError(`store ${this.address.display}: ${describeStoreFailure(thrown, this.address.password)}`);
    }
  }
}

/**
 * One line for what went wrong. ClickHouse 18.16 words its errors
 * "Code: 193, e.displayText() = DB::Exception: Wrong password for user default, e.what() = …";
 * current releases "Code: 193. DB::Exception: …. (WRONG_PASSWORD)". Both become the sentence.
 */
export function describeStoreFailure(thrown: unknown, password: string): string {
  const error = thrown as { code?: string; message?: string };
  let text: string;
  switch (error.code) {
    case 'ECONNREFUSED':
      text = 'connection refused (is ClickHouse running there?)';
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      text = 'no such host';
      break;
    case 'ECONNRESET':
      text = 'the server closed the connection';
      break;
    default: {
      const message = String(error.message ?? thrown);
      const old = /DB::Exception: (.*?)(?:, e\.what\(\) = .*)?$/s.exec(message);
      text = (old?.[1] ?? message).split('\n', 1)[0]!.trim() || 'unknown error';
      if (/timeout/i.test(text)) text = 'no answer in time (is ClickHouse running there?)';
    }
  }
  // Belt and braces: whatever the server or the client said, the password is not repeated.
  return password === '' ? text : text.split(password).join('***');
}
