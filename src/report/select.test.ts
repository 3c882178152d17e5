import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaders, smallest } from './select.js';

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

describe('leaders', () => {
  it('keeps every item that can be among the first k by an order led by the key', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }), fc.nat(210), fc.boolean(), (values, k, smallestFirst) => {
        const sign = smallestFirst ? 1 : -1;
        const compare = (a: number, b: number) => sign * (values[a]! - values[b]!) || a - b;
        const indices = values.map((_, i) => i);
        // Only some items offered, as top offers the decreases past its kept rows.
        const offered = indices.filter((i) => i % 3 !== 1);
        const kept = leaders(offered, values, k, smallestFirst);
        expect(smallest(kept, k, compare)).toEqual(smallest(offered, k, compare));
        // And no more than the ties at the k-th add.
        const kth = [...offered].sort(compare)[Math.min(k, offered.length) - 1];
        if (kth !== undefined) expect(kept.every((i) => sign * (values[i]! - values[kth]!) <= 0)).toBe(true);
      }),
    );
  });
});
