import { testDifference, zStatistic, type DifferenceTest } from '../stats/difference.js';
import { SMALL_COUNT, correctedVariance, type SampledValue } from './sampling.js';

/** One side of a site for a test: its sampled value and, for `--same-process`, its alloc_* value. */
export interface SampledSide extends SampledValue {
  /** The cumulative alloc_* value of the same site (of an alloc_* type, the value itself), else null. */
  readonly alloc: number | null;
}

export interface ChangeOptions {
  /** Two-sided confidence of the interval (default 0.95). */
  readonly confidence?: number;
  /**
   * The two profiles are snapshots of ONE process: surviving sampled objects are in both and add
   * no variance, so Var(Δinuse) ≤ ρ·(B_new + B_freed) = ρ·(2·Δalloc − Δinuse), ρ the site's
   * variance per byte (≤ R, = R for small objects). Never below the independent variance's use
   * as a cap: the bound is min(V_base + V_current, ρ·(2·Δalloc − Δinuse)). For an alloc_* type
   * (alloc is the value) that is ρ·Δalloc: only the allocations between the snapshots were sampled
   * anew. Needs alloc_* values that did not decrease (else these are not one process); without
   * them the independent (larger) variance is used.
   */
  readonly sameProcess?: boolean;
}

/**
 * The change of one site, current − base, with its sampling standard error, p-value and interval
 * half-width. Independent profiles (the default): Var(Δ) = V_base + V_current with the small-count
 * correction of `correctedVariances`.
 */
export function sampledChange(base: SampledSide, current: SampledSide, options: ChangeOptions = {}): DifferenceTest {
  const confidence = options.confidence ?? 0.95;
  // Both variances come from the sampling model (df ∞), so the test reads only their sum.
  const variance = changeVariance(base, current, options.sameProcess ?? false);
  return testDifference({ value: base.value, variance: 0, df: Infinity }, { value: current.value, variance, df: Infinity }, confidence);
}

/**
 * `sampledChange`'s statistic alone (its p-value is normalTwoSidedP of it), with no objects made:
 * Benjamini–Hochberg ranks every changed site (thousands), the whole test is needed only for
 * the rows shown.
 */
export function sampledStatistic(base: SampledSide, current: SampledSide, sameProcess: boolean): number {
  const change = current.value - base.value;
  const variance = changeVariance(base, current, sameProcess);
  // testDifference's checks (and error) for inputs that are not numbers of a profile.
  if (!Number.isFinite(change) || !Number.isFinite(variance) || !(variance >= 0)) return sampledChange(base, current, { sameProcess }).statistic;
  return zStatistic(change, variance);
}

/** Var(current − base) of a site's two sides: the one-process bound when asked for and usable, else the independent sum. */
function changeVariance(base: SampledSide, current: SampledSide, sameProcess: boolean): number {
  if (sameProcess && base.alloc !== null && current.alloc !== null) {
    const variance = sameProcessVariance(base, current);
    if (variance !== null) return variance;
  }
  return correctedVariance(base, current);
}

function sameProcessVariance(base: SampledSide, current: SampledSide): number | null {
  const bytes = Math.abs(base.value) + Math.abs(current.value);
  const k = base.rawCount + current.rawCount;
  const independent = base.variance + current.variance;
  if (!(bytes > 0) || !(k > 0)) return null;
  // A cumulative counter that went down: not two snapshots of one process, whatever was said.
  if (current.alloc! < base.alloc!) return null;
  const perUnit = independent / bytes;
  const churn = Math.max(0, 2 * (current.alloc! - base.alloc!) - (current.value - base.value));
  const bound = Math.min(independent, perUnit * churn);
  // The same small-count correction, counted in the raw samples that moved (new + freed).
  const moved = Math.min(k, (churn / bytes) * k);
  const u = independent / k;
  return bound + (2 * u * SMALL_COUNT) / (SMALL_COUNT + moved);
}
