import { gammaQuantile } from './gamma.js';

/**
 * Garwood's exact (central) confidence interval for a Poisson mean, given `count` observed events:
 * [½χ²(α/2; 2k), ½χ²(1−α/2; 2k+2)] with α = 1 − confidence (Garwood 1936; Gehrels 1986, ApJ 303,
 * 336). Conservative: it covers at least `confidence` for every mean, where the normal
 * approximation covers only ~63 % at one expected event.
 */
export function poissonInterval(count: number, confidence = 0.95): { lower: number; upper: number } {
  checkCount(count);
  checkConfidence(confidence);
  const alpha = 1 - confidence;
  return {
    lower: count === 0 ? 0 : gammaQuantile(count, alpha / 2),
    upper: gammaQuantile(count + 1, 1 - alpha / 2),
  };
}

/**
 * The one-sided upper bound on a Poisson mean after `count` events: ½χ²(confidence; 2k+2).
 * With no events at 95 % it is ln 20 ≈ 3.0: a site absent from a profile sampled every R bytes
 * may still hold about 3R.
 */
export function poissonUpperBound(count: number, confidence = 0.95): number {
  checkCount(count);
  checkConfidence(confidence);
  return gammaQuantile(count + 1, confidence);
}

function checkCount(count: number): void {
  if (!(count >= 0) || !Number.isFinite(count)) throw new RangeError(`a Poisson count must be a finite number ≥ 0, not ${count}`);
}

export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (exclusive), not ${confidence}`);
}
