const BARS = '▁▂▃▄▅▆▇█';

/**
 * One bar per value, scaled from zero (or the lowest negative value) up to the largest value:
 * a cache flat at 2MB reads as a flat bar, not as its sampling noise magnified.
 */
export function sparkline(values: readonly number[]): string {
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  if (high === low) return BARS[0]!.repeat(values.length);
  return values.map((v) => BARS[Math.round(((v - low) / (high - low)) * (BARS.length - 1))]!).join('');
}
