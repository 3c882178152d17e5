import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeJsonText } from './escape-json.js';

describe('escapeJsonText', () => {
  it('spells bidi, zero-width, C1 and ##[ as \\u escapes that read back as the same string', () => {
    const value = { name: 'a\u202eb\u200b\x85c ##[error]d \u{e0041}' };
    const text = escapeJsonText(JSON.stringify(value));
    expect(text).toBe('{"name":"a\\u202eb\\u200b\\u0085c #\\u0023[error]d \\udb40\\udc41"}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const text = escapeJsonText(JSON.stringify({ s }, null, 2));
        expect(JSON.parse(text)).toEqual({ s });
        expect(text).not.toContain('##[');
      }),
    );
  });
});
