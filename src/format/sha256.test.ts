import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Base64 } from './sha256.js';

describe('sha256Base64', () => {
  it('matches node:crypto on the standard vectors and on any string', () => {
    const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');
    expect(sha256Base64('')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(sha256Base64('abc')).toBe(node('abc'));
    for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) expect(sha256Base64('a'.repeat(n))).toBe(node('a'.repeat(n)));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
      expect(sha256Base64(s)).toBe(node(s));
    }));
  });
});
