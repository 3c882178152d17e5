import { Identifier } from './sql.js';

/** Where the store is and who heapdiff is there. `display` is what messages and JSON show. */
export interface StoreAddress {
  /** scheme://host:port, without credentials or path. */
  readonly origin: string;
  readonly database: Identifier;
  readonly username: string;
  readonly password: string;
  /** scheme://user@host:port/database: never the password. */
  readonly display: string;
}

/** The database used when the URL names none. */
export const DEFAULT_DATABASE = 'heapdiff';
/** Environment variables for credentials the URL does not carry (the URL's win). */
export const USER_ENV = 'HEAPDIFF_STORE_USER';
export const PASSWORD_ENV = 'HEAPDIFF_STORE_PASSWORD';
/** The store URL when --store is not given. */
export const STORE_ENV = 'HEAPDIFF_STORE';

/** A problem with the store (its address, the server, the credentials): one line, no password. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/**
 * Parses `http://[user[:password]@]host[:port][/database]`. User and password may also come from
 * HEAPDIFF_STORE_USER and HEAPDIFF_STORE_PASSWORD; the default user is `default` with no password,
 * as ClickHouse ships.
 */
export function parseStoreUrl(text: string, env: Readonly<Record<string, string | undefined>>): StoreAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreError(`store URL ${redactUrl(text)} is not a URL; expected http://host:8123/database`);
  }
  const shown = redactUrl(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StoreError(`store URL ${shown} must start with http:// or https:// (ClickHouse's HTTP interface)`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new StoreError(`store URL ${shown} has a query or fragment; give only http://host:port/database`);
  }
  const path = decodeURIComponent(url.pathname).replace(/^\/|\/$/g, '');
  if (path.includes('/')) throw new StoreError(`store URL ${shown} has a path of several parts; give only /database`);
  let database: Identifier;
  try {
    database = new Identifier(path === '' ? DEFAULT_DATABASE : path, 'database');
  } catch (thrown) {
    throw new StoreError(`store URL ${shown}: ${(thrown as Error).message}`);
  }
  const username = url.username !== '' ? decodeURIComponent(url.username) : (env[USER_ENV] ?? 'default');
  const password = url.password !== '' ? decodeURIComponent(url.password) : (env[PASSWORD_ENV] ?? '');
  const origin = `${url.protocol}//${url.host}`;
  return { origin, database, username, password, display: `${url.protocol}//${encodeURIComponent(username)}@${url.host}/${database.name}` };
}

/** A URL as text with any password replaced by `***`, for messages about URLs that do not parse. */
export function redactUrl(text: string): string {
  // The password runs from the first ':' after the scheme to the last '@', whatever it holds.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return text;
  return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}
