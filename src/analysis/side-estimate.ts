/**
 * One site of one side that is a set of profiles, from its running sums: the per-profile mean, the
 * spread between profiles, and how well the mean is known. Pure, so that sums that came from
 * anywhere (this process's accumulator, a database's GROUP BY) finish the same way.
 */
export interface SideEstimate {
  /** Profiles on the side (a profile without the site counted as 0). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation between profiles (n − 1 in the denominator); 0 when n < 2. */
  readonly sd: number;
  /** Variance of the mean, s²/n: what a test of the mean's difference needs. NaN when n < 2. */
  readonly variance: number;
  /** Degrees of freedom of that variance, n − 1 (0 when n < 2: unknown from the spread). */
  readonly df: number;
}

/**
 * `n` profiles, Σx and Σx² of one site's value over them. Σx² − (Σx)²/n cancels badly when the
 * values are large and equal: a residue within the rounding error of Σx² is taken as no spread at
 * all, so exact counts that agree in every profile keep an exact (zero) spread.
 */
export function sideEstimate(n: number, sum: number, sumSquares: number): SideEstimate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`profile count must be a whole number ≥ 0, not ${n}`);
  if (n === 0) return { n, mean: 0, sd: 0, variance: NaN, df: 0 };
  const mean = sum / n;
  if (n === 1) return { n, mean, sd: 0, variance: NaN, df: 0 };
  const squares = sumSquares - (sum * sum) / n;
  const rounding = 4 * n * Number.EPSILON * Math.abs(sumSquares);
  const s2 = squares <= rounding ? 0 : squares / (n - 1);
  return { n, mean, sd: Math.sqrt(s2), variance: s2 / n, df: n - 1 };
}
