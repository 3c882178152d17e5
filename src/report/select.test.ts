import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smallest } from './select.js';

describe('smallest', () => {
  it('is the first k of a full sort, ties broken by the comparator alone', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }), fc.nat(210), (values, k) => {
        // Many equal values: the comparator breaks ties by index, as a stable sort would.
        const compare = (a: number, b: number) => values[a]! - values[b]! || a - b;
        const indices = values.map((_, i) => i);
        expect(smallest(indices, k, compare)).toEqual([...indices].sort(compare).slice(0, k));
      }),
    );
  });

  it('keeps nothing for k = 0', () => {
    expect(smallest([3, 1, 2], 0, (a, b) => a - b)).toEqual([]);
  });
});
