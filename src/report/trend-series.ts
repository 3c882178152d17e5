import { aggregate, aggregateWithError, type SiteErrors } from '../analysis/aggregate.js';
import type { SampleFilters } from '../analysis/filters.js';
import { SiteTable, type Granularity } from '../analysis/sites.js';
import type { Profile } from '../model/profile.js';
import { findTypeByName } from '../model/sample-type.js';

export interface SeriesTableOptions {
  readonly granularity: Granularity;
  readonly value: 'flat' | 'cum';
  readonly filters: SampleFilters;
  /** Aggregated at once, so `sites` holds every site of every snapshot from the start. */
  readonly mainType: string;
}

/**
 * Per-site series across snapshots: each sample type is aggregated once per snapshot into one
 * shared SiteTable, then read a site at a time. Types are matched by name in every snapshot.
 */
export class SeriesTable {
  readonly sites: SiteTable;
  private readonly columns = new Map<string, Float64Array[] | null>();

  /** The first and last snapshots with sampling errors (main type), for testing first → last. */
  readonly ends: readonly [SiteErrors, SiteErrors] | null;

  constructor(
    private readonly snapshots: readonly Profile[],
    private readonly options: SeriesTableOptions,
  ) {
    this.sites = new SiteTable(options.granularity);
    this.column(options.mainType);
    const first = snapshots[0]!;
    const last = snapshots[snapshots.length - 1]!;
    const [i, j] = [findTypeByName(first, options.mainType), findTypeByName(last, options.mainType)];
    this.ends =
      i < 0 || j < 0
        ? null
        : [
            aggregateWithError({ profile: first, typeIndex: i, sites: this.sites, filters: options.filters }),
            aggregateWithError({ profile: last, typeIndex: j, sites: this.sites, filters: options.filters }),
          ];
  }

  /**
   * The site's value of `type` in each snapshot, or null when a snapshot lacks the type. Sites
   * are interned as snapshots are aggregated: one absent from a snapshot is 0 there.
   */
  series(type: string, site: number): number[] | null {
    const column = this.column(type);
    return column && column.map((values) => values[site] ?? 0);
  }

  private column(type: string): Float64Array[] | null {
    let column = this.columns.get(type);
    if (column === undefined) {
      const indices = this.snapshots.map((p) => findTypeByName(p, type));
      const { value, filters } = this.options;
      column = indices.some((i) => i < 0)
        ? null
        : this.snapshots.map((profile, k) => aggregate({ profile, typeIndex: indices[k]!, sites: this.sites, filters })[value]);
      this.columns.set(type, column);
    }
    return column;
  }
}
