import { CallEdges } from '../analysis/call-edges.js';
import { asDiffIfMarked, isDiff, resolveDiffSampleType, type ProfileOrDiff } from '../analysis/diff.js';
import { compileRegex, FILTER_RULES, pickFilters, type SampleFilters } from '../analysis/filters.js';
import { GRANULARITIES, SiteTable, siteLabel, type Granularity } from '../analysis/sites.js';
import { ProfileError } from '../model/errors.js';
import { checkOptions, invalidOption, isBoolean, numberIn, oneOf, sampleSelector, type OptionRule } from '../model/options.js';
import type { ValueType } from '../model/profile.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import { compareStrings } from '../base/compare.js';
import { top, type SideSummary, type SiteKey, type TopReport, type TopRow } from './top.js';

/** Options of `peek`: the sample type, the granularity, and the filters. */
export interface PeekOptions extends SampleFilters {
  /** Sample type name or index; default: the profile's default, else its last type. */
  readonly sampleIndex?: SampleTypeSelector;
  /** Default 'functions'. */
  readonly granularity?: Granularity;
  /** Two-sided confidence of the entries' error intervals and verdicts, default 0.95 (`--confidence`). */
  readonly confidence?: number;
  /** The two profiles are snapshots of one process (`--same-process`), as for `top`. */
  readonly sameProcess?: boolean;
}

/** One caller or callee of a peeked site: the edge between them. */
export interface PeekEdge {
  /** The other end's name, as TopRow.name: its function, or at `files` granularity its file (or `[binary]`). */
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /**
   * The edge's change, current − base (a single profile: its value): what the callee holds when
   * called from this caller, each sample counted once however often the pair recurs on its stack.
   */
  readonly cum: number;
  /** The edge in the base; null for a single profile. */
  readonly base: number | null;
  readonly current: number;
  /** Every sample through this edge had the callee inlined into the caller (pprof's `(inline)`). */
  readonly inline: boolean;
}

/** A site matching the regex, with its own values and the edges into and out of it. */
export interface PeekEntry extends TopRow {
  /** Largest |change| first, then caller name: the order `go tool pprof -peek` prints. */
  readonly callers: readonly PeekEdge[];
  readonly callees: readonly PeekEdge[];
}

/** What `peek` returns: every site matching the regex with its callers and callees, for any renderer. */
export interface PeekReport {
  readonly kind: 'diff' | 'profile';
  readonly sampleType: ValueType;
  readonly granularity: Granularity;
  readonly regex: string;
  readonly base: SideSummary | null;
  readonly current: SideSummary;
  /** The denominator of the entries' flat% and cum%, as in `top` (edges are % of the entry's cum). */
  readonly percentOf: number;
  /** Σ flat of every site, matched or not: pprof's "Showing nodes accounting for". */
  readonly flatOfAll: number;
  readonly filters: SampleFilters;
  /** pprof's order: largest |flat| first, then name, then largest |cum|. */
  readonly entries: readonly PeekEntry[];
  /**
   * As `top`'s (the entries are its rows): the confidence of their `±` and verdicts, how their
   * errors were estimated, the total's verdict, and how many sites Benjamini–Hochberg ran over.
   */
  readonly confidence: TopReport['confidence'];
  readonly errorModel: TopReport['errorModel'];
  readonly total: TopReport['total'];
  readonly sort: TopReport['sort'];
  readonly totalRows: TopReport['totalRows'];
  readonly sameProcess: TopReport['sameProcess'];
  readonly looksLikeOneProcess: TopReport['looksLikeOneProcess'];
  readonly paired?: boolean;
}

/**
 * The callers and callees of every site whose printable name (`fn`, `fn file:line` or `file`)
 * matches `regex` (unanchored), with the change on each edge: the numbers, order and inline marks
 * `go tool pprof -peek <regex> -diff_base` prints. Sites whose change is zero are not matched, as
 * pprof drops them; an edge whose change is zero is still listed, as pprof lists it.
 */
export function peek(profileOrDiff: ProfileOrDiff, regex: string, options: PeekOptions = {}): PeekReport {
  checkOptions(options, PEEK_OPTIONS);
  if (typeof regex !== 'string') throw invalidOption('regex', 'a string', regex);
  const { report, sites, edges, profiles } = topWithEdges(profileOrDiff, options);
  return peekOfTop(report, regex, sites, edges, profiles);
}

const PEEK_OPTIONS = {
  sampleIndex: sampleSelector,
  granularity: oneOf(GRANULARITIES),
  confidence: numberIn(0.5, 1),
  sameProcess: isBoolean,
  ...FILTER_RULES,
} satisfies Record<keyof PeekOptions, OptionRule>;

/**
 * `peek` of exactly the given sites (as report rows name them), in `top`'s granularity and
 * options: what the HTML `top` page shows beside a selected row. No error when none has changed;
 * the report's regex is empty.
 */
export function peekSites(profileOrDiff: ProfileOrDiff, rows: readonly SiteKey[], options: PeekOptions = {}): PeekReport {
  checkOptions(options, PEEK_OPTIONS);
  const { report, sites, edges, profiles } = topWithEdges(profileOrDiff, options);
  const wanted = new Set(rows.map((s) => siteLabel(s)));
  return peekOfTopWhere(report, '', (label) => wanted.has(label), sites, edges, profiles);
}

