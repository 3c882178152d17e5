import { ProfileError } from '../model/errors.js';
import { checkOptions, isBoolean, oneOf, sampleSelector, type OptionRule } from '../model/options.js';
import type { Profile, ValueType } from '../model/profile.js';
import { findTypeByName, resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import { absoluteTotal, aggregate, aggregateWithError, signedTotal, type SiteErrors, type SiteValues } from './aggregate.js';
import { isPassThrough } from './allocation-helpers.js';
import { EdgesKernel } from './call-edges-kernel.js';
import { CallEdges, inlineMarks, type InlineMark } from './call-edges.js';
import { FlameBuilder, type FlameGraph } from './flame.js';
import { FILTER_RULES, pickFilters, type SampleFilters } from './filters.js';
import { sampleVariances } from './sampling.js';
import { sideEstimate, type SideEstimate } from './side-estimate.js';
import { RoutineSetSums } from './routine-set-sums.js';
import { addStartLines } from './start-lines.js';
import { siteDifference, SideSums } from './side-sums.js';
import { GRANULARITIES, SiteTable, type Granularity } from './sites.js';
import { truncatedStacks, type TruncatedStacks } from './truncation.js';

export type SideName = 'base' | 'current';

/** `SetDiffBuilder.candidates`' states of a site. */
const UNSEEN = 0;
const CANDIDATE = 1;
const NOT_HELPER = 2;

/**
 * Options of aggregating sets of profiles (aggregateSets, SetDiffBuilder): the sample type,
 * the granularity, pairing, call edges, and the filters.
 */
export interface SetOptions extends SampleFilters {
  /** Sample type name or index; default: the first profile's default, else its last type. */
  readonly sampleIndex?: SampleTypeSelector;
  /** Default 'functions'. */
  readonly granularity?: Granularity;
  /** Profile i of the base and profile i of the current side are the same process, before and after. */
  readonly paired?: boolean;
  /** Keep every caller → callee edge with its sum per side (what `peekOfSets` reads); default only the inline marks'. */
  readonly callEdges?: boolean;
  /** Build the call-path tree of the per-profile means (the HTML report's flame graph). */
  readonly flame?: boolean;
}

/** A rule per option, checked where sets are aggregated. */
export const SET_OPTIONS = {
  sampleIndex: sampleSelector,
  granularity: oneOf(GRANULARITIES),
  paired: isBoolean,
  callEdges: isBoolean,
  flame: isBoolean,
  ...FILTER_RULES,
} satisfies Record<keyof SetOptions, OptionRule>;

/** What a side's profiles were, as a whole: counts, times and totals (per-profile means). */
export interface SetSummary {
  readonly profiles: number;
  /** The earliest capture time on the side; 0 when none is known. */
  readonly timeNanos: number;
  /** The latest capture time on the side; 0 when none is known. */
  readonly lastTimeNanos: number;
  /** Signed Σv per profile, as an estimate over the side's profiles. */
  readonly total: SideEstimate;
  /** A side of one profile: the sampling variance of its total (null when it cannot be modelled, or for a set). */
  readonly totalVariance: number | null;
  /** Mean of Σ|v| per profile: the denominator of a diff's percentages, as pprof's base total. */
  readonly absoluteTotal: number;
  /** The first profile's sampling period (profiles of one side may differ; their values are unbiased). */
  readonly period: number;
  readonly periodType: ValueType | undefined;
  /** Cut stacks summed over the side (samples), the largest share and cap seen; null when none. */
  readonly truncatedStacks: TruncatedStacks | null;
  /** A legacy profile's MemStats, kept only for a side of one profile. */
  readonly memStats: Readonly<Record<string, number>> | null;
}

/** Both sides of a set comparison, aggregated: per-site sums, no profile kept. */
export interface SetDiff {
  readonly kind: 'sets';
  readonly sampleType: ValueType;
  readonly granularity: Granularity;
  readonly filters: SampleFilters;
  readonly sites: SiteTable;
  readonly base: SetSummary;
  readonly current: SetSummary;
  readonly baseSums: SideSums;
  readonly currentSums: SideSums;
  /** Per-pair differences (current − base) when the sides were paired, else null. */
  readonly pairSums: SideSums | null;
  /** The per-pair difference of the signed totals (current − base) when the sides were paired, else null. */
  readonly pairTotal: SideEstimate | null;
  /** pprof's `(inline)` / `(partial-inline)` label of each site, over every profile of both sides. */
  readonly inlineMarks: readonly InlineMark[];
  /**
   * With `callEdges`: every caller → callee edge between sites, its weights summed over each
   * side's profiles (weight[0] base, weight[1] current; divide by the side's profiles for a mean).
   */
  readonly callEdges: CallEdges | null;
  /** With `flame`: the call-path tree of each side's per-profile mean, by function. */
  readonly flame: FlameGraph | null;
  /**
   * Every edge into a site seen as an inlined frame or named in ALLOCATION_HELPERS (all edges
   * with `callEdges`), weights summed per side as in `callEdges`: what the inline marks and the
   * attribution hint read. Null when the sides' stacks are not known (sets from the store).
   */
  readonly helperEdges: CallEdges | null;
  /** By lines: each function's start line (`name\0file` → Function.start_line), for `list`'s context. */
  readonly startLines: ReadonlyMap<string, number> | null;
  /** By lines: each routine's (function and file) header totals per profile, for `list`'s header verdicts. */
  readonly routines: RoutineSetSums | null;
  /** A side of one profile: its sampling variances (the between-profile spread is unknown). */
  readonly baseSampling: SiteErrors | null;
  readonly currentSampling: SiteErrors | null;
}

interface SideState {
  readonly sums: SideSums;
  readonly expected: number;
  /** The first profile's sample type names, and where it came from: every other must have the same. */
  first?: { names: string; source: string };
  timeMin: number;
  timeMax: number;
  totalSum: number;
  totalSquares: number;
  absTotals: number;
  period: number;
  periodType: ValueType | undefined;
  cut: TruncatedStacks | null;
  memStats: Readonly<Record<string, number>> | null;
  sampling: SiteErrors | null;
  totalVariance: number | null;
}

/**
 * Aggregates the profiles of two sides one at a time, as they are decoded, into per-site sums
 * that share one site table: a profile can be dropped as soon as it was added. The sample type is
 * resolved on the first profile added (add a current one first: pprof resolves on the current),
 * then found by name in every other.
 */
export class SetDiffBuilder {
  private readonly sites: SiteTable;
  private readonly filters: SampleFilters;
  private readonly sides: Record<SideName, SideState>;
  private readonly pairSums: SideSums | null;
  /** Paired mode: a pair's first-arrived side, until its partner comes. */
  private readonly waiting = new Map<number, { side: SideName; values: SiteValues; total: number }>();
  /** Σd and Σd² of the pairs' total differences. */
  private readonly pairTotals = { sum: 0, squares: 0 };
  private sampleType: ValueType | undefined;
  private readonly edges = new CallEdges();
  /** The edges as the WebAssembly kernel builds them (the no-filter path), handed to `edges` by finish(); null without it. */
  private edgesKernel: EdgesKernel | null | undefined;
  /** Per site: CANDIDATE once seen as an inlined frame or named as a helper (only edges into those are kept), NOT_HELPER when its name was checked. */
  private candidates = new Uint8Array(64);
  private anyCandidate = false;
  private readonly startLines: Map<string, number> | null;
  private readonly routines: RoutineSetSums | null;
  private readonly flame: FlameBuilder | null;

  constructor(
    counts: { readonly base: number; readonly current: number },
    private readonly options: SetOptions = {},
  ) {
    checkOptions(options, SET_OPTIONS);
    for (const side of ['base', 'current'] as const) {
      if (!Number.isInteger(counts[side]) || counts[side] < 1) throw new ProfileError('invalid option', `the ${side} side needs at least one profile`);
    }
    if (options.paired && counts.base !== counts.current) {
      throw new ProfileError('invalid option', `the paired option needs as many base profiles as current ones, not ${counts.base} and ${counts.current}`);
    }
    this.sites = new SiteTable(options.granularity ?? 'functions');
    this.filters = pickFilters(options);
    const state = (expected: number): SideState => ({
      sums: new SideSums(),
      expected,
      timeMin: 0,
      timeMax: 0,
      totalSum: 0,
      totalSquares: 0,
      absTotals: 0,
      period: 0,
      periodType: undefined,
      cut: null,
      memStats: null,
      sampling: null,
      totalVariance: null,
    });
    this.sides = { base: state(counts.base), current: state(counts.current) };
    this.pairSums = options.paired ? new SideSums() : null;
    this.startLines = this.sites.granularity === 'lines' ? new Map() : null;
    this.routines = this.sites.granularity === 'lines' ? new RoutineSetSums(this.sites, Boolean(options.paired)) : null;
    this.flame = options.flame ? new FlameBuilder(this.filters) : null;
  }

  /** Adds profile `index` of `side`; `source` names it in errors. */
  add(side: SideName, index: number, profile: Profile, source: string): void {
    const state = this.sides[side];
    this.checkTypes(state, side, profile, source);
    const typeIndex = this.typeIndexIn(side, profile, source);
    const input = { profile, typeIndex, sites: this.sites, filters: this.filters };
    let values: SiteValues;
    if (state.expected === 1) {
      // One profile has no spread to see: its sampling model says how well it is known.
      state.sampling = aggregateWithError(input);
      values = state.sampling;
      const variances = sampleVariances(profile, typeIndex).variance;
      state.totalVariance = state.sampling.model === 'unknown' ? null : variances === null ? 0 : variances.reduce((a, b) => a + b, 0);
    } else values = aggregate(input);
    state.sums.add(values);
    this.routines?.add(side, values, state.expected === 1 ? { profile, typeIndex, filters: this.filters } : null);
    this.addEdges(side, profile, typeIndex);
    if (this.startLines !== null) addStartLines(this.startLines, profile);
    this.flame?.add(side === 'base' ? 0 : 1, profile, typeIndex);
    const total = signedTotal(profile, typeIndex);
    this.summarize(state, profile, typeIndex, total);
    if (this.pairSums !== null) this.pair(side, index, values, total);
  }

  finish(): SetDiff {
    if (this.edgesKernel) {
      this.edgesKernel.drainInto(this.edges);
      this.edgesKernel = null;
    }
    for (const side of ['base', 'current'] as const) {
      const { sums, expected } = this.sides[side];
      if (sums.n !== expected) throw new ProfileError('invalid option', `the ${side} side got ${sums.n} of its ${expected} profiles`);
    }
    return {
      kind: 'sets',
      sampleType: this.sampleType!,
      granularity: this.sites.granularity,
      filters: this.filters,
      sites: this.sites,
      base: finishSummary(this.sides.base),
      current: finishSummary(this.sides.current),
      baseSums: this.sides.base.sums,
      currentSums: this.sides.current.sums,
      pairSums: this.pairSums,
      pairTotal: this.pairSums === null ? null : sideEstimate(this.pairSums.n, this.pairTotals.sum, this.pairTotals.squares),
      inlineMarks: inlineMarks(this.edges, this.sites.size),
      callEdges: this.options.callEdges ? this.edges : null,
      helperEdges: this.edges,
      startLines: this.startLines,
      routines: this.routines,
      flame: this.flame?.finish(this.sampleType!) ?? null,
      baseSampling: this.sides.base.sampling,
      currentSampling: this.sides.current.sampling,
    };
  }

  /**
   * Edges into sites seen inlined so far, and into allocation helpers (for the attribution hint).
   * A site first seen inlined in a later profile misses the edges of earlier ones (it may read
   * `inline` where pprof would say `partial-inline`): a fleet runs one build, whose inlining is
   * the same in every profile. A helper is known by its name, so its edges are all there.
   */
  private addEdges(side: SideName, profile: Profile, typeIndex: number): void {
    if (this.options.callEdges) {
      this.edges.add(profile, typeIndex, this.sites, side === 'base' ? 0 : 1, this.filters);
      return;
    }
    const { inlined } = profile.frames;
    const frameSite = this.sites.siteOfFrames(profile);
    if (this.candidates.length < this.sites.size) {
      const grown = new Uint8Array(Math.max(this.sites.size, 2 * this.candidates.length));
      grown.set(this.candidates);
      this.candidates = grown;
    }
    // A site's name is looked up once (NOT_HELPER), not once per frame of every profile.
    const candidates = this.candidates;
    for (let f = 0; f < inlined.length; f++) {
      const site = frameSite[f]!;
      const known = candidates[site]!;
      if (known === CANDIDATE) continue;
      if (inlined[f] === 1 || (known === UNSEEN && isPassThrough(this.sites.names[site]!))) {
        candidates[site] = CANDIDATE;
        this.anyCandidate = true;
      } else candidates[site] = NOT_HELPER;
    }
    if (!this.anyCandidate) return;
    // Filters walk each kept stack as addSides does (it reads only CANDIDATE as flagged).
    const { focus, ignore, hide } = this.filters;
    if (focus || ignore || hide) {
      this.edges.add(profile, typeIndex, this.sites, side === 'base' ? 0 : 1, this.filters, candidates);
      return;
    }
    const intoFrame = new Uint8Array(inlined.length);
    for (let f = 0; f < intoFrame.length; f++) intoFrame[f] = candidates[frameSite[f]!] === CANDIDATE ? 1 : 0;
    // Without filters every profile of the set comes here: the kernel's table is the set's, until finish().
    if (this.edgesKernel === undefined) this.edgesKernel = EdgesKernel.make();
    if (this.edgesKernel !== null) this.edgesKernel.addInto(profile, typeIndex, frameSite, intoFrame, side === 'base' ? 0 : 1);
    else this.edges.addInto(profile, typeIndex, frameSite, intoFrame, side === 'base' ? 0 : 1);
  }

  /** Same type names as the side's first profile (values are unbiased, so periods may differ). */
  private checkTypes(state: SideState, side: SideName, profile: Profile, source: string): void {
    const names = profile.sampleTypes.map((t) => `${t.type}/${t.unit}`).sort().join(', ');
    if (state.first === undefined) state.first = { names, source };
    else if (names !== state.first.names) {
      throw new ProfileError(
        'comparing profiles',
        `${source} has sample types ${names || 'none'}, unlike the ${side} side's ${state.first.source} (${state.first.names})`,
      );
    }
  }

  private typeIndexIn(side: SideName, profile: Profile, source: string): number {
    if (this.sampleType === undefined) {
      const index = resolveSampleType(profile, this.options.sampleIndex);
      this.sampleType = profile.sampleTypes[index]!;
      return index;
    }
    const index = findTypeByName(profile, this.sampleType.type);
    if (index < 0) throw new ProfileError('selecting sample type', `${source}: sample type ${this.sampleType.type} is missing from this ${side} profile`);
    const unit = profile.sampleTypes[index]!.unit;
    if (unit !== this.sampleType.unit) {
      throw new ProfileError('comparing profiles', `${source}: sample type ${this.sampleType.type} is in ${unit} here but in ${this.sampleType.unit} elsewhere`);
    }
    return index;
  }

  private summarize(state: SideState, profile: Profile, typeIndex: number, total: number): void {
    const t = profile.timeNanos;
    if (t !== 0) {
      state.timeMin = state.timeMin === 0 ? t : Math.min(state.timeMin, t);
      state.timeMax = Math.max(state.timeMax, t);
    }
    state.totalSum += total;
    state.totalSquares += total * total;
    state.absTotals += absoluteTotal(profile, typeIndex);
    if (state.sums.n === 1) {
      state.period = profile.period;
      state.periodType = profile.periodType;
      state.memStats = profile.memStats ?? null;
    } else state.memStats = null;
    const cut = truncatedStacks(profile, typeIndex);
    if (cut !== null) {
      const before = state.cut;
      state.cut = before === null ? cut : { depth: Math.max(before.depth, cut.depth), samples: before.samples + cut.samples, share: Math.max(before.share, cut.share) };
    }
  }

  private pair(side: SideName, index: number, values: SiteValues, total: number): void {
    const partner = this.waiting.get(index);
    if (partner === undefined) {
      this.waiting.set(index, { side, values, total });
      return;
    }
    if (partner.side === side) throw new ProfileError('invalid option', `${side} profile ${index + 1} was added twice`);
    this.waiting.delete(index);
    const [base, current] = side === 'current' ? [partner.values, values] : [values, partner.values];
    const difference = siteDifference(base, current);
    this.pairSums!.add(difference);
    this.routines?.addPair(difference);
    const d = side === 'current' ? total - partner.total : partner.total - total;
    this.pairTotals.sum += d;
    this.pairTotals.squares += d * d;
  }
}

function finishSummary(state: SideState): SetSummary {
  return {
    profiles: state.sums.n,
    timeNanos: state.timeMin,
    lastTimeNanos: state.timeMax,
    total: sideEstimate(state.sums.n, state.totalSum, state.totalSquares),
    absoluteTotal: state.absTotals / state.sums.n,
    totalVariance: state.totalVariance,
    period: state.period,
    periodType: state.periodType,
    truncatedStacks: state.cut,
    memStats: state.memStats,
  };
}

/** Every profile of both sides at once (the library's path; the CLI adds them as they decode). */
export function aggregateSets(
  base: readonly Profile[],
  current: readonly Profile[],
  options: SetOptions = {},
  sources: { base?: readonly string[]; current?: readonly string[] } = {},
): SetDiff {
  for (const [name, profiles] of [['base', base], ['current', current]] as const) {
    if (!Array.isArray(profiles)) throw new ProfileError('invalid option', `the ${name} side must be an array of profiles, not ${profiles === null ? 'null' : typeof profiles}`);
  }
  const builder = new SetDiffBuilder({ base: base.length, current: current.length }, options);
  for (const [side, profiles] of [['current', current], ['base', base]] as const) {
    profiles.forEach((p, i) => builder.add(side, i, p, sources[side]?.[i] ?? `${side} profile ${i + 1}`));
  }
  return builder.finish();
}
