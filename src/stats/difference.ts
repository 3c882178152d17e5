import { normalQuantile, normalTwoSidedP } from './normal.js';
import { checkConfidence } from './poisson.js';
import { studentTQuantile, studentTTwoSidedP } from './student-t.js';

/**
 * An estimate and how uncertain it is.
 * - `value`: the estimate (e.g. a site's bytes, or the mean of a site over n profiles).
 * - `variance`: the variance OF THE ESTIMATE, not of the data: for a mean of n profiles with
 *   sample standard deviation s that is s²/n; for a sampled profile it is the sampling variance.
 * - `df`: degrees of freedom of `variance`. `Infinity` when the variance is known from a model
 *   (the sampling model of one profile: a z test); n − 1 when it is a sample variance of n
 *   observations (a t test). Must be > 0.
 */
export interface Estimate {
  readonly value: number;
  readonly variance: number;
  readonly df: number;
}

/** testDifference's answer: the change current − base, its standard error and the test of "no change". */
export interface DifferenceTest {
  /** current.value − base.value. */
  readonly change: number;
  /** √(base.variance + current.variance): 1σ of `change`. */
  readonly standardError: number;
  /**
   * Degrees of freedom of the combined variance: Welch–Satterthwaite,
   * (v_b + v_c)² / (v_b²/df_b + v_c²/df_c), where a known variance (df ∞) adds nothing to the
   * denominator; Infinity when both are known (then the test is a z test).
   */
  readonly df: number;
  /** change / standardError: z, or Welch's t (±Infinity for a change with no error; 0 for none). */
  readonly statistic: number;
  /** Two-sided p-value of "no change": P(|T| ≥ |statistic|). 1 when change is 0, 0 when only the error is. */
  readonly pValue: number;
  /** Half-width of the two-sided interval at `confidence`: change ± halfWidth covers the truth. */
  readonly halfWidth: number;
  readonly confidence: number;
}

/**
 * Two-sided test of the difference of two INDEPENDENT estimates, current − base. With both
 * variances known (df ∞) it is a z test; with sample variances it is Welch's unequal-variance
 * t test; a mix (one side a model variance, the other a sample variance) is Welch with the
 * known side's term contributing no degrees-of-freedom uncertainty.
 *
 * Fleet sides (n profiles per side, one value per profile, absent = 0):
 *   testDifference({ value: meanB, variance: sdB ** 2 / nB, df: nB - 1 }, { value: meanC, variance: sdC ** 2 / nC, df: nC - 1 })
 * One profile per side (the sampling model, from src/analysis/sampling.ts):
 *   testDifference({ value: b, variance: varB, df: Infinity }, { value: c, variance: varC, df: Infinity })
 *
 * Not for paired or correlated data: test the mean of the differences instead (an Estimate of
 * its own against { value: 0, variance: 0, df: Infinity }).
 */
export function testDifference(base: Estimate, current: Estimate, confidence = 0.95): DifferenceTest {
  return withInterval(testChange(base, current), confidence);
}

/** testDifference's test without its interval. */
export type ChangeTest = Omit<DifferenceTest, 'halfWidth' | 'confidence'>;

/**
 * testDifference without the interval: the t quantile of a fractional df costs some fifty t
 * distribution evaluations, and a report tests thousands of sites but shows a few intervals.
 */
export function testChange(base: Estimate, current: Estimate): ChangeTest {
  checkEstimate(base, 'base');
  checkEstimate(current, 'current');
  const change = current.value - base.value;
  const variance = base.variance + current.variance;
  const standardError = Math.sqrt(variance);
  if (variance === 0) {
    return { change, standardError: 0, df: Infinity, statistic: change === 0 ? 0 : Math.sign(change) * Infinity, pValue: change === 0 ? 1 : 0 };
  }
  const df = welchDf(base, current, variance);
  const statistic = change / standardError;
  const pValue = df === Infinity ? normalTwoSidedP(statistic) : studentTTwoSidedP(statistic, df);
  return { change, standardError, df, statistic, pValue };
}

/**
 * testChange's statistic for a change whose variance is known (df ∞: a z test), unchecked and
 * with no objects: ±Infinity for a change with no error, 0 for none. Its p-value is
 * normalTwoSidedP(statistic), as testChange's. For reports that rank thousands of sites but
 * show the whole test of a few.
 */
export function zStatistic(change: number, variance: number): number {
  if (variance === 0) return change === 0 ? 0 : Math.sign(change) * Infinity;
  return change / Math.sqrt(variance);
}

/** A test of testChange with its two-sided interval at `confidence`, as testDifference gives it. */
export function withInterval(test: ChangeTest, confidence: number): DifferenceTest {
  checkConfidence(confidence);
  // √variance is 0 only for variance 0: no error, no interval.
  const halfWidth = test.standardError === 0 ? 0 : criticalValue(confidence, test.df) * test.standardError;
  return { ...test, halfWidth, confidence };
}

/** Welch–Satterthwaite degrees of freedom of v_b + v_c (terms with df ∞ or variance 0 add no uncertainty). */
export function welchDf(base: Estimate, current: Estimate, variance = base.variance + current.variance): number {
  const term = (e: Estimate) => (e.df === Infinity || e.variance === 0 ? 0 : (e.variance * e.variance) / e.df);
  const denominator = term(base) + term(current);
  return denominator === 0 ? Infinity : (variance * variance) / denominator;
}

/** The two-sided critical value at `confidence` for `df` degrees of freedom (1.96 for 95 %, df ∞). */
export function criticalValue(confidence: number, df = Infinity): number {
  checkConfidence(confidence);
  const p = 1 - (1 - confidence) / 2;
  if (df !== Infinity) return studentTQuantile(p, df);
  // Reports test thousands of sites at one confidence: compute its z once.
  let z = NORMAL_CRITICAL.get(confidence);
  if (z === undefined) {
    z = normalQuantile(p);
    if (NORMAL_CRITICAL.size < 16) NORMAL_CRITICAL.set(confidence, z);
  }
  return z;
}

const NORMAL_CRITICAL = new Map<number, number>();

function checkEstimate(e: Estimate, which: string): void {
  if (!Number.isFinite(e.value)) throw new RangeError(`the ${which} estimate's value must be finite, not ${e.value}`);
  if (!(e.variance >= 0) || !Number.isFinite(e.variance)) throw new RangeError(`the ${which} estimate's variance must be finite and ≥ 0, not ${e.variance}`);
  if (!(e.df > 0)) throw new RangeError(`the ${which} estimate's degrees of freedom must be > 0 (Infinity for a known variance), not ${e.df}`);
}
