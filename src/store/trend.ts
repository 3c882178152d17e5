import type { Granularity } from '../analysis/sites.js';
import { sampleTableOf, type Profile, type ValueType } from '../model/profile.js';
import type { Store } from './client.js';
import { sideCondition, sideTypeSets } from './query.js';
import { TABLES } from './schema.js';
import type { StoreSide } from './side.js';
import { sql } from './sql.js';
import { StoreError } from './url.js';

export interface BucketOptions {
  /** Bucket width in nanoseconds; buckets start at multiples of it since the epoch. */
  readonly bucketNanos: number;
  readonly granularity: Granularity;
  /** Which value the trend follows: each bucket's snapshot carries only that one per site. */
  readonly value: 'flat' | 'cum';
}

export interface BucketSnapshots {
  readonly profiles: Profile[];
  /** One name per snapshot: the side, the bucket's start and how many profiles it averages. */
  readonly sources: string[];
}

/**
 * A store side as a series of snapshots for `trend`: one per time bucket that holds profiles,
 * each the per-profile mean of its bucket (ClickHouse sums per bucket and site; heapdiff divides
 * by the bucket's profile count), taken at the mean capture time of its profiles. A snapshot is a profile whose samples are one frame per site
 * carrying that mean, plus one stackless sample per type that makes its total the bucket's mean
 * total, so the trend analysis runs on it unchanged. Profiles without a capture time are left out.
 */
export async function bucketSnapshots(store: Store, side: StoreSide, options: BucketOptions): Promise<BucketSnapshots> {
  const sets = await sideTypeSets(store, side);
  if (sets.length === 0) throw new StoreError(`${side.text}: no stored profile matches`);
  if (sets.length > 1) {
    const [a, b] = sets;
    const names = (s: typeof a) => s!.types.map((t) => t.type).join(', ');
    throw new StoreError(`${side.text}: its profiles have different sample types (${names(a)} in ${a!.source}; ${names(b)} in ${b!.source}); narrow it with labels`);
  }
  const { types, defaultType } = sets[0]!;
  const db = store.address.database;
  const width = BigInt(Math.round(options.bucketNanos));
  const timed = sql`${sideCondition(side)} AND time_nanos > 0`;
  const buckets = await store.rows<{ bucket: string; n: string; time: number; period: number; totals: number[]; period_type: string; period_unit: string }>(sql`
    SELECT intDiv(t, ${width}) AS bucket, count() AS n, avg(t) AS time, max(p) AS period, sumForEach(tot) AS totals,
      any(p_type) AS period_type, any(p_unit) AS period_unit
    FROM (
      SELECT profile_id AS id, any(time_nanos) AS t, any(totals) AS tot, any(period) AS p,
        any(period_type) AS p_type, any(period_unit) AS p_unit
      FROM ${db}.${TABLES.profiles}
      WHERE ${timed}
      GROUP BY id
    )
    GROUP BY bucket
    ORDER BY bucket`);
  const column = options.value === 'cum' ? sql`cum` : sql`flat`;
  const sites = await store.rows<StoredBucketSite>(sql`
    SELECT intDiv(time_nanos, ${width}) AS bucket, sample_type, site_key, min(name) AS name, file, line, sum(${column}) AS v
    FROM ${db}.${TABLES.sites}
    WHERE granularity = ${options.granularity}
      AND profile_id GLOBAL IN (SELECT profile_id FROM ${db}.${TABLES.profiles} WHERE ${timed})
    GROUP BY bucket, sample_type, site_key, file, line
    ORDER BY bucket, sample_type, site_key, file, line`);
  const byBucket = new Map<string, typeof sites>();
  for (const row of sites) {
    const list = byBucket.get(row.bucket) ?? [];
    list.push(row);
    byBucket.set(row.bucket, list);
  }
  const profiles: Profile[] = [];
  const sources: string[] = [];
  for (const b of buckets) {
    const n = Number(b.n);
    const start = Number(BigInt(b.bucket) * width);
    const periodType = b.period_type === '' ? undefined : { type: b.period_type, unit: b.period_unit };
    profiles.push(meanSnapshot({ types, defaultType, timeNanos: b.time, period: b.period, periodType }, n, b.totals, byBucket.get(b.bucket) ?? []));
    // Worded as top's header words a side: `1 profile`, `mean of 2 profiles`.
    sources.push(`${side.text}@${new Date(start / 1e6).toISOString()} (${n === 1 ? '1 profile' : `mean of ${n} profiles`})`);
  }
  return { profiles, sources };
}

/** A site's summed value in one bucket; `site_key` as SiteTable.identityOf gave it at ingest. */
interface StoredBucketSite {
  bucket: string;
  sample_type: string;
  site_key: string;
  name: string;
  file: string;
  line: number;
  v: number;
}

/** The bucket's mean as a profile: see bucketSnapshots. */
function meanSnapshot(
  head: { types: readonly ValueType[]; defaultType: string; timeNanos: number; period: number; periodType: ValueType | undefined },
  n: number,
  totals: readonly number[],
  sites: readonly StoredBucketSite[],
): Profile {
  const { types, timeNanos, period, periodType } = head;
  const strings = [''];
  const interned = new Map<string, number>([['', 0]]);
  const str = (s: string) => {
    let i = interned.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      interned.set(s, i);
    }
    return i;
  };
  const frameOf = new Map<string, number>();
  const unsymbolized = new Map<number, string>();
  const name: number[] = [];
  const file: number[] = [];
  const line: number[] = [];
  const stride = types.length;
  const values: number[] = [];
  const stackStart: number[] = [0];
  const stackFrames: number[] = [];
  const placed = new Float64Array(stride);
  for (const site of sites) {
    const t = types.findIndex((type) => type.type === site.sample_type);
    if (t < 0) continue;
    const key = `${site.site_key}\0${site.file}\0${site.line}`;
    let frame = frameOf.get(key);
    if (frame === undefined) {
      frame = name.length;
      frameOf.set(key, frame);
      name.push(str(site.name));
      // An unsymbolized frame keeps its identity, so the buckets' snapshots line it up as files do.
      if (site.site_key !== site.name) unsymbolized.set(str(site.name), site.site_key.slice(1));
      file.push(str(site.file));
      line.push(site.line);
    }
    const row = new Array<number>(stride).fill(0);
    row[t] = site.v / n;
    placed[t]! += site.v / n;
    values.push(...row);
    stackFrames.push(frame);
    stackStart.push(stackFrames.length);
  }
  // Stackless: counted in the total, never in a site's flat or cum.
  values.push(...types.map((_, t) => (totals[t] ?? 0) / n - placed[t]!));
  stackStart.push(stackFrames.length);
  return {
    strings,
    sampleTypes: types,
    defaultSampleType: str(head.defaultType),
    periodType,
    period,
    timeNanos,
    durationNanos: 0,
    comments: [],
    mainBinary: '',
    ...(unsymbolized.size > 0 ? { unsymbolized } : {}),
    frames: {
      count: name.length,
      name: Int32Array.from(name),
      file: Int32Array.from(file),
      line: Int32Array.from(line),
      startLine: new Int32Array(name.length),
      inlined: new Uint8Array(name.length),
    },
    samples: sampleTableOf(stackStart, stackFrames, values),
  };
}
