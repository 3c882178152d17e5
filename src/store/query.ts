import type { Granularity } from '../analysis/sites.js';
import type { ValueType } from '../model/profile.js';
import type { Store } from './client.js';
import { TABLES } from './schema.js';
import type { StoreSide } from './side.js';
import { joinSql, sql, type Sql } from './sql.js';

/**
 * The store computes, per side, what heapdiff's own accumulator computes over files: the number
 * of profiles and, per site, Σx and Σx² (a profile without the site adds zero to both, so absent
 * = zero needs no rows), plus the summed sampling variances. heapdiff finishes the statistics
 * with the same function as for files. Every value from the user enters through the sql tag.
 */

/** The WHERE condition selecting a side's profiles in `profiles`. */
export function sideCondition(side: StoreSide): Sql {
  const parts: Sql[] = side.labels.map(
    ([key, value]) => sql`arrayExists((k, v) -> k = ${key} AND v = ${value}, label_keys, label_values)`,
  );
  if (side.from !== null) parts.push(sql`time_nanos >= ${side.from}`);
  if (side.to !== null) parts.push(sql`time_nanos < ${side.to}`);
  return parts.length === 0 ? sql`1` : joinSql(parts, ' AND ');
}

/** The sample types of a side's profiles: one entry per distinct set (one when they agree). */
export interface StoredTypeSet {
  readonly types: ValueType[];
  readonly defaultType: string;
  readonly profiles: number;
  /** One profile of this set, to name in messages. */
  readonly source: string;
}

export async function sideTypeSets(store: Store, side: StoreSide): Promise<StoredTypeSet[]> {
  const db = store.address.database;
  const rows = await store.rows<{ sample_types: string[]; sample_units: string[]; default_sample_type: string; n: string; source: string }>(sql`
    SELECT sample_types, sample_units, default_sample_type, uniqExact(profile_id) AS n, min(source) AS source
    FROM ${db}.${TABLES.profiles}
    WHERE ${sideCondition(side)}
    GROUP BY sample_types, sample_units, default_sample_type
    ORDER BY n DESC, source`);
  return rows.map((r) => ({
    types: r.sample_types.map((type, i) => ({ type, unit: r.sample_units[i] ?? '' })),
    defaultType: r.default_sample_type,
    profiles: Number(r.n),
    source: r.source,
  }));
}

/** A side as a whole for one sample type: counts, times, totals (per-profile sums and squares). */
export interface StoredSummary {
  readonly profiles: number;
  /** Earliest and latest known capture time (0 when none is known). */
  readonly timeMin: number;
  readonly timeMax: number;
  readonly totalSum: number;
  readonly totalSquares: number;
  readonly absoluteSum: number;
  readonly totalVariance: number;
  readonly totalCount: number;
  /** The sampling model of the type (the earliest profile's). */
  readonly model: string;
  /** The earliest profile's period and period type. */
  readonly period: number;
  readonly periodType: ValueType | undefined;
}

export async function sideSummary(store: Store, side: StoreSide, sampleType: string): Promise<StoredSummary> {
  const db = store.address.database;
  // The inner GROUP BY counts a profile once even before ClickHouse merged a duplicate.
  const [row] = await store.rows<Record<string, string | number>>(sql`
    SELECT
      count() AS n,
      minIf(t, t != 0) AS time_min,
      max(t) AS time_max,
      sum(total) AS total_sum,
      sum(total * total) AS total_squares,
      sum(abs_total) AS abs_sum,
      sum(total_var) AS total_var,
      sum(total_count) AS total_count,
      argMin(model, (t, id)) AS model,
      argMin(p, (t, id)) AS period,
      argMin(p_type, (t, id)) AS period_type,
      argMin(p_unit, (t, id)) AS period_unit
    FROM (
      SELECT
        profile_id AS id,
        any(time_nanos) AS t,
        any(totals[indexOf(sample_types, ${sampleType})]) AS total,
        any(abs_totals[indexOf(sample_types, ${sampleType})]) AS abs_total,
        any(total_vars[indexOf(sample_types, ${sampleType})]) AS total_var,
        any(total_counts[indexOf(sample_types, ${sampleType})]) AS total_count,
        any(sampling_models[indexOf(sample_types, ${sampleType})]) AS model,
        any(period) AS p,
        any(period_type) AS p_type,
        any(period_unit) AS p_unit
      FROM ${db}.${TABLES.profiles}
      WHERE ${sideCondition(side)} AND has(sample_types, ${sampleType})
      GROUP BY id
    )`);
  const r = row!;
  const periodType = String(r['period_type']);
  return {
    profiles: Number(r['n']),
    timeMin: Number(r['time_min']),
    timeMax: Number(r['time_max']),
    totalSum: Number(r['total_sum']),
    totalSquares: Number(r['total_squares']),
    absoluteSum: Number(r['abs_sum']),
    totalVariance: Number(r['total_var']),
    totalCount: Number(r['total_count']),
    model: String(r['model']),
    period: Number(r['period']),
    periodType: periodType === '' ? undefined : { type: periodType, unit: String(r['period_unit']) },
  };
}

/** One site of one side: Σ and Σ² of flat and cum over the side's profiles, and Σ of variances. */
export interface StoredSite {
  /** The smallest of the names the side's profiles gave the site (they differ only for unsymbolized frames). */
  readonly name: string;
  /** The site's identity across profiles (SiteTable.identityOf). */
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly flatSum: number;
  readonly flatSquares: number;
  readonly cumSum: number;
  readonly cumSquares: number;
  readonly flatVariance: number;
  readonly cumVariance: number;
  readonly flatCount: number;
  readonly cumCount: number;
  /** The distinct inline marks its profiles gave it ('' for none). */
  readonly inlineMarks: string[];
}

export async function sideSites(store: Store, side: StoreSide, sampleType: string, granularity: Granularity): Promise<StoredSite[]> {
  const db = store.address.database;
  // GLOBAL IN: on a cluster the profile list is computed once and sent to every shard.
  const rows = await store.rows<Record<string, string | number>>(sql`
    SELECT
      site_key, min(name) AS name, file, line,
      sum(flat) AS flat_sum, sum(flat * flat) AS flat_squares,
      sum(cum) AS cum_sum, sum(cum * cum) AS cum_squares,
      sum(flat_var) AS flat_var, sum(cum_var) AS cum_var,
      sum(flat_count) AS flat_count, sum(cum_count) AS cum_count,
      groupUniqArray(inline_mark) AS marks
    FROM ${db}.${TABLES.sites}
    WHERE sample_type = ${sampleType} AND granularity = ${granularity}
      AND profile_id GLOBAL IN (SELECT profile_id FROM ${db}.${TABLES.profiles} WHERE ${sideCondition(side)})
    GROUP BY site_key, file, line`);
  return rows.map((r) => ({
    name: String(r['name']),
    key: String(r['site_key']),
    file: String(r['file']),
    line: Number(r['line']),
    flatSum: Number(r['flat_sum']),
    flatSquares: Number(r['flat_squares']),
    cumSum: Number(r['cum_sum']),
    cumSquares: Number(r['cum_squares']),
    flatVariance: Number(r['flat_var']),
    cumVariance: Number(r['cum_var']),
    flatCount: Number(r['flat_count']),
    cumCount: Number(r['cum_count']),
    inlineMarks: r['marks'] as unknown as string[],
  }));
}
