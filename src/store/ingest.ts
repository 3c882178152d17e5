import type { Store } from './client.js';
import type { ProfileRecord } from './records.js';
import { TABLES } from './schema.js';
import { inList, sql } from './sql.js';

export interface IngestResult {
  /** Profiles written by this call. */
  readonly stored: number;
  /** Profiles the store already held (same content hash), or given twice; left as they are. */
  readonly skipped: number;
  /** Site rows written. */
  readonly siteRows: number;
}

/**
 * Writes profiles the store does not hold yet. Sites go first and the profile row last: queries
 * select profiles through `profiles`, so a profile is visible only once all its sites are in.
 */
export async function storeRecords(store: Store, records: readonly ProfileRecord[]): Promise<IngestResult> {
  const db = store.address.database;
  const ids = [...new Set(records.map((r) => r.profile.profile_id))];
  const existing =
    ids.length === 0
      ? []
      : await store.rows<{ profile_id: string }>(sql`SELECT DISTINCT profile_id FROM ${db}.${TABLES.profiles} WHERE profile_id IN ${inList(ids)}`);
  const held = new Set(existing.map((r) => r.profile_id));
  const fresh: ProfileRecord[] = [];
  for (const record of records) {
    if (held.has(record.profile.profile_id)) continue;
    held.add(record.profile.profile_id);
    fresh.push(record);
  }
  const sites = fresh.flatMap((r) => r.sites);
  await store.insert(TABLES.sites.name, sites);
  await store.insert(TABLES.profiles.name, fresh.map((r) => r.profile));
  return { stored: fresh.length, skipped: records.length - fresh.length, siteRows: sites.length };
}
