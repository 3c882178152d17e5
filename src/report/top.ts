import { absoluteTotal, aggregate, signedTotal, type SiteValues } from '../analysis/aggregate.js';
import { siteInlineMarks, type InlineMark } from '../analysis/call-edges.js';
import { asDiffIfMarked, isDiff, resolveDiffSampleType, type ProfileOrDiff } from '../analysis/diff.js';
import { FILTER_RULES, pickFilters, type SampleFilters } from '../analysis/filters.js';
import { GRANULARITIES, SiteTable, type Granularity } from '../analysis/sites.js';
import { truncatedStacks, type TruncatedStacks } from '../analysis/truncation.js';
import { checkOptions, oneOf, sampleSelector, wholeNumber, type OptionRule } from '../model/options.js';
import type { Profile, ValueType } from '../model/profile.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import { compareStrings } from '../base/compare.js';
import { evaluateGateOptions, GATE_RULES, type GateOptions, type Gates } from './gates.js';

export type SortOrder = 'flat' | 'cum';
export const SORT_ORDERS: readonly SortOrder[] = ['flat', 'cum'];

export interface TopOptions extends SampleFilters, GateOptions {
  /** Sample type name or index; default: the profile's default, else its last type. */
  readonly sampleIndex?: SampleTypeSelector;
  /** Default 'functions'. */
  readonly granularity?: Granularity;
  /** 'flat' (default): largest flat growth first; 'cum': largest cum growth first. */
  readonly sort?: SortOrder;
  /** How many rows to keep; 0 keeps all. Default 10. Gates (failOn, warnOn) read every row. */
  readonly nodeCount?: number;
}

/** How a site changed between base and current. `present` is a site of a single profile. */
export type SiteStatus = 'new' | 'gone' | 'grew' | 'shrank' | 'present';

export interface FlatCum {
  readonly flat: number;
  readonly cum: number;
  /**
   * Only when the side is a set of profiles (flat and cum are then per-profile means): how many
   * profiles, and the standard deviation between them (null with one profile: no spread to see).
   */
  readonly n?: number;
  readonly flatSd?: number | null;
  readonly cumSd?: number | null;
}

export interface TopRow {
  /** Function name; for `files` granularity, the file. */
  readonly name: string;
  /** Source file ('' for `functions` granularity or when unknown). */
  readonly file: string;
  /** Source line (`lines` granularity only, else 0). */
  readonly line: number;
  /** Signed change, current − base (a single profile: its value). */
  readonly flat: number;
  readonly cum: number;
  /** The site's values in the base; null for a single profile. */
  readonly base: FlatCum | null;
  readonly current: FlatCum;
  readonly status: SiteStatus;
  /** Every call into this site is an inlined call, as pprof marks a row `(inline)`. */
  readonly inline: boolean;
  /** Some calls into this site are inlined and some are not: pprof's `(partial-inline)`. */
  readonly partialInline: boolean;
}

/** What one side of the report was: a single profile's, or the base's and current's. */
export interface SideSummary {
  /** How many profiles the side is; above 1, totals and row values are per-profile means. */
  readonly profiles: number;
  readonly timeNanos: number;
  /** Signed Σ of the sample type over all samples: the heap size for inuse_space. */
  readonly total: number;
  readonly period: number;
  readonly periodType: ValueType | undefined;
  /** Samples whose stacks reach Go's frame cap, so their outer callers are missing; null when none look cut. */
  readonly truncatedStacks: TruncatedStacks | null;
  /** The MemStats trailer of a legacy text profile (Profile.memStats); null for protobuf. */
  readonly memStats: Readonly<Record<string, number>> | null;
}

export interface TopReport {
  readonly kind: 'diff' | 'profile';
  readonly sampleType: ValueType;
  readonly granularity: Granularity;
  readonly sort: SortOrder;
  readonly base: SideSummary | null;
  readonly current: SideSummary;
  /**
   * The denominator of every percentage, as in pprof: Σ|v| of the base for a diff (of both when
   * the base is empty), of the profile otherwise. Taken before filters.
   */
  readonly percentOf: number;
  readonly rows: readonly TopRow[];
  /** Rows before `nodeCount` cut the list. */
  readonly totalRows: number;
  readonly filters: SampleFilters;
  /** Gate results when rules were given, else null. */
  readonly gates: Gates | null;
}

/** A rule per option: a new option does not type-check until it has one. */
const TOP_OPTIONS = {
  sampleIndex: sampleSelector,
  granularity: oneOf(GRANULARITIES),
  sort: oneOf(SORT_ORDERS),
  nodeCount: wholeNumber(0),
  ...FILTER_RULES,
  ...GATE_RULES,
} satisfies Record<keyof TopOptions, OptionRule>;

/**
 * Ranks allocation sites. For a diff, by growth: flat and cum are current − base with pprof's
 * rules (`go tool pprof -top -nodefraction=0 -diff_base` prints the same numbers); sites whose
 * change is zero are left out, as pprof drops them.
 */
