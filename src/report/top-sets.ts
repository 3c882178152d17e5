import { aggregateSets, type SetDiff, type SetOptions, type SetSummary } from '../analysis/profile-set.js';
import type { SideSums } from '../analysis/side-sums.js';
import type { Profile } from '../model/profile.js';
import { ProfileError } from '../model/errors.js';
import { checkOptions, isBoolean, type OptionRule } from '../model/options.js';
import { testDifference, type ChangeTest, type DifferenceTest } from '../stats/difference.js';
import { evaluateGateOptions } from './gates.js';
import { leaders, smallest } from './select.js';
import { DEFAULT_CONFIDENCE, checkConfidenceOption, discoveries } from './significance.js';
import { setSiteChange, shownError } from './set-tests.js';
import { attributionHintOfSets } from './attribution.js';
import { byCum, byFlat, siteRow, statusOf, TOP_OPTIONS, type AttributionHint, type FlatCum, type SideSummary, type TopOptions, type TopReport, type TopRow, type TotalChange } from './top.js';

/** `top`'s options but `sameProcess` (a set's spread is its error; `paired` is the same-processes case). */
export interface SetTopOptions extends Omit<TopOptions, 'sameProcess'> {
  /** Profile i of each side is the same process before and after: test the per-pair differences. */
  readonly paired?: boolean;
}

/** What shapes the report of sets already aggregated. */
export type SetReportOptions = Pick<TopOptions, 'sort' | 'nodeCount' | 'failOn' | 'warnOn' | 'confidence'>;

const { sameProcess: _oneProcess, ...SET_TOP_RULES } = TOP_OPTIONS;
/** A rule per option: a new option does not type-check until it has one. */
const SET_TOP_OPTIONS = { ...SET_TOP_RULES, paired: isBoolean } satisfies Record<keyof SetTopOptions, OptionRule>;
const SET_REPORT_OPTIONS = {
  sort: TOP_OPTIONS.sort,
  nodeCount: TOP_OPTIONS.nodeCount,
  failOn: TOP_OPTIONS.failOn,
  warnOn: TOP_OPTIONS.warnOn,
  confidence: TOP_OPTIONS.confidence,
} satisfies Record<keyof SetReportOptions, OptionRule>;

/** Throws unless `set` is a SetDiff, naming the function that was given something else. */
export function checkSetDiff(set: unknown, fn: string): asserts set is SetDiff {
  if (set === null || typeof set !== 'object' || (set as { kind?: unknown }).kind !== 'sets') {
    throw new ProfileError('invalid option', `${fn} takes sets aggregated by aggregateSets or SetDiffBuilder.finish(), not ${Array.isArray(set) ? 'an array' : set === null ? 'null' : typeof set}`);
  }
}

/**
 * `top` for two sides that are sets of profiles (pods of a fleet, repeated CI runs): each row's
 * base and current are per-profile means (a profile without the site counts as 0), with n and
 * the spread between profiles; flat and cum are the difference of the means.
 */
export function diffSets(base: readonly Profile[], current: readonly Profile[], options: SetTopOptions = {}): TopReport {
  checkOptions(options, SET_TOP_OPTIONS);
  return topOfSets(aggregateSets(base, current, setOptions(options)), reportOptions(options));
}

/** The aggregation options within `top`'s (the rest shape the rows, not the sums). */
export function setOptions(options: SetTopOptions): SetOptions {
  return {
    ...(options.sampleIndex !== undefined ? { sampleIndex: options.sampleIndex } : {}),
    ...(options.granularity !== undefined ? { granularity: options.granularity } : {}),
    ...(options.focus !== undefined ? { focus: options.focus } : {}),
    ...(options.ignore !== undefined ? { ignore: options.ignore } : {}),
    ...(options.hide !== undefined ? { hide: options.hide } : {}),
    ...(options.paired ? { paired: true } : {}),
  };
}

/** The options within `top`'s that shape the rows of sets already aggregated. */
function reportOptions(options: SetTopOptions): SetReportOptions {
  const keys = Object.keys(SET_REPORT_OPTIONS) as (keyof SetReportOptions)[];
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}

