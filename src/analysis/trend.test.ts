import { describe, expect, it } from 'vitest';
import { analyzeSeries, fitLine, noiseFloor } from './trend.js';

const seconds = (n: number) => Array.from({ length: n }, (_, i) => i * 10);
const verdict = (values: number[], period = 512) => analyzeSeries(seconds(values.length), values, period).verdict;
const MB = 1 << 20;

describe('fitLine', () => {
  it('recovers the slope of an exact line, with R² 1', () => {
    expect(fitLine([0, 10, 20, 30], [5, 25, 45, 65])).toEqual({ slope: 2, r2: 1 });
  });

  it('uses the times, not the positions, of uneven snapshots', () => {
    expect(fitLine([0, 1, 10], [0, 3, 30]).slope).toBeCloseTo(3, 12);
  });

  it('gives R² 0 for a flat series, and a low R² for scatter', () => {
    expect(fitLine([0, 1, 2], [7, 7, 7])).toEqual({ slope: 0, r2: 0 });
    expect(fitLine([0, 1, 2, 3], [0, 10, 0, 10]).r2).toBeLessThan(0.5);
  });
});

describe('noise floor', () => {
  it('is one period for tiny sites and 3·√(period·peak) for large ones', () => {
    expect(noiseFloor(512, 50)).toBe(512);
    expect(noiseFloor(512, 2 * MB)).toBeCloseTo(3 * Math.sqrt(512 * 2 * MB), 6);
    expect(noiseFloor(0, 5 * MB)).toBe(0);
  });
});

describe('verdicts', () => {
  it('leak: steady growth far above the floor', () => {
    expect(verdict([1, 2, 3, 4, 5, 6].map((v) => v * MB))).toBe('leak');
  });

  it('leak tolerates one dip in four intervals, not two', () => {
    expect(verdict([1, 2, 3, 2.9, 5].map((v) => v * MB))).toBe('leak');
    expect(verdict([1, 2, 1.9, 3, 2.9].map((v) => v * MB))).toBe('growing');
  });

  it('growing: net growth that is not steady enough for a leak', () => {
    expect(verdict([1, 4, 2, 5, 3, 6].map((v) => v * MB))).not.toBe('leak');
    expect(verdict([1, 1, 1, 1, 5, 9].map((v) => v * MB))).toBe('growing');
  });

  it('one jump is a transient, not growth or a sawtooth', () => {
    expect(verdict([1, 1, 1, 1, 1, 9].map((v) => v * MB))).toBe('noise');
    expect(verdict([1, 1, 1, 9, 1, 1].map((v) => v * MB))).toBe('noise');
  });

  it('plateau: grew, then flat (a cache filling to its cap)', () => {
    expect(verdict([1, 2, 3, 3, 3, 3, 3].map((v) => v * MB))).toBe('plateau');
  });

  it('sawtooth: drops back, then grows again', () => {
    expect(verdict([1, 2, 0.5, 1.5, 0.3, 1.4].map((v) => v * MB))).toBe('sawtooth');
    // One tooth: filled gradually, then flushed.
    expect(verdict([1, 2, 3, 4, 0.5].map((v) => v * MB))).toBe('sawtooth');
    // A dip of a fifth of the growth is no tooth.
    expect(verdict([1, 2, 3, 2.8, 4, 5].map((v) => v * MB))).toBe('leak');
  });

  it('shrinking, stable, and noise', () => {
    expect(verdict([6, 5, 4, 3, 2].map((v) => v * MB))).toBe('shrinking');
    expect(verdict([4 * MB, 4 * MB + 9000, 4 * MB - 9000, 4 * MB])).toBe('stable');
    // Never more than the floor: a few samples' worth, too little to judge.
    expect(verdict([0, 600, 0, 1200])).toBe('noise');
  });

  it('the same bytes are noise at the default 512 KiB rate but a leak at 512 B', () => {
    const series = [100, 200, 300, 400].map((v) => v * 1024);
    expect(verdict(series, 512)).toBe('leak');
    expect(verdict(series, 512 * 1024)).toBe('noise');
  });

  it('counts the intervals risen and fallen', () => {
    expect(analyzeSeries(seconds(5), [1, 2, 2, 1, 3], 0)).toMatchObject({ rose: 2, fell: 1, net: 2 });
  });
});
