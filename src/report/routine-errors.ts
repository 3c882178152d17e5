import { asDiffIfMarked, isDiff, resolveDiffSampleType, type ProfileOrDiff } from '../analysis/diff.js';
import { pickFilters, type SampleFilters } from '../analysis/filters.js';
import { routineSides, type RoutineSides } from '../analysis/routine-sums.js';
import { SMALL_COUNT } from '../analysis/sampling.js';
import { sampledChange, type SampledSide } from '../analysis/site-change.js';
import { SiteTable } from '../analysis/sites.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import type { DifferenceTest } from '../stats/difference.js';
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
  const ids = new Map<string, number>();
  const routineOf = new Int32Array(sites.size);
  for (let s = 0; s < sites.size; s++) {
    const key = `${sites.names[s]}\0${sites.files[s]}`;
    let r = ids.get(key);
    if (r === undefined) ids.set(key, (r = ids.size));
    routineOf[s] = r;
  }
  const sums = sides.map((side) => routineSides(side.profile, side.typeIndex, sites, routineOf, ids.size, filters));
  const known = sums.every((s) => s.model !== 'unknown');
  const out: RoutineError[] = [];
  if (sums.length === 1) {
    const one = sums[0]!;
    for (let r = 0; r < ids.size; r++) {
      out.push(known ? { flatError: valueError(one.flat[r]!), cumError: valueError(one.cum[r]!), pValue: null, significant: null } : UNKNOWN);
    }
    return { tested: null, of: (name, file) => out[ids.get(`${name}\0${file}`) ?? -1] ?? UNKNOWN };
  }
  const [base, current] = sums as [RoutineSides, RoutineSides];
  const test = (r: number, key: 'flat' | 'cum'): DifferenceTest | null =>
    known ? sampledChange(base[key][r]!, current[key][r]!, { confidence: options.confidence, sameProcess: options.sameProcess }) : null;
  const changed: number[] = [];
  const pValues: (number | null)[] = [];
  const tests: { flat: DifferenceTest | null; cum: DifferenceTest | null }[] = [];
  for (let r = 0; r < ids.size; r++) {
    const flat = current.flat[r]!.value - base.flat[r]!.value;
    const cum = current.cum[r]!.value - base.cum[r]!.value;
    const pair = { flat: test(r, 'flat'), cum: test(r, 'cum') };
    tests.push(pair);
    if (flat === 0 && cum === 0) continue;
    changed.push(r);
    pValues.push((flat !== 0 ? pair.flat : pair.cum)?.pValue ?? null);
  }
  const verdicts = discoveries(pValues, options.confidence);
  const testedAt = new Map(changed.map((r, i) => [r, i]));
  for (let r = 0; r < ids.size; r++) {
    const { flat, cum } = tests[r]!;
    const at = testedAt.get(r);
    out.push({
      flatError: flat ? flat.standardError : null,
      cumError: cum ? cum.standardError : null,
      pValue: at === undefined ? null : pValues[at]!,
      significant: at === undefined ? null : verdicts[at]!,
    });
  }
  return { tested: changed.length, of: (name, file) => out[ids.get(`${name}\0${file}`) ?? -1] ?? UNKNOWN };
}

/** One profile's value error with the small-count correction, as `top`'s (significance.ts valueError). */
function valueError(side: SampledSide): number {
  if (!(side.rawCount > 0)) return Math.sqrt(side.variance);
  const u = side.variance / side.rawCount;
  return Math.sqrt(side.variance + (u * SMALL_COUNT) / (SMALL_COUNT + side.rawCount));
}
