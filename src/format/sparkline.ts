const BARS = '▁▂▃▄▅▆▇█';

/** Bars at most: a row of 1,000 snapshots stays as wide as a row of 8 fits a terminal. */
export const SPARKLINE_WIDTH = 24;

/**
 * One bar per value, scaled from zero (or the lowest negative value) up to the largest value:
 * a cache flat at 2MB reads as a flat bar, not as its sampling noise magnified. More values than
 * `width` are resampled: each bar is the mean of an equal run of consecutive values.
 */
export function sparkline(values: readonly number[], width = SPARKLINE_WIDTH): string {
  const shown = values.length > width ? resample(values, width) : values;
  const low = Math.min(0, ...shown);
  const high = Math.max(0, ...shown);
  if (high === low) return BARS[0]!.repeat(shown.length);
  return shown.map((v) => BARS[Math.round(((v - low) / (high - low)) * (BARS.length - 1))]!).join('');
}

/** `width` means of consecutive runs whose lengths differ by at most one, in order. */
export function resample(values: readonly number[], width: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    out.push(sum / (to - from));
  }
  return out;
}
