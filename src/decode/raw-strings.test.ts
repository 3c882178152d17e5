import { describe, expect, it } from 'vitest';
import { F64List } from '../base/growable.js';
import { RawStrings } from './raw-strings.js';

/** A string table as the walk leaves it: the entries' bytes one after another, their [start, end) offsets, and the span. */
function table(texts: readonly string[]): RawStrings {
  const bytes = new TextEncoder().encode(texts.join(''));
  const offsets = new F64List();
  let at = 0;
  for (const text of texts) {
    offsets.push(at);
    offsets.push((at += text.length));
  }
  return new RawStrings(bytes, offsets, Float64Array.of(0, at, at, 0));
}

describe('RawStrings', () => {
  it('tells equal entries of an ASCII table by their bytes, across many growths of its slots', () => {
    // 5,000 entries of 1,000 texts each repeated: the slots start at 1,024 and grow several times.
    const texts = Array.from({ length: 5000 }, (_, i) => `fn${(i * 7919) % 1000}`);
    const strings = table(texts);
    const ids = texts.map((_, i) => strings.id(i, 'entry'));
    expect(strings.values).toHaveLength(1 + 1000);
    for (let i = 0; i < texts.length; i++) expect(strings.values[ids[i]!]).toBe(texts[i]);
    // First use decides the id: the first 1,000 entries are the 1,000 texts.
    expect(new Set(ids.slice(0, 1000)).size).toBe(1000);
    expect(strings.textId('fn5')).toBe(ids[texts.indexOf('fn5')]);
    expect(strings.textId('not an entry')).toBe(1001);
  });

  it('adopts the new strings of the kernel after its own, however many it has (a few, or more than 1,024)', () => {
    for (const before of [3, 1500]) {
      const texts = Array.from({ length: before + 2000 }, (_, i) => `s${i}`);
      const strings = table(texts);
      for (let i = 0; i < before; i++) strings.id(i, 'entry');
      const ids = Int32Array.from(texts, (_, i) => (i < before ? i + 1 : before + 1 + (i - before)));
      strings.adopt(ids, texts.slice(before), new Map());
      expect(strings.values).toEqual(['', ...texts]);
      // And one more after them.
      expect(strings.textId('later')).toBe(texts.length + 1);
      expect(strings.values[texts.length + 1]).toBe('later');
    }
  });
});