/** The report of sets already aggregated (the CLI aggregates each profile as it is decoded). */
export function topOfSets(set: SetDiff, options: SetReportOptions = {}): TopReport {
  checkOptions(options, SET_REPORT_OPTIONS);
  checkSetDiff(set, 'topOfSets');
  const sort = options.sort ?? 'flat';
  const nodeCount = options.nodeCount ?? 10;
  const confidence = checkConfidenceOption(options.confidence ?? DEFAULT_CONFIDENCE);
  const { rows, test, flatVerdicts } = setRows(set, sort, confidence);
  // Ties in the order by index, as a stable sort leaves them.
  const compare = (a: number, b: number) => (sort === 'cum' ? byCum : byFlat)(rows[a]!, rows[b]!) || a - b;
  const all = rows.map((_, i) => i);
  // Every row is ordered only for gates (they read every row) or --nodecount 0; else the few
  // whose sort key can reach the first nodeCount (see leaders).
  const gated = Boolean(options.failOn?.length || options.warnOn?.length);
  const keys = rows.map((r) => (sort === 'cum' ? r.cum : r.flat));
  const order = nodeCount === 0 || gated ? all.sort(compare) : smallest(leaders(all, keys, nodeCount), nodeCount, compare);
  // Errors of the rows shown (and, below, flat's of every row a gate reads): each a t quantile.
  const errors = (i: number) => ({ flatError: shownError(test(i, 'flat'), confidence), cumError: shownError(test(i, 'cum'), confidence) });
  const shown = (nodeCount > 0 ? order.slice(0, nodeCount) : order).map((i) => ({ ...rows[i]!, ...errors(i) }));
  const base = sideSummary(set.base);
  const current = sideSummary(set.current);
  const total = totalChange(set, confidence);
  return {
    kind: 'diff',
    sampleType: set.sampleType,
    granularity: set.granularity,
    sort,
    base,
    current,
    percentOf: set.base.absoluteTotal > 0 ? set.base.absoluteTotal : set.current.absoluteTotal,
    rows: shown,
    totalRows: rows.length,
    filters: set.filters,
    confidence,
    sameProcess: false,
    errorModel: 'spread',
    total,
    looksLikeOneProcess: false,
    paired: set.pairSums !== null && set.pairSums.n >= 2,
    hint: setHint(set, rows),
    gates: evaluateGateOptions(options, () => ({
      sampleType: set.sampleType,
      baseTotal: base.total,
      currentTotal: current.total,
      confidence,
      total: total === null ? null : { error: total.error, significant: total.significant },
      // Gates read flat: the row's verdict when flat is the sort key, else flat's own (uncorrected) test.
      sites: ((verdicts) =>
        order.map((i) => {
          const r = rows[i]!;
          return { name: r.name, file: r.file, line: r.line, flat: r.flat, baseFlat: r.base?.flat ?? null, error: shownError(test(i, 'flat'), confidence), significant: verdicts[i]! };
        }))(flatVerdicts()),
    })),
  };
}

/**
 * The change of the per-profile total, tested as the rows are: paired (n ≥ 2 pairs), the mean of the
 * per-pair differences against 0; else Welch on the sides' totals, or a one-profile side's sampling variance.
 */
function totalChange(set: SetDiff, confidence: number): TotalChange | null {
  const change = set.current.total.mean - set.base.total.mean;
  const pairs = set.pairTotal;
  if (pairs !== null && pairs.n >= 2) {
    const test = testDifference({ value: 0, variance: 0, df: Infinity }, { value: pairs.mean, variance: pairs.variance, df: pairs.df }, confidence);
    return { change, error: shownError(test, confidence), pValue: test.pValue, significant: test.pValue <= 1 - confidence };
  }
  const estimate = (s: SetSummary) =>
    s.profiles >= 2
      ? { value: s.total.mean, variance: s.total.variance, df: s.total.df }
      : s.totalVariance === null
        ? null
        : { value: s.total.mean, variance: s.totalVariance, df: Infinity };
  const b = estimate(set.base);
  const c = estimate(set.current);
  if (b === null || c === null) return { change, error: null, pValue: null, significant: true };
  const test = testDifference(b, c, confidence);
  return { change, error: shownError(test, confidence), pValue: test.pValue, significant: test.pValue <= 1 - confidence };
}

