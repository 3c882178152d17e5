import { logGamma } from './gamma.js';
import { normalCdf, normalQuantile, normalTwoSidedP } from './normal.js';

/**
 * Student's t distribution, for Welch's test. df = Infinity is the normal distribution; any
 * finite df > 0 (Welch–Satterthwaite gives fractional ones) is accepted.
 */

/** I_x(a, b), the regularized incomplete beta function (Numerical Recipes' continued fraction). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/**
 * Beyond this many degrees of freedom the t distribution is the normal one to within ~1/df (1e-7),
 * while the incomplete beta's log-gamma terms (each ~ (df/2)·ln(df/2)) cancel to garbage: at df 1e15
 * (a Welch df where one side's variance is all sampling, df ∞) it returned p = −13.
 */
const NORMAL_DF = 1e7;

/** P(|T| ≥ |t|) for T ~ Student t with `df` degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df > NORMAL_DF) return normalTwoSidedP(t);
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, regularizedBeta(df / (df + t * t), df / 2, 0.5));
}

/** P(T ≤ t) for T ~ Student t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (df === Infinity) return normalCdf(t);
  const tail = studentTTwoSidedP(t, df) / 2;
  return t < 0 ? tail : 1 - tail;
}

/** The t with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  if (df === Infinity) return normalQuantile(p);
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const tail = upper ? 1 - p : p; // one-sided tail mass beyond |t|
  // Bisection on |t| over the two-sided p (monotone), bracketed by doubling.
  let lo = 0;
  let hi = Math.max(1, Math.abs(normalQuantile(tail)));
  while (studentTTwoSidedP(hi, df) > 2 * tail) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSidedP(mid, df) > 2 * tail) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  return upper ? t : -t;
}
