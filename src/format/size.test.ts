import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize } from './size.js';

describe('parseSize', () => {
  it('accepts pprof-style units as powers of 1024', () => {
    const cases: [string, number][] = [
      ['0', 0],
      ['512', 512],
      ['512B', 512],
      ['512b', 512],
      ['512kB', 512 * 1024],
      ['512KB', 512 * 1024],
      ['1k', 1024],
      ['1KiB', 1024],
      ['10MB', 10 * 2 ** 20],
      ['10m', 10 * 2 ** 20],
      ['10MiB', 10 * 2 ** 20],
      ['1.5GiB', 1.5 * 2 ** 30],
      ['2GB', 2 * 2 ** 30],
      ['2g', 2 * 2 ** 30],
      ['1.5 GB', 1.5 * 2 ** 30],
      [' 3TB ', 3 * 2 ** 40],
      ['1TiB', 2 ** 40],
      ['.5kB', 512],
      ['5.kB', 5 * 1024],
      ['0.3kB', 307], // 307.2 rounds to nearest
      ['1.9999', 2],
    ];
    for (const [text, bytes] of cases) expect([text, parseSize(text)]).toEqual([text, bytes]);
  });

  it('rejects garbage, negatives and non-numbers with one clear line', () => {
    expect(() => parseSize('12XB')).toThrow(
      'invalid size "12XB": expected a number with an optional unit B, kB, MB, GB, TB (powers of 1024)',
    );
    for (const bad of ['', ' ', 'MB', '-5', '-5MB', '+5', 'NaN', 'Infinity', '1e3', '1.2.3', '5 M B', '5PB', '0x10', '1,5MB', '99999999999TB']) {
      expect(() => parseSize(bad), bad).toThrow(/^invalid size ".*": expected a number/);
    }
  });

  it('property: integers with a unit scale exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 20 }), fc.constantFrom('B', 'kB', 'MB', 'GB'), (n, unit) => {
        const factor = { B: 1, kB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30 }[unit];
        expect(parseSize(`${n}${unit}`)).toBe(n * factor);
      }),
    );
  });
});

describe('parseDuration', () => {
  it('accepts Go duration syntax (values checked against time.ParseDuration in Go 1.19)', () => {
    const cases: [string, number][] = [
      ['30s', 30_000],
      ['5m', 300_000],
      ['1h', 3_600_000],
      ['500ms', 500],
      ['1h30m', 5_400_000],
      ['1.5h', 5_400_000],
      ['.5s', 500],
      ['5.s', 5000],
      ['1.1s', 1100],
      ['2m3.5s', 123_500],
      ['500us', 0.5],
      ['500µs', 0.5],
      ['500μs', 0.5],
      ['3ns', 3e-6],
      ['0', 0],
      [' 30s ', 30_000],
    ];
    for (const [text, ms] of cases) expect([text, parseDuration(text)]).toEqual([text, ms]);
  });

  it('rejects what Go rejects, and negatives', () => {
    expect(() => parseDuration('5x')).toThrow(
      'invalid duration "5x": expected a number with a unit ns, us, ms, s, m, h (e.g. 30s, 1h30m, 500ms)',
    );
    for (const bad of ['', '5', '1H', '1h 30m', '1d', '-1s', '+1s', 's', '1.2.3s', 'NaN', 'h1']) {
      expect(() => parseDuration(bad), bad).toThrow(/^invalid duration ".*": expected a number with a unit/);
    }
  });
});
