import type { Store } from './client.js';
import { StoreError } from './url.js';
import { Identifier, sql, type Sql } from './sql.js';

/**
 * The store's two tables, in SQL that Debian's ClickHouse 18.16 and current releases both accept
 * (no DateTime64, Map, LowCardinality or query parameters).
 *
 * `profiles`: one row per ingested profile, keyed by its content hash. Capture times are Int64
 * nanoseconds (DateTime holds whole seconds). Per sample type (parallel arrays): the signed total,
 * pprof's Σ|v| and the total's sampling variance. Labels as parallel key and value arrays.
 *
 * `sites`: per profile, sample type, granularity (functions, lines) and site, the flat and cum
 * values, their sampling variances and the raw samples behind them (#13's model), so a query
 * never needs stacks. Sums are Float64: Int64
 * sums of squares wrap, and ClickHouse's varSamp loses precision on large values, so the store
 * returns Σx and Σx² and heapdiff finishes the statistics as for files.
 *
 * Both are ReplacingMergeTree on their natural key: ingest skips profiles already stored, and a
 * duplicate left by two ingests racing collapses when ClickHouse merges.
 */
const PROFILE_COLUMNS = sql`
  profile_id String,
  time_nanos Int64,
  duration_nanos Int64,
  ingested_at DateTime,
  source String,
  sample_types Array(String),
  sample_units Array(String),
  default_sample_type String,
  totals Array(Float64),
  abs_totals Array(Float64),
  total_vars Array(Float64),
  total_counts Array(Float64),
  sampling_models Array(String),
  period Float64,
  period_type String,
  period_unit String,
  label_keys Array(String),
  label_values Array(String)`;

const SITE_COLUMNS = sql`
  profile_id String,
  time_nanos Int64,
  sample_type String,
  granularity String,
  name String,
  site_key String,
  file String,
  line UInt32,
  flat Float64,
  cum Float64,
  flat_var Float64,
  cum_var Float64,
  flat_count Float64,
  cum_count Float64,
  inline_mark String`;

const PROFILE_KEY = sql`profile_id`;
const SITE_KEY = sql`(profile_id, sample_type, granularity, name, file, line)`;

export const TABLES = { profiles: new Identifier('profiles'), sites: new Identifier('sites') } as const;

/** The `CREATE TABLE IF NOT EXISTS` for one of the two tables, as a local (MergeTree) table. */
export function createLocalTable(database: Identifier, table: Identifier, kind: Kind): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${database}.${table} (${COLUMNS[kind]}) ENGINE = ReplacingMergeTree ORDER BY ${KEYS[kind]}`;
}

type Kind = keyof typeof TABLES;
const COLUMNS = { profiles: PROFILE_COLUMNS, sites: SITE_COLUMNS };
const KEYS = { profiles: PROFILE_KEY, sites: SITE_KEY };

/** Creates the database and both tables on a single server when they are missing. */
export async function ensureSchema(store: Store): Promise<void> {
  const db = store.address.database;
  await store.command(sql`CREATE DATABASE IF NOT EXISTS ${db}`);
  for (const kind of KINDS) await store.command(createLocalTable(db, TABLES[kind], kind));
}

const KINDS = ['profiles', 'sites'] as const;
/** On a cluster, each shard holds `<table>_local`; `<table>` is a Distributed table over them. */
export const LOCAL_TABLES = { profiles: new Identifier('profiles_local'), sites: new Identifier('sites_local') } as const;

/**
 * For `--cluster NAME`: 18.16's ON CLUSTER needs ZooKeeper, so heapdiff creates the shard tables
 * on every host of the cluster itself (each reached over HTTP at its host from system.clusters,
 * with the store URL's scheme, port and credentials), then on each host a Distributed table
 * under the usual name, sharded by profile, so any host answers queries over all shards and a
 * profile's rows stay on one shard.
 */
export async function ensureClusterSchema(store: Store, clusterName: string): Promise<void> {
  const cluster = new Identifier(clusterName, 'cluster');
  const hosts = await store.rows<{ host_address: string }>(
    sql`SELECT DISTINCT host_address FROM system.clusters WHERE cluster = ${cluster.name} ORDER BY host_address`,
  );
  if (hosts.length === 0) {
    throw new StoreError(`store ${store.address.display}: the server has no cluster ${cluster.name} (remote_servers in its config)`);
  }
  const db = store.address.database;
  for (const { host_address } of hosts) {
    const shard = store.on(host_address);
    try {
      await shard.command(sql`CREATE DATABASE IF NOT EXISTS ${db}`);
      for (const kind of KINDS) {
        await shard.command(createLocalTable(db, LOCAL_TABLES[kind], kind));
        await shard.command(
          sql`CREATE TABLE IF NOT EXISTS ${db}.${TABLES[kind]} (${COLUMNS[kind]}) ENGINE = Distributed(${cluster}, ${db}, ${LOCAL_TABLES[kind]}, cityHash64(profile_id))`,
        );
      }
    } finally {
      if (shard !== store) await shard.close();
    }
  }
}
