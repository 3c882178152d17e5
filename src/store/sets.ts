import type { SiteErrors } from '../analysis/aggregate.js';
import type { InlineMark } from '../analysis/call-edges.js';
import type { SetDiff, SetSummary } from '../analysis/profile-set.js';
import type { SamplingModel } from '../analysis/sampling.js';
import { sideEstimate } from '../analysis/side-estimate.js';
import { SideSums } from '../analysis/side-sums.js';
import { SiteTable, type Granularity } from '../analysis/sites.js';
import { ProfileError } from '../model/errors.js';
import type { Profile, ValueType } from '../model/profile.js';
import { findTypeByName, resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import type { Store } from './client.js';
import { sideSites, sideSummary, sideTypeSets, type StoredSite, type StoredSummary, type StoredTypeSet } from './query.js';
import type { StoreSide } from './side.js';
import { StoreError } from './url.js';

export interface StoreSetOptions {
  readonly sampleIndex?: SampleTypeSelector;
  readonly granularity?: Granularity;
}

/**
 * Two store sides as the set diff of issue 14 (analysis/profile-set.ts): ClickHouse returns each
 * side's profile count and per-site Σx and Σx², which fill the same SideSums a file side's
 * profiles fill one by one, so the same finishing function (sideEstimate) and report (topOfSets)
 * apply. A side of one profile also carries its sampling variances, as a file side does.
 */
export async function storeSetDiff(store: Store, base: StoreSide, current: StoreSide, options: StoreSetOptions = {}): Promise<SetDiff> {
  const granularity = options.granularity ?? 'functions';
  const [baseTypes, currentTypes] = await Promise.all([onlyTypeSet(store, base), onlyTypeSet(store, current)]);
  // As for files: the type is resolved on the current side, then found by name in the base.
  const currentIndex = resolveSampleType(typesAsProfile(currentTypes), options.sampleIndex);
  const sampleType = currentTypes.types[currentIndex]!;
  const baseIndex = findTypeByName(typesAsProfile(baseTypes), sampleType.type);
  if (baseIndex < 0) throw new ProfileError('selecting sample type', `${base.text}: sample type ${sampleType.type} is missing from its profiles (${baseTypes.source})`);
  const baseType = baseTypes.types[baseIndex]!;
  if (baseType.unit !== sampleType.unit) {
    throw new ProfileError('comparing profiles', `${base.text}: sample type ${sampleType.type} is in ${baseType.unit} there but in ${sampleType.unit} in ${current.text}`);
  }
  const [baseSummary, currentSummary, baseSites, currentSites] = await Promise.all([
    sideSummary(store, base, baseType.type),
    sideSummary(store, current, sampleType.type),
    sideSites(store, base, baseType.type, granularity),
    sideSites(store, current, sampleType.type, granularity),
  ]);
  const sites = new SiteTable(granularity);
  // Current first, as the file path adds the current side first.
  const currentIds = currentSites.map((s) => sites.siteOf(s.name, s.file, s.line, s.key));
  const baseIds = baseSites.map((s) => sites.siteOf(s.name, s.file, s.line, s.key));
  // Files of one profile a side are a two-profile diff, which names an unsymbolized frame by its
  // base address (as pprof does); a fleet names it by the current side's. So must the store.
  if (baseSummary.profiles === 1 && currentSummary.profiles === 1) baseSites.forEach((s, i) => (sites.names[baseIds[i]!] = s.name));
  return {
    kind: 'sets',
    sampleType,
    granularity,
    filters: {},
    sites,
    base: summary(baseSummary),
    current: summary(currentSummary),
    baseSums: sums(baseSummary.profiles, baseSites, baseIds, sites.size),
    currentSums: sums(currentSummary.profiles, currentSites, currentIds, sites.size),
    pairSums: null,
    pairTotal: null,
    inlineMarks: marks(sites.size, [
      [baseSites, baseIds],
      [currentSites, currentIds],
    ]),
    // The store keeps sites, not stacks: no call edges or start lines (list and peek read profiles).
    callEdges: null,
    helperEdges: null,
    startLines: null,
    routines: null,
    flame: null,
    baseSampling: baseSummary.profiles === 1 ? sampling(baseSummary, baseSites, baseIds, sites.size) : null,
    currentSampling: currentSummary.profiles === 1 ? sampling(currentSummary, currentSites, currentIds, sites.size) : null,
  };
}

async function onlyTypeSet(store: Store, side: StoreSide): Promise<StoredTypeSet> {
  const sets = await sideTypeSets(store, side);
  if (sets.length === 0) throw new StoreError(`${side.text}: no stored profile matches`);
  const names = (s: StoredTypeSet) => s.types.map((t) => `${t.type}/${t.unit}`).sort().join(', ');
  const odd = sets.find((s) => names(s) !== names(sets[0]!));
  if (odd !== undefined) {
    throw new ProfileError('comparing profiles', `${side.text}: ${odd.source} has sample types ${names(odd)}, unlike ${sets[0]!.source} (${names(sets[0]!)}); narrow the side with labels`);
  }
  return sets[0]!;
}

/** Just enough of a Profile for the sample-type selectors. */
function typesAsProfile(set: StoredTypeSet): Profile {
  return { sampleTypes: set.types, strings: ['', set.defaultType], defaultSampleType: set.defaultType === '' ? 0 : 1 } as unknown as Profile;
}

function summary(s: StoredSummary): SetSummary {
  const periodType: ValueType | undefined = s.periodType;
  return {
    profiles: s.profiles,
    timeNanos: s.timeMin,
    lastTimeNanos: s.timeMax,
    total: sideEstimate(s.profiles, s.totalSum, s.totalSquares),
    // As for files: a side of one profile is known by its sampling model, a set by its spread.
    totalVariance: s.profiles === 1 && s.model !== 'unknown' ? s.totalVariance : null,
    absoluteTotal: s.profiles > 0 ? s.absoluteSum / s.profiles : 0,
    period: s.period,
    periodType,
    // The store keeps no stacks: a cut stack cannot be seen, and MemStats belong to legacy files.
    truncatedStacks: null,
    memStats: null,
  };
}

function column(size: number, rows: readonly StoredSite[], ids: readonly number[], pick: (s: StoredSite) => number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(size);
  rows.forEach((row, i) => (out[ids[i]!] = pick(row)));
  return out;
}

function sums(n: number, rows: readonly StoredSite[], ids: readonly number[], size: number): SideSums {
  const out = new SideSums();
  out.n = n;
  out.flat.sum = column(size, rows, ids, (s) => s.flatSum);
  out.flat.sumSquares = column(size, rows, ids, (s) => s.flatSquares);
  out.cum.sum = column(size, rows, ids, (s) => s.cumSum);
  out.cum.sumSquares = column(size, rows, ids, (s) => s.cumSquares);
  return out;
}

/** A one-profile side's sampling variances, as aggregateWithError gives them for a file. */
function sampling(s: StoredSummary, rows: readonly StoredSite[], ids: readonly number[], size: number): SiteErrors {
  const model = s.model as SamplingModel;
  const known = model !== 'exact' && model !== 'unknown';
  return {
    flat: column(size, rows, ids, (r) => r.flatSum),
    cum: column(size, rows, ids, (r) => r.cumSum),
    model,
    period: s.period,
    flatVariance: known ? column(size, rows, ids, (r) => r.flatVariance) : null,
    cumVariance: known ? column(size, rows, ids, (r) => r.cumVariance) : null,
    flatCount: known ? column(size, rows, ids, (r) => r.flatCount) : null,
    cumCount: known ? column(size, rows, ids, (r) => r.cumCount) : null,
    flatAlloc: null,
    cumAlloc: null,
  };
}

/**
 * pprof's mark over every profile of both sides: inline when every edge into the site is inline,
 * partial-inline when some are. Per profile the store keeps the mark; a site inline in some
 * profiles and called plainly (unmarked) in others is partial-inline.
 */
function marks(size: number, sides: readonly (readonly [readonly StoredSite[], readonly number[]])[]): InlineMark[] {
  const seen = Array.from({ length: size }, () => new Set<string>());
  for (const [rows, ids] of sides) rows.forEach((row, i) => row.inlineMarks.forEach((m) => seen[ids[i]!]!.add(m)));
  return seen.map((m) => (m.has('partial-inline') || (m.has('inline') && m.has('')) ? 'partial-inline' : m.has('inline') ? 'inline' : null));
}
