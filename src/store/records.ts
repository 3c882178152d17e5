import { absoluteTotal, aggregateWithError, signedTotal } from '../analysis/aggregate.js';
import { siteInlineMarks } from '../analysis/call-edges.js';
import { SiteTable, type Granularity } from '../analysis/sites.js';
import type { Profile } from '../model/profile.js';
import { totalSide } from '../report/significance.js';
import type { Labels } from './labels.js';

/** The granularities the store keeps per site; `files` would need stacks (a cum per file). */
export const STORED_GRANULARITIES: readonly Granularity[] = ['functions', 'lines'];

/** One row of `profiles`, as inserted (JSONEachRow). */
export interface ProfileRow {
  profile_id: string;
  time_nanos: number;
  duration_nanos: number;
  ingested_at: number;
  source: string;
  sample_types: string[];
  sample_units: string[];
  default_sample_type: string;
  totals: number[];
  abs_totals: number[];
  total_vars: number[];
  total_counts: number[];
  sampling_models: string[];
  period: number;
  period_type: string;
  period_unit: string;
  label_keys: string[];
  label_values: string[];
}

/** One row of `sites`. */
export interface SiteRow {
  profile_id: string;
  time_nanos: number;
  sample_type: string;
  granularity: Granularity;
  name: string;
  /** What keys the site across profiles: the name, or for an unsymbolized frame its place in the binary. */
  site_key: string;
  file: string;
  line: number;
  flat: number;
  cum: number;
  flat_var: number;
  cum_var: number;
  flat_count: number;
  cum_count: number;
  /** pprof's (inline) / (partial-inline) mark from this profile's call edges into the site, or ''. */
  inline_mark: string;
}

export interface ProfileRecord {
  readonly profile: ProfileRow;
  readonly sites: SiteRow[];
}

/**
 * What the store keeps of one profile: its metadata and, per sample type and granularity, each
 * site's flat and cum (the same aggregation `top` runs on a file), so no query needs stacks.
 */
export function profileRecord(profile: Profile, id: string, source: string, labels: Labels, now: Date): ProfileRecord {
  const types = profile.sampleTypes;
  const timeNanos = Math.round(profile.timeNanos);
  const sites: SiteRow[] = [];
  for (const granularity of STORED_GRANULARITIES) {
    const table = new SiteTable(granularity);
    types.forEach((type, typeIndex) => {
      // The sampling model of #13 (src/analysis/sampling.ts): variances and raw sample counts per
      // site, summed over the site's samples as flat and cum are; 0 where the profile is exact.
      const values = aggregateWithError({ profile, typeIndex, sites: table });
      const marks = siteInlineMarks([{ profile, typeIndex }], table);
      for (let s = 0; s < table.size; s++) {
        const flat = values.flat[s] ?? 0;
        const cum = values.cum[s] ?? 0;
        if (flat === 0 && cum === 0) continue;
        sites.push({
          profile_id: id,
          time_nanos: timeNanos,
          sample_type: type.type,
          granularity,
          name: table.names[s]!,
          site_key: table.identityOf(s),
          file: table.files[s]!,
          line: table.lines[s]!,
          flat,
          cum,
          flat_var: values.flatVariance?.[s] ?? 0,
          cum_var: values.cumVariance?.[s] ?? 0,
          flat_count: values.flatCount?.[s] ?? 0,
          cum_count: values.cumCount?.[s] ?? 0,
          inline_mark: marks[s] ?? '',
        });
      }
    });
  }
  return {
    profile: {
      profile_id: id,
      time_nanos: timeNanos,
      duration_nanos: Math.round(profile.durationNanos),
      ingested_at: Math.floor(now.getTime() / 1000),
      source,
      sample_types: types.map((t) => t.type),
      sample_units: types.map((t) => t.unit),
      default_sample_type: profile.strings[profile.defaultSampleType] ?? '',
      totals: types.map((_, t) => signedTotal(profile, t)),
      abs_totals: types.map((_, t) => absoluteTotal(profile, t)),
      ...totalSampling(profile),
      period: profile.period,
      period_type: profile.periodType?.type ?? '',
      period_unit: profile.periodType?.unit ?? '',
      label_keys: [...labels.keys()],
      label_values: [...labels.values()],
    },
    sites,
  };
}

/** Per sample type, the total's sampling variance and raw samples, and the model (#13's totalSide). */
function totalSampling(profile: Profile): Pick<ProfileRow, 'total_vars' | 'total_counts' | 'sampling_models'> {
  const totals = profile.sampleTypes.map((_, t) => totalSide(profile, t));
  return {
    total_vars: totals.map((t) => t.side.variance),
    total_counts: totals.map((t) => t.side.rawCount),
    sampling_models: totals.map((t) => t.model),
  };
}
