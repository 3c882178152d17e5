/**
 * The statistics of one site's series across snapshots, and the verdict rules of `heapdiff trend`.
 * Every threshold is a named constant here; the README's rule table quotes them.
 */

/** Two snapshots cannot tell a leak from a cache warming up or a batch about to be flushed. */
export const MIN_SNAPSHOTS = 3;

/** What a site's series across snapshots looks like; the README's rule table says how each is decided. */
export type Verdict = 'leak' | 'growing' | 'sawtooth' | 'plateau' | 'shrinking' | 'stable' | 'noise';

/** The order reports list verdicts in: what needs attention first. */
export const VERDICTS: readonly Verdict[] = ['leak', 'growing', 'sawtooth', 'plateau', 'shrinking', 'stable', 'noise'];

/**
 * Sampling keeps about one allocation per `period` bytes, so a site holding B bytes is known to
 * about ±√(period·B): the noise floor is this many of those (and at least one period).
 */
export const NOISE_SIGMAS = 3;
/** A leak is steady: a straight line explains at least this share of the series' variance… */
export const LEAK_MIN_R2 = 0.9;
/** …and the series fell in at most this share of the intervals. */
export const LEAK_MAX_FELL = 0.25;
/** A sawtooth rises and falls back (or falls and rises back) by more than the noise floor and this share of its range. */
export const SAWTOOTH_SWING = 0.3;
/** A plateau's second half (by time) grows at most at this fraction of the whole window's slope. */
export const PLATEAU_TAIL_RATIO = 0.25;
/**
 * Growing and sawtooth need rises in at least this many intervals: one jump (say, requests in
 * flight when a snapshot's GC ran) is a transient until a later snapshot confirms it.
 */
export const MIN_RISES = 2;

export interface LineFit {
  /** Least-squares slope, in the series' unit per time unit. */
  readonly slope: number;
  /** Share of the variance the line explains; 0 for a flat series (there is no trend to explain). */
  readonly r2: number;
}

export interface SeriesStats extends LineFit {
  /** Last − first. */
  readonly net: number;
  /** Intervals in which the value rose, and fell, of the n − 1. */
  readonly rose: number;
  readonly fell: number;
  /** Changes within this are sampling noise, in the series' unit. */
  readonly noiseFloor: number;
  readonly verdict: Verdict;
}

/** Ordinary least squares on centred values (times stay small, so nothing cancels badly). */
export function fitLine(times: readonly number[], values: readonly number[]): LineFit {
  const n = values.length;
  let meanT = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanT += times[i]! / n;
    meanY += values[i]! / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dt = times[i]! - meanT;
    const dy = values[i]! - meanY;
    sxy += dt * dy;
    sxx += dt * dt;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const r2 = sxx > 0 && syy > 0 ? (sxy * sxy) / (sxx * syy) : 0;
  return { slope, r2 };
}

export function noiseFloor(period: number, peak: number): number {
  return Math.max(period, NOISE_SIGMAS * Math.sqrt(period * peak));
}

/**
 * Statistics and verdict of one series (≥ 3 points, times strictly increasing). `period` is the
 * sampling period in the series' unit (0 when unknown: then every change counts).
 */
export function analyzeSeries(times: readonly number[], values: readonly number[], period: number): SeriesStats {
  const n = values.length;
  const fit = fitLine(times, values);
  let rose = 0;
  let fell = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
    if (i > 0 && values[i]! > values[i - 1]!) rose++;
    if (i > 0 && values[i]! < values[i - 1]!) fell++;
  }
  const net = values[n - 1]! - values[0]!;
  const peak = Math.max(Math.abs(min), Math.abs(max));
  const floor = noiseFloor(period, peak);
  const verdict = classify({ times, values, fit, net, rose, fell, floor, range: max - min, peak });
  return { ...fit, net, rose, fell, noiseFloor: floor, verdict };
}

interface Shape {
  readonly times: readonly number[];
  readonly values: readonly number[];
  readonly fit: LineFit;
  readonly net: number;
  readonly rose: number;
  readonly fell: number;
  readonly floor: number;
  readonly range: number;
  readonly peak: number;
}

/** The rules, first match wins; the README's table lists them in this order. */
function classify(s: Shape): Verdict {
  const intervals = s.values.length - 1;
  if (s.peak <= s.floor) return 'noise';
  if (s.range <= s.floor) return 'stable';
  const confirmed = s.rose >= MIN_RISES;
  if (confirmed && swingsBothWays(s.values, Math.max(s.floor, SAWTOOTH_SWING * s.range))) return 'sawtooth';
  const grew = s.net > s.floor;
  if (grew && s.fit.slope > 0 && secondHalfSlope(s.times, s.values) <= PLATEAU_TAIL_RATIO * s.fit.slope) return 'plateau';
  if (grew && s.fit.r2 >= LEAK_MIN_R2 && s.fell <= LEAK_MAX_FELL * intervals) return 'leak';
  if (grew && confirmed) return 'growing';
  if (s.net < -s.floor) return 'shrinking';
  return 'noise';
}

/** It rose by more than `swing` from an earlier low, and fell by more than `swing` from an earlier high. */
function swingsBothWays(values: readonly number[], swing: number): boolean {
  let low = values[0]!;
  let high = values[0]!;
  let rise = 0;
  let fall = 0;
  for (const v of values) {
    rise = Math.max(rise, v - low);
    fall = Math.max(fall, high - v);
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  return rise > swing && fall > swing;
}

/** Slope over the points in the second half of the time window (at least the last two). */
function secondHalfSlope(times: readonly number[], values: readonly number[]): number {
  const n = times.length;
  const middle = (times[0]! + times[n - 1]!) / 2;
  let from = n - 2;
  while (from > 0 && times[from - 1]! >= middle) from--;
  return fitLine(times.slice(from), values.slice(from)).slope;
}

/** The least-squares slope's own standard error, √(Σe²/(n−2) / Σ(t−t̄)²); 0 for a perfect fit or n < 3. */
export function fitSlopeError(times: readonly number[], values: readonly number[], slope: number): number {
  const n = times.length;
  if (n < 3) return 0;
  const tMean = times.reduce((a, b) => a + b, 0) / n;
  const yMean = values.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sse = 0;
  for (let k = 0; k < n; k++) sxx += (times[k]! - tMean) ** 2;
  for (let k = 0; k < n; k++) sse += (values[k]! - (yMean + slope * (times[k]! - tMean))) ** 2;
  return sxx > 0 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
}

/**
 * Var(least-squares slope) ÷ Var(last − first) when the series' noise accumulates as a steady
 * leak's does in one process: a sampled object stays sampled, so the noise is a random walk
 * whose variance grows with the time since the first snapshot, Cov(W_j, W_k) = σ²·min(τ_j, τ_k)
 * with σ² = Var(last − first)/T. Then Var(slope) = Σ_j Σ_k c_j c_k σ² min(τ_j, τ_k), c_k the
 * least-squares weights (t_k − t̄)/Σ(t − t̄)². Equals 1/T² for three evenly spaced snapshots
 * (the middle one has weight 0) and tends to 1.2/T² for many.
 */
export function randomWalkSlopeFactor(times: readonly number[]): number {
  const n = times.length;
  const span = times[n - 1]! - times[0]!;
  if (n < 2 || !(span > 0)) return 0;
  const mean = times.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  for (const t of times) sxx += (t - mean) ** 2;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      const cj = (times[j]! - mean) / sxx;
      const ck = (times[k]! - mean) / sxx;
      sum += cj * ck * (Math.min(times[j]!, times[k]!) - times[0]!);
    }
  }
  return sum / span;
}
