import type { Profile } from '../model/profile.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import { aggregateWithError, profileTotals, type AggregateInput, type ProfileTotals, type SiteErrors } from './aggregate.js';
import { hasFilters } from './filters.js';
import { SiteTable, type Granularity } from './sites.js';

/** What one side's aggregation for a report depends on besides its profile (never filters). */
export interface SideRequest {
  readonly granularity: Granularity;
  readonly sampleIndex?: SampleTypeSelector;
}

/**
 * One profile aggregated alone, in a site table of its own: what a report's aggregateWithError
 * and profileTotals give for it, with a frame of each site, so that the report's own table takes
 * the columns over site by site (sideErrors). The CLI's helper thread makes one for the profile
 * it decodes while the main thread decodes the other side.
 */
export interface SideAggregate {
  readonly granularity: Granularity;
  readonly typeIndex: number;
  /** A frame of each site of the table the columns are indexed by (the site's key, without strings). */
  readonly siteFrame: Int32Array;
  readonly errors: SiteErrors;
  readonly totals: ProfileTotals;
  /**
   * The table itself, kept on the thread that made it for a report whose base this profile is:
   * the report takes it over (reportTable) instead of mapping the profile's frames again.
   */
  readonly sites?: SiteTable;
}

/**
 * Aggregates `profile` as a report at `request`'s granularity and sample type would, without
 * filters; `keepTable`: with its site table (SideAggregate.sites), for a base.
 */
export function aggregateSide(profile: Profile, request: SideRequest, keepTable = false): SideAggregate {
  const typeIndex = resolveSampleType(profile, request.sampleIndex);
  // Sites one by one: see SiteTable's constructor.
  const sites = new SiteTable(request.granularity, false);
  const frameSite = sites.siteOfFrames(profile);
  const errors = aggregateWithError({ profile, typeIndex, sites });
  const siteFrame = new Int32Array(sites.size);
  for (let f = 0; f < frameSite.length; f++) siteFrame[frameSite[f]!] = f;
  const side = { granularity: request.granularity, typeIndex, siteFrame, errors, totals: profileTotals(profile, typeIndex) };
  return keepTable ? { ...side, sites } : side;
}

/** The typed arrays of a side, whose buffers can move between threads. */
export function sideArrays({ siteFrame, errors }: SideAggregate): ArrayBufferView[] {
  return [siteFrame, ...columnsOf(errors).filter((c): c is Float64Array => c !== null)];
}

function columnsOf(errors: SiteErrors): (Float64Array | null)[] {
  return [errors.flat, errors.cum, errors.flatVariance, errors.cumVariance, errors.flatCount, errors.cumCount, errors.flatAlloc, errors.cumAlloc];
}

/** Sides aggregated ahead of the report, by the profile they were made from (internal: the CLI's). */
const adopted = new WeakMap<Profile, SideAggregate>();
/** Site tables already taken over by a report: each is one report's, which maps more profiles into it. */
const taken = new WeakSet<SiteTable>();

/**
 * The site table an adopted side of `base` was made in, for a report at `granularity` whose base
 * it is, or undefined: it holds the base's sites alone, in the order a new table would number
 * them, so that the report starts from it. Given once.
 */
export function reportTable(base: Profile, granularity: Granularity): SiteTable | undefined {
  const sites = adopted.get(base)?.sites;
  if (sites === undefined || sites.granularity !== granularity || taken.has(sites)) return undefined;
  taken.add(sites);
  return sites;
}

/** Lets reports of `profile` take `side` instead of aggregating it again, where it fits. */
export function adoptSide(profile: Profile, side: SideAggregate): void {
  adopted.set(profile, side);
}

/**
 * aggregateWithError, or the same columns taken from an adopted side made for the same
 * granularity and sample type when there are no filters. Each site's sums were added in sample
 * order there as here, so the numbers are the same to the bit; only the site ids differ.
 */
export function sideErrors(input: AggregateInput): SiteErrors {
  const side = adopted.get(input.profile);
  if (side === undefined || hasFilters(input.filters ?? {}) || side.granularity !== input.sites.granularity || side.typeIndex !== input.typeIndex) return aggregateWithError(input);
  // Made in this very table (reportTable): the sites are numbered alike, the table may have grown.
  if (side.sites === input.sites) return extendErrors(side.errors, input.sites.size);
  return remapErrors(side, input.sites.siteOfFrames(input.profile), input.sites.size);
}

/** Columns `size` long, copied from shorter ones (zero at the sites added since). */
function extendErrors(errors: SiteErrors, size: number): SiteErrors {
  const out = columnsOf(errors).map((from) => {
    if (from === null || from.length === size) return from;
    const to = new Float64Array(size);
    to.set(from);
    return to;
  });
  return withColumns(errors, out);
}

/** profileTotals, or an adopted side's for the same sample type (totals are before filters). */
export function sideTotals(profile: Profile, typeIndex: number): ProfileTotals {
  const side = adopted.get(profile);
  return side !== undefined && side.typeIndex === typeIndex ? side.totals : profileTotals(profile, typeIndex);
}

/** A side's columns re-indexed by `frameSite`'s sites, `size` long (zero at sites it lacks, as aggregateWithError leaves them). */
function remapErrors(side: SideAggregate, frameSite: Int32Array, size: number): SiteErrors {
  const { errors } = side;
  // Both tables key sites by the same fields: a site there is the site of any of its frames here.
  // Usually the numbers are the same (the report's table starts with the base, and a current side
  // like its base lists its functions in the same order): the columns are then copied whole.
  const target = new Int32Array(side.siteFrame.length);
  let same = true;
  for (let s = 0; s < target.length; s++) {
    target[s] = frameSite[side.siteFrame[s]!]!;
    same &&= target[s] === s;
  }
  const out = columnsOf(errors).map((from) => {
    if (from === null) return null;
    const to = new Float64Array(size);
    if (same) to.set(from);
    else scatter(from, target, to);
    return to;
  });
  return withColumns(errors, out);
}

/** `errors`' model with these columns (columnsOf's order). */
function withColumns(errors: SiteErrors, out: (Float64Array | null)[]): SiteErrors {
  return {
    model: errors.model,
    period: errors.period,
    flat: out[0]!,
    cum: out[1]!,
    flatVariance: out[2] ?? null,
    cumVariance: out[3] ?? null,
    flatCount: out[4] ?? null,
    cumCount: out[5] ?? null,
    flatAlloc: out[6] ?? null,
    cumAlloc: out[7] ?? null,
  };
}

/** to[target[s]] = from[s]. */
function scatter(from: Float64Array, target: Int32Array, to: Float64Array): void {
  for (let s = 0; s < from.length; s++) to[target[s]!] = from[s]!;
}