/** Every row of `top` and every call edge of the profile (or both sides of the diff). */
function topWithEdges(profileOrDiff: ProfileOrDiff, options: PeekOptions) {
  const input = asDiffIfMarked(profileOrDiff);
  const granularity = options.granularity ?? 'functions';
  const filters = pickFilters(options);
  const report = top(input, {
    ...(options.sampleIndex !== undefined ? { sampleIndex: options.sampleIndex } : {}),
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
    ...(options.sameProcess !== undefined ? { sameProcess: options.sameProcess } : {}),
    ...filters,
    granularity,
    nodeCount: 0,
  });

  const sites = new SiteTable(granularity);
  const edges = new CallEdges();
  if (isDiff(input)) {
    const types = resolveDiffSampleType(input, options.sampleIndex);
    edges.addSides([{ profile: input.base, typeIndex: types.base }, { profile: input.current, typeIndex: types.current }], sites, filters);
  } else {
    edges.add(input, resolveSampleType(input, options.sampleIndex), sites, 0, filters);
  }
  return { report, sites, edges, profiles: isDiff(input) ? { base: 1, current: 1 } : null };
}

/**
 * The entries of a `top` report (over all rows) whose printable name matches `regex`, with the
 * edges of `edges` (over the sites of `sites`) into and out of each: what `peek` shows of two
 * profiles, and `peekOfSets` of two sets, whose edge weights are sums over each side's
 * `profiles` (divided here into per-profile means). `profiles` is null for a single profile.
 */
export function peekOfTop(
  report: TopReport,
  regex: string,
  sites: SiteTable,
  edges: CallEdges,
  profiles: { readonly base: number; readonly current: number } | null,
): PeekReport {
  const matcher = compileRegex(regex, 'the function regex');
  const found = peekOfTopWhere(report, regex, (label) => matcher.test(label), sites, edges, profiles);
  if (found.entries.length === 0) throw new ProfileError('selecting functions', `no function matches /${regex}/`);
  return found;
}

/** peekOfTop with any test of the printable name; no entries is not an error here. */
export function peekOfTopWhere(
  report: TopReport,
  regex: string,
  matches: (label: string) => boolean,
  sites: SiteTable,
  edges: CallEdges,
  profiles: { readonly base: number; readonly current: number } | null,
): PeekReport {
  const diff = profiles !== null;
  const edgeOf = (e: number, other: number): PeekEdge => {
    const base = diff ? edges.weight[0][e]! / profiles.base : edges.weight[0][e]!;
    const current = diff ? edges.weight[1][e]! / profiles.current : base;
    return {
      name: sites.names[other]!,
      file: sites.files[other]!,
      line: sites.lines[other]!,
      cum: diff ? current - base : base,
      base: diff ? base : null,
      current,
      inline: edges.inline[e] === 1,
    };
  };
  const callersOf = new Map<number, PeekEdge[]>();
  const calleesOf = new Map<number, PeekEdge[]>();
  const push = (map: Map<number, PeekEdge[]>, site: number, edge: PeekEdge) => {
    const list = map.get(site);
    if (list) list.push(edge);
    else map.set(site, [edge]);
  };
  for (let e = 0; e < edges.size; e++) {
    push(callersOf, edges.callee[e]!, edgeOf(e, edges.caller[e]!));
    push(calleesOf, edges.caller[e]!, edgeOf(e, edges.callee[e]!));
  }
  const siteIds = new Map<string, number>();
  for (let s = 0; s < sites.size; s++) siteIds.set(sites.label(s), s);

  const entries: PeekEntry[] = [];
  for (const row of report.rows) {
    const label = siteLabel(row);
    if (!matches(label)) continue;
    const site = siteIds.get(label);
    const label2 = (e: PeekEdge) => siteLabel(e);
    entries.push({
      ...row,
      callers: [...(site === undefined ? [] : callersOf.get(site) ?? [])].sort((a, b) => byEdge(a, b, label2(a), label2(b), label, label)),
      callees: [...(site === undefined ? [] : calleesOf.get(site) ?? [])].sort((a, b) => byEdge(a, b, label, label, label2(a), label2(b))),
    });
  }
  entries.sort(byFlatThenName);

  return {
    kind: report.kind,
    sampleType: report.sampleType,
    granularity: report.granularity,
    regex,
    base: report.base,
    current: report.current,
    percentOf: report.percentOf,
    flatOfAll: report.rows.reduce((sum, r) => sum + r.flat, 0),
    filters: report.filters,
    entries,
    confidence: report.confidence,
    errorModel: report.errorModel,
    total: report.total,
    sort: report.sort,
    totalRows: report.totalRows,
    sameProcess: report.sameProcess,
    looksLikeOneProcess: report.looksLikeOneProcess,
    ...(report.paired !== undefined ? { paired: report.paired } : {}),
  };
}

/** pprof's edge order: |weight| descending, then caller name, then callee name. */
function byEdge(a: PeekEdge, b: PeekEdge, fromA: string, fromB: string, toA: string, toB: string): number {
  return Math.abs(b.cum) - Math.abs(a.cum) || compareStrings(fromA, fromB) || compareStrings(toA, toB);
}

/** pprof's node order (FlatNameOrder): |flat| descending, then printable name, then |cum| descending. */
function byFlatThenName(a: PeekEntry, b: PeekEntry): number {
  return (
    Math.abs(b.flat) - Math.abs(a.flat) ||
    compareStrings(siteLabel(a), siteLabel(b)) ||
    Math.abs(b.cum) - Math.abs(a.cum)
  );
}