export function top(profileOrDiff: ProfileOrDiff, options: TopOptions = {}): TopReport {
  checkOptions(options, TOP_OPTIONS);
  const input = asDiffIfMarked(profileOrDiff);
  const granularity = options.granularity ?? 'functions';
  const sort = options.sort ?? 'flat';
  const nodeCount = options.nodeCount ?? 10;
  const filters: SampleFilters = pickFilters(options);
  const sites = new SiteTable(granularity);

  let rows: TopRow[];
  let head: Pick<TopReport, 'kind' | 'sampleType' | 'base' | 'current' | 'percentOf'>;
  if (isDiff(input)) {
    const types = resolveDiffSampleType(input, options.sampleIndex);
    const base = aggregate({ profile: input.base, typeIndex: types.base, sites, filters });
    const current = aggregate({ profile: input.current, typeIndex: types.current, sites, filters });
    const sides = [{ profile: input.base, typeIndex: types.base }, { profile: input.current, typeIndex: types.current }];
    rows = diffRows(sites, base, current, siteInlineMarks(sides, sites, filters));
    const baseAbs = absoluteTotal(input.base, types.base);
    head = {
      kind: 'diff',
      sampleType: types.sampleType,
      base: summarize(input.base, types.base),
      current: summarize(input.current, types.current),
      percentOf: baseAbs > 0 ? baseAbs : absoluteTotal(input.current, types.current),
    };
  } else {
    const typeIndex = resolveSampleType(input, options.sampleIndex);
    const values = aggregate({ profile: input, typeIndex, sites, filters });
    rows = profileRows(sites, values, siteInlineMarks([{ profile: input, typeIndex }], sites, filters));
    head = {
      kind: 'profile',
      sampleType: input.sampleTypes[typeIndex]!,
      base: null,
      current: summarize(input, typeIndex),
      percentOf: absoluteTotal(input, typeIndex),
    };
  }
  rows.sort(sort === 'cum' ? byCum : byFlat);
  return {
    ...head,
    granularity,
    sort,
    rows: nodeCount > 0 ? rows.slice(0, nodeCount) : rows,
    totalRows: rows.length,
    filters,
    gates: evaluateGateOptions(options, () => ({
      sampleType: head.sampleType,
      baseTotal: head.base?.total ?? null,
      currentTotal: head.current.total,
      sites: rows.map((r) => ({ name: r.name, file: r.file, line: r.line, flat: r.flat, baseFlat: r.base?.flat ?? null })),
    })),
  };
}

function summarize(profile: Profile, typeIndex: number): SideSummary {
  return {
    profiles: 1,
    timeNanos: profile.timeNanos,
    total: signedTotal(profile, typeIndex),
    period: profile.period,
    periodType: profile.periodType,
    truncatedStacks: truncatedStacks(profile, typeIndex),
    memStats: profile.memStats ?? null,
  };
}

export function siteRow(sites: SiteTable, site: number, mark: InlineMark, fields: Omit<TopRow, 'name' | 'file' | 'line' | 'inline' | 'partialInline'>): TopRow {
  return {
    name: sites.names[site]!,
    file: sites.files[site]!,
    line: sites.lines[site]!,
    ...fields,
    inline: mark === 'inline',
    partialInline: mark === 'partial-inline',
  };
}

function profileRows(sites: SiteTable, values: SiteValues, marks: readonly InlineMark[]): TopRow[] {
  const rows: TopRow[] = [];
  for (let s = 0; s < sites.size; s++) {
    const flat = values.flat[s] ?? 0;
    const cum = values.cum[s] ?? 0;
    if (flat === 0 && cum === 0) continue;
    rows.push(siteRow(sites, s, marks[s] ?? null, { flat, cum, base: null, current: { flat, cum }, status: 'present' }));
  }
  return rows;
}

function diffRows(sites: SiteTable, base: SiteValues, current: SiteValues, marks: readonly InlineMark[]): TopRow[] {
  const rows: TopRow[] = [];
  for (let s = 0; s < sites.size; s++) {
    // The base was aggregated before the current side added its sites: missing means zero.
    const b = { flat: base.flat[s] ?? 0, cum: base.cum[s] ?? 0 };
    const c = { flat: current.flat[s] ?? 0, cum: current.cum[s] ?? 0 };
    const flat = c.flat - b.flat;
    const cum = c.cum - b.cum;
    if (flat === 0 && cum === 0) continue;
    rows.push(siteRow(sites, s, marks[s] ?? null, { flat, cum, base: b, current: c, status: statusOf(b, c, flat, cum) }));
  }
  return rows;
}

export function statusOf(b: FlatCum, c: FlatCum, flat: number, cum: number): SiteStatus {
  if (b.flat === 0 && b.cum === 0) return 'new';
  if (c.flat === 0 && c.cum === 0) return 'gone';
  return (flat !== 0 ? flat : cum) > 0 ? 'grew' : 'shrank';
}

/** Largest growth first; explicit tie-breaks keep the output identical run to run. */
export function byFlat(a: TopRow, b: TopRow): number {
  return b.flat - a.flat || b.cum - a.cum || byIdentity(a, b);
}

export function byCum(a: TopRow, b: TopRow): number {
  return b.cum - a.cum || b.flat - a.flat || byIdentity(a, b);
}

function byIdentity(a: TopRow, b: TopRow): number {
  return compareStrings(a.name, b.name) || compareStrings(a.file, b.file) || a.line - b.line;
}
