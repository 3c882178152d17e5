import type { SiteErrors } from '../analysis/aggregate.js';
import type { SetDiff } from '../analysis/profile-set.js';
import { SMALL_COUNT } from '../analysis/sampling.js';
import { sampledChange } from '../analysis/site-change.js';
import { criticalValue, testChange, withInterval, type ChangeTest, type DifferenceTest, type Estimate } from '../stats/difference.js';

export type ValueKey = 'flat' | 'cum';

/** What the tests read of a set comparison: per-site sums, and sampling errors of a one-profile side. */
export type SetTestInput = Pick<SetDiff, 'baseSums' | 'currentSums' | 'pairSums' | 'baseSampling' | 'currentSampling'>;

/**
 * The change of site `s` between two sets of profiles, current − base, tested:
 * - paired (n ≥ 2 pairs): the mean of the per-pair differences against 0, Student's t with n − 1 df;
 * - each side of n ≥ 2 profiles: Welch's t on the means, variance s²/n and n − 1 df per side (the
 *   spread between profiles already holds their sampling noise);
 * - a side of one profile: its sampling model (variance from the profile, df ∞) instead.
 * Sides with no spread at all (exact counts, equal everywhere) give an exact difference (p 0 or 1).
 * Null when a one-profile side's sampling cannot be modelled.
 */
export function setSiteTest(set: SetTestInput, s: number, key: ValueKey, confidence: number): DifferenceTest | null {
  const test = setSiteChange(set, s, key, confidence);
  return test === null || 'halfWidth' in test ? test : withInterval(test, confidence);
}

/**
 * setSiteTest without the interval where it is costly (a t test): a report ranks every site but
 * shows the intervals of a few (withInterval adds one, the same bit for bit).
 */
export function setSiteChange(set: SetTestInput, s: number, key: ValueKey, confidence: number): ChangeTest | DifferenceTest | null {
  const pairs = set.pairSums;
  if (pairs !== null && pairs.n >= 2) {
    const d = pairs[key].estimate(s, pairs.n);
    return testChange({ value: 0, variance: 0, df: Infinity }, { value: d.mean, variance: d.variance, df: d.df });
  }
  if (set.baseSums.n === 1 && set.currentSums.n === 1) {
    // One profile a side: the report of two profiles, pooled small-count correction included.
    if (!modelled(set.baseSampling) || !modelled(set.currentSampling)) return null;
    return sampledChange(sampled(set.baseSampling, s, key), sampled(set.currentSampling, s, key), { confidence });
  }
  const base = estimateOf(set.baseSums, set.baseSampling, s, key);
  const current = estimateOf(set.currentSums, set.currentSampling, s, key);
  return base && current && testChange(base, current);
}

/**
 * The error a report shows is 1σ of the change for a z test; for a t test (a side of a few
 * profiles) it is scaled by t/z so that the usual ± (z × error) is the t interval's half-width.
 */
export function shownError(test: ChangeTest | DifferenceTest | null, confidence: number): number | null {
  if (test === null) return null;
  return test.standardError === 0 ? 0 : ('halfWidth' in test ? test : withInterval(test, confidence)).halfWidth / criticalValue(confidence);
}

function estimateOf(sums: SetTestInput['baseSums'], sampling: SiteErrors | null, s: number, key: ValueKey): Estimate | null {
  if (sums.n >= 2) {
    const e = sums[key].estimate(s, sums.n);
    return { value: e.mean, variance: e.variance, df: e.df };
  }
  if (!modelled(sampling)) return null;
  const side = sampled(sampling, s, key);
  // A profile's own variance is too optimistic with few raw samples: add one raw sample's
  // variance, fading as samples accumulate (the correction of analysis/sampling.ts).
  const k = side.rawCount;
  const variance = k > 0 ? side.variance + ((side.variance / k) * SMALL_COUNT) / (SMALL_COUNT + k) : side.variance;
  return { value: side.value, variance, df: Infinity };
}

function modelled(sampling: SiteErrors | null): sampling is SiteErrors {
  return sampling !== null && sampling.model !== 'unknown';
}

function sampled(e: SiteErrors, s: number, key: ValueKey) {
  return {
    value: e[key][s] ?? 0,
    variance: (key === 'flat' ? e.flatVariance : e.cumVariance)?.[s] ?? 0,
    rawCount: (key === 'flat' ? e.flatCount : e.cumCount)?.[s] ?? 0,
    alloc: null,
  };
}
