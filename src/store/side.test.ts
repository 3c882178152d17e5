import { describe, expect, it } from 'vitest';
import { parseStoreSide, parseTime } from './side.js';
import { StoreError } from './url.js';

describe('parseStoreSide', () => {
  it('reads labels and a time range, percent-decoding keys and values', () => {
    const side = parseStoreSide('store:service=api,pod=a%2Cb%3Dc,from=2026-11-28T07:00:00Z,to=2026-11-28T08:00:00.5Z');
    expect(side.labels).toEqual([
      ['service', 'api'],
      ['pod', 'a,b=c'],
    ]);
    expect(side.from).toBe(BigInt(Date.UTC(2026, 10, 28, 7)) * 1_000_000n);
    expect(side.to).toBe(BigInt(Date.UTC(2026, 10, 28, 8)) * 1_000_000n + 500_000_000n);
    expect(parseStoreSide('store:')).toMatchObject({ labels: [], from: null, to: null });
  });

  it('times are exact to the nanosecond beyond 2^53, and a date alone is its midnight', () => {
    expect(parseTime('2026-11-28T07:00:00.123456789Z', 'x')).toBe(1795849200123456789n);
    expect(parseTime('2026-11-28', 'x')).toBe(1795824000000000000n);
  });

  it('refuses what it cannot read, in one line', () => {
    const cases: [string, RegExp][] = [
      ['store:service', /expected key=value/],
      ['store:a=1,a=2', /a is given twice/],
      ['store:from=yesterday', /not ISO 8601 UTC/],
      ['store:from=2026-11-28T07:00:00', /not ISO 8601 UTC/],
      ['store:from=2026-02-30', /not a real date/],
      ['store:from=2026-11-28,to=2026-11-27', /from= must be before to=/],
      ["store:bad key=1", /label key "bad key"/],
      ['store:x=%E0%A4%A', /not valid percent-encoding/],
    ];
    for (const [text, pattern] of cases) {
      expect(() => parseStoreSide(text), text).toThrow(StoreError);
      expect(() => parseStoreSide(text), text).toThrow(pattern);
    }
  });
});
