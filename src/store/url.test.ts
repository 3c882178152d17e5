import { describe, expect, it } from 'vitest';
import { parseStoreUrl, redactUrl, StoreError } from './url.js';

describe('parseStoreUrl', () => {
  it('takes host, port, database and credentials from the URL', () => {
    const a = parseStoreUrl('http://ops:s3cret@db.example:8123/fleet', {});
    expect(a).toMatchObject({ origin: 'http://db.example:8123', username: 'ops', password: 's3cret', display: 'http://ops@db.example:8123/fleet' });
    expect(a.database.name).toBe('fleet');
  });

  it('defaults to the database heapdiff and the user default, and reads credentials from the environment', () => {
    const a = parseStoreUrl('https://db.example', { HEAPDIFF_STORE_USER: 'ci', HEAPDIFF_STORE_PASSWORD: 'pw' });
    expect(a).toMatchObject({ origin: 'https://db.example', username: 'ci', password: 'pw', display: 'https://ci@db.example/heapdiff' });
    expect(parseStoreUrl('http://h:1/', {})).toMatchObject({ username: 'default', password: '' });
  });

  it('the URL wins over the environment, and percent-encoded credentials are decoded', () => {
    const a = parseStoreUrl('http://a%40b:p%3Aw%2F@h:8123/d', { HEAPDIFF_STORE_USER: 'x', HEAPDIFF_STORE_PASSWORD: 'y' });
    expect(a).toMatchObject({ username: 'a@b', password: 'p:w/' });
    expect(a.display).not.toContain('p:w');
  });

  it('refuses what is not a store URL, in one line without the password', () => {
    const cases: [string, RegExp][] = [
      ['db.example:8123', /must start with http/],
      ['ftp://u:hunter2@h/db', /must start with http/],
      ['http://u:hunter2@h:8123/db?x=1', /query or fragment/],
      ['http://u:hunter2@h:8123/a/b', /several parts/],
      ['http://u:hunter2@h:8123/my-db', /database "my-db" is not a plain SQL name/],
      ['http://u:hunter2@[::1/db', /is not a URL/],
      ["http://h/x'y", /not a plain SQL name/],
    ];
    for (const [text, pattern] of cases) {
      let caught: unknown;
      try {
        parseStoreUrl(text, {});
      } catch (thrown) {
        caught = thrown;
      }
      expect(caught, text).toBeInstanceOf(StoreError);
      const message = (caught as Error).message;
      expect(message).toMatch(pattern);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('\n');
    }
  });

  it('redactUrl hides whatever the password holds, @ and : included', () => {
    expect(redactUrl('http://u:p@ss:w@h:1/db')).toBe('http://u:***@h:1/db');
    expect(redactUrl('http://h:8123/db')).toBe('http://h:8123/db');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
