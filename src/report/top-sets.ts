import { aggregateSets, type SetDiff, type SetOptions, type SetSummary } from '../analysis/profile-set.js';
import type { SideSums } from '../analysis/side-sums.js';
import type { Profile } from '../model/profile.js';
import { ProfileError } from '../model/errors.js';
import { evaluateGateOptions } from './gates.js';
import { byCum, byFlat, siteRow, statusOf, type FlatCum, type SideSummary, type TopOptions, type TopReport, type TopRow } from './top.js';

export interface SetTopOptions extends TopOptions {
  /** Profile i of each side is the same process before and after: test the per-pair differences. */
  readonly paired?: boolean;
}

/**
 * `top` for two sides that are sets of profiles (pods of a fleet, repeated CI runs): each row's
 * base and current are per-profile means (a profile without the site counts as 0), with n and
 * the spread between profiles; flat and cum are the difference of the means.
 */
export function diffSets(base: readonly Profile[], current: readonly Profile[], options: SetTopOptions = {}): TopReport {
  return topOfSets(aggregateSets(base, current, setOptions(options)), options);
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

/** The report of sets already aggregated (the CLI aggregates each profile as it is decoded). */
export function topOfSets(set: SetDiff, options: Pick<TopOptions, 'sort' | 'nodeCount' | 'failOn' | 'warnOn'> = {}): TopReport {
  const sort = options.sort ?? 'flat';
  const nodeCount = options.nodeCount ?? 10;
  if (!Number.isInteger(nodeCount) || nodeCount < 0) {
    throw new ProfileError('invalid option', `node count must be a whole number ≥ 0, not ${nodeCount}`);
  }
  const rows = setRows(set);
  rows.sort(sort === 'cum' ? byCum : byFlat);
  const base = sideSummary(set.base);
  const current = sideSummary(set.current);
  return {
    kind: 'diff',
    sampleType: set.sampleType,
    granularity: set.granularity,
    sort,
    base,
    current,
    percentOf: set.base.absoluteTotal > 0 ? set.base.absoluteTotal : set.current.absoluteTotal,
    rows: nodeCount > 0 ? rows.slice(0, nodeCount) : rows,
    totalRows: rows.length,
    filters: set.filters,
    gates: evaluateGateOptions(options, () => ({
      sampleType: set.sampleType,
      baseTotal: base.total,
      currentTotal: current.total,
      sites: rows.map((r) => ({ name: r.name, file: r.file, line: r.line, flat: r.flat, baseFlat: r.base?.flat ?? null })),
    })),
  };
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

function setRows(set: SetDiff): TopRow[] {
  const rows: TopRow[] = [];
  for (let s = 0; s < set.sites.size; s++) {
    const b = sideValues(set.baseSums, s);
    const c = sideValues(set.currentSums, s);
    const flat = c.flat - b.flat;
    const cum = c.cum - b.cum;
    if (flat === 0 && cum === 0) continue;
    rows.push(siteRow(set.sites, s, set.inlineMarks[s] ?? null, { flat, cum, base: b, current: c, status: statusOf(b, c, flat, cum) }));
  }
  return rows;
}

function sideValues(sums: SideSums, s: number): FlatCum {
  const flat = sums.flat.estimate(s, sums.n);
  const cum = sums.cum.estimate(s, sums.n);
  const spread = (sd: number) => (sums.n > 1 ? sd : null);
  return { flat: flat.mean, cum: cum.mean, n: sums.n, flatSd: spread(flat.sd), cumSd: spread(cum.sd) };
}
