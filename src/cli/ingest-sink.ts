import { createHash } from 'node:crypto';
import type { Profile } from '../model/profile.js';
import { storeRecords } from '../store/ingest.js';
import { labelsFromPath, mergeLabels, ownLabels } from '../store/labels.js';
import { profileRecord, type ProfileRecord } from '../store/records.js';
import type { Terminal } from './io.js';
import { openStore } from './store-option.js';

/** A profile as the store keeps it, identified by the SHA-256 of its bytes (so a repeat is stored once). */
export function recordOf(source: string, bytes: Uint8Array, profile: Profile, labels: readonly [string, string][]): ProfileRecord {
  const id = createHash('sha256').update(bytes).digest('hex');
  return profileRecord(profile, id, source, mergeLabels(ownLabels(profile), labelsFromPath(source), labels), new Date());
}

/** For `capture --store`: each snapshot is ingested as soon as it is saved. */
export async function openIngestSink(io: Pick<Terminal, 'env'>, url: string, labels: readonly [string, string][]) {
  const store = await openStore(io, url, { create: true });
  return {
    display: store.address.display,
    sink: async (path: string, bytes: Uint8Array, profile: Profile) => {
      await storeRecords(store, [recordOf(path, bytes, profile, labels)]);
    },
    close: () => store.close(),
  };
}
