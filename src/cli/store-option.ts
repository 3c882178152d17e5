import { ProfileError } from '../model/errors.js';
import { Store } from '../store/client.js';
import { ensureClusterSchema, ensureSchema } from '../store/schema.js';
import { parseStoreUrl, STORE_ENV } from '../store/url.js';
import type { Terminal } from './io.js';

/** The store from --store, else $HEAPDIFF_STORE; with `create`, its tables are made when missing. */
export async function openStore(io: Pick<Terminal, 'env'>, option: string | undefined, { create = false, cluster }: { create?: boolean; cluster?: string } = {}): Promise<Store> {
  const text = option ?? io.env[STORE_ENV];
  if (text === undefined || text === '') {
    throw new ProfileError('invalid option', `give the store as --store http://host:8123/database or in ${STORE_ENV}`);
  }
  const store = new Store(parseStoreUrl(text, io.env));
  if (!create) return store;
  try {
    if (cluster === undefined) await ensureSchema(store);
    else await ensureClusterSchema(store, cluster);
  } catch (thrown) {
    await store.close();
    throw thrown;
  }
  return store;
}