function sideSummary(s: SetSummary): SideSummary {
  return {
    profiles: s.profiles,
    timeNanos: s.timeNanos,
    total: s.total.mean,
    period: s.period,
    periodType: s.periodType,
    truncatedStacks: s.truncatedStacks,
    memStats: s.memStats,
  };
}

/**
 * Rows in site order, each tested on its sort key; verdicts after Benjamini–Hochberg across
 * them, as for two profiles. The rows' errors are null here: `test(i, key)` gives row i's test of
 * flat or cum (the other key's made when first asked, for the rows shown and for gates).
 */
function setRows(
  set: SetDiff,
  sort: 'flat' | 'cum',
  confidence: number,
): { rows: TopRow[]; test: (i: number, key: 'flat' | 'cum') => ChangeTest | DifferenceTest | null; flatVerdicts: () => readonly boolean[] } {
  const sites: number[] = [];
  const keys: ('flat' | 'cum')[] = [];
  const keyTests: (ChangeTest | DifferenceTest | null)[] = [];
  const sides: [FlatCum, FlatCum][] = [];
  const pValues: (number | null)[] = [];
  for (let s = 0; s < set.sites.size; s++) {
    const b = sideValues(set.baseSums, s);
    const c = sideValues(set.currentSums, s);
    if (c.flat - b.flat === 0 && c.cum - b.cum === 0) continue;
    // The sort key's change; where that is 0, the other one (the change the status describes).
    const keyIsZero = (sort === 'cum' ? c.cum - b.cum : c.flat - b.flat) === 0;
    const key = (sort === 'cum') !== keyIsZero ? 'cum' : 'flat';
    const keyTest = setSiteChange(set, s, key, confidence);
    sites.push(s);
    keys.push(key);
    keyTests.push(keyTest);
    sides.push([b, c]);
    pValues.push(keyTest ? keyTest.pValue : null);
  }
  const verdicts = discoveries(pValues, confidence);
  const rows = sites.map((s, i) => {
    const [b, c] = sides[i]!;
    const flat = c.flat - b.flat;
    const cum = c.cum - b.cum;
    return siteRow(set.sites, s, set.inlineMarks[s] ?? null, {
      flat,
      cum,
      base: b,
      current: c,
      status: statusOf(b, c, flat, cum),
      flatError: null,
      cumError: null,
      pValue: pValues[i]!,
      significant: verdicts[i]!,
    });
  });
  const others = new Map<number, ChangeTest | DifferenceTest | null>();
  const test = (i: number, key: 'flat' | 'cum') => {
    if (key === keys[i]) return keyTests[i]!;
    if (!others.has(i)) others.set(i, setSiteChange(set, sites[i]!, key, confidence));
    return others.get(i)!;
  };
  // With flat as the key, gates take the corrected verdict, as for two profiles; else flat's own test.
  const flatVerdicts = () =>
    sort === 'flat'
      ? verdicts
      : rows.map((_, i) => {
          const t = test(i, 'flat');
          return t === null || t.pValue <= 1 - confidence;
        });
  return { rows, test, flatVerdicts };
}

function sideValues(sums: SideSums, s: number): FlatCum {
  const flat = sums.flat.estimate(s, sums.n);
  const cum = sums.cum.estimate(s, sums.n);
  const spread = (sd: number) => (sums.n > 1 ? sd : null);
  return { flat: flat.mean, cum: cum.mean, n: sums.n, flatSd: spread(flat.sd), cumSd: spread(cum.sd) };
}

/**
 * The attribution hint of the row that grew most by flat, from the edges the sets were
 * aggregated with (into inlined and helper sites): its caller whose per-profile mean edge grew
 * most. Null for sets from the store, which keep sites but not stacks.
 */
function setHint(set: SetDiff, rows: readonly TopRow[]): AttributionHint | null {
  if (set.helperEdges === null) return null;
  let grew: TopRow | undefined;
  for (const r of rows) if (r.flat > 0 && (grew === undefined || byFlat(r, grew) < 0)) grew = r;
  return grew === undefined ? null : attributionHintOfSets(grew, grew.inline, set.helperEdges, set.sites, { base: set.base.profiles, current: set.current.profiles });
}
