import { asDiffIfMarked, isDiff, resolveDiffSampleType, type ProfileOrDiff } from '../analysis/diff.js';
import { pickFilters, type SampleFilters } from '../analysis/filters.js';
import { RoutineIds } from '../analysis/routine-ids.js';
import { routineSides, type RoutineSides } from '../analysis/routine-sums.js';
import { SMALL_COUNT } from '../analysis/sampling.js';
import { sampledChange, type SampledSide } from '../analysis/site-change.js';
import { SiteTable } from '../analysis/sites.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import type { SetDiff } from '../analysis/profile-set.js';
import type { SideSums } from '../analysis/side-sums.js';
import type { DifferenceTest } from '../stats/difference.js';
import { setSiteTest, shownError, type SetTestInput } from './set-tests.js';
import { discoveries } from './significance.js';

/** The error bar and verdict of one routine's header (its flat and cum), as a line has them. */
export interface RoutineError {
  readonly flatError: number | null;
  readonly cumError: number | null;
  readonly pValue: number | null;
  readonly significant: boolean | null;
}

/** Every routine's header error, by `name\0file`, and how many routines the verdicts were corrected over. */
export interface RoutineErrors {
  /** Changed routines of the profile after filters (Benjamini–Hochberg family); null for one profile. */
  readonly tested: number | null;
  of(name: string, file: string): RoutineError;
}

export interface RoutineErrorOptions extends SampleFilters {
  readonly sampleIndex?: SampleTypeSelector;
  readonly confidence: number;
  readonly sameProcess: boolean;
}

const UNKNOWN: RoutineError = { flatError: null, cumError: null, pValue: null, significant: null };

/**
 * The header of every routine of a profile (or diff), from its samples (see routine-sums.ts), with
 * the verdict tested as a line's is: flat's change (cum's where flat's is 0), Benjamini–Hochberg
 * across every changed routine of the profile after filters, so narrowing the regex changes no
 * verdict.
 */
export function routineErrors(input: ProfileOrDiff, options: RoutineErrorOptions): RoutineErrors {
  const diff = asDiffIfMarked(input);
  const filters: SampleFilters = pickFilters(options);
  const sites = new SiteTable('lines');
  const sides = isDiff(diff)
    ? (() => {
        const types = resolveDiffSampleType(diff, options.sampleIndex);
        return [
          { profile: diff.base, typeIndex: types.base },
          { profile: diff.current, typeIndex: types.current },
        ];
      })()
    : [{ profile: diff, typeIndex: resolveSampleType(diff, options.sampleIndex) }];
  // Every line site of both profiles first, so both map onto the same routines.
  for (const side of sides) sites.siteOfFrames(side.profile);
  const ids = new RoutineIds();
  const routineOf = ids.of(sites);
  const sums = sides.map((side) => routineSides(side.profile, side.typeIndex, sites, routineOf, ids.size, filters));
  const known = sums.every((s) => s.model !== 'unknown');
  const out: RoutineError[] = [];
  if (sums.length === 1) {
    const one = sums[0]!;
    for (let r = 0; r < ids.size; r++) {
      out.push(known ? { flatError: valueError(one.flat[r]!), cumError: valueError(one.cum[r]!), pValue: null, significant: null } : UNKNOWN);
    }
    return { tested: null, of: (name, file) => out[ids.idOf(name, file)] ?? UNKNOWN };
  }
  const [base, current] = sums as [RoutineSides, RoutineSides];
  const test = (r: number, key: 'flat' | 'cum'): DifferenceTest | null =>
    known ? sampledChange(base[key][r]!, current[key][r]!, { confidence: options.confidence, sameProcess: options.sameProcess }) : null;
  const change = (r: number, key: 'flat' | 'cum') => current[key][r]!.value - base[key][r]!.value;
  return correctedHeaders(ids, change, test, (t) => t.standardError, options.confidence);
}

/**
 * Every routine's header error over sets of profiles aggregated by lines (SetDiff.routines), each
 * header's change tested as `topOfSets` tests a row (Welch on the per-profile totals, per pair
 * with `paired`, a side of one profile by its sampling), corrected across every changed routine;
 * errors scaled by t/z as the rows' are. Null when the sets were not aggregated by lines.
 */
export function routineErrorsOfSets(set: Pick<SetDiff, 'routines'>, confidence: number): RoutineErrors | null {
  const routines = set.routines;
  if (routines === null) return null;
  const input: SetTestInput = {
    baseSums: routines.base,
    currentSums: routines.current,
    pairSums: routines.pairs,
    baseSampling: routines.baseSampling,
    currentSampling: routines.currentSampling,
  };
  const mean = (sums: SideSums, r: number, key: 'flat' | 'cum') => (sums[key].sum[r] ?? 0) / sums.n;
  const change = (r: number, key: 'flat' | 'cum') => mean(routines.current, r, key) - mean(routines.base, r, key);
  // Shown as the rows of sets are: a t interval's half-width over z.
  return correctedHeaders(routines.ids, change, (r, key) => setSiteTest(input, r, key, confidence), (t) => shownError(t, confidence)!, confidence);
}

/**
 * The headers' errors and verdicts from each routine's change and test: the verdict is flat's
 * (cum's where flat did not change), Benjamini–Hochberg across every changed routine.
 */
function correctedHeaders(
  ids: RoutineIds,
  change: (r: number, key: 'flat' | 'cum') => number,
  test: (r: number, key: 'flat' | 'cum') => DifferenceTest | null,
  errorOf: (test: DifferenceTest) => number,
  confidence: number,
): RoutineErrors {
  const changed: number[] = [];
  const pValues: (number | null)[] = [];
  const tests: { flat: DifferenceTest | null; cum: DifferenceTest | null }[] = [];
  for (let r = 0; r < ids.size; r++) {
    const flat = change(r, 'flat');
    const cum = change(r, 'cum');
    const pair = { flat: test(r, 'flat'), cum: test(r, 'cum') };
    tests.push(pair);
    if (flat === 0 && cum === 0) continue;
    changed.push(r);
    pValues.push((flat !== 0 ? pair.flat : pair.cum)?.pValue ?? null);
  }
  const verdicts = discoveries(pValues, confidence);
  const testedAt = new Map(changed.map((r, i) => [r, i]));
  const out: RoutineError[] = [];
  for (let r = 0; r < ids.size; r++) {
    const { flat, cum } = tests[r]!;
    const at = testedAt.get(r);
    out.push({
      flatError: flat ? errorOf(flat) : null,
      cumError: cum ? errorOf(cum) : null,
      pValue: at === undefined ? null : pValues[at]!,
      significant: at === undefined ? null : verdicts[at]!,
    });
  }
  return { tested: changed.length, of: (name, file) => out[ids.idOf(name, file)] ?? UNKNOWN };
}

/** One profile's value error with the small-count correction, as `top`'s (significance.ts valueError). */
function valueError(side: SampledSide): number {
  if (!(side.rawCount > 0)) return Math.sqrt(side.variance);
  const u = side.variance / side.rawCount;
  return Math.sqrt(side.variance + (u * SMALL_COUNT) / (SMALL_COUNT + side.rawCount));
}
