import type { Profile } from '../model/profile.js';
import type { SiteErrors, SiteValues } from './aggregate.js';
import type { SampleFilters } from './filters.js';
import { routineSides } from './routine-sums.js';
import { SideSums } from './side-sums.js';
import type { SiteTable } from './sites.js';

/**
 * The headers of `list`'s routines (one function in one file) over sets of profiles aggregated by
 * lines: each profile's routine totals, summed as Σx and Σx² per side (and per pair), so that a
 * header's change is tested as a line's is. A profile's header is the sum of its lines' values,
 * exactly as pprof's ROUTINE line sums them (cum counts a sample once per line of the routine on
 * its stack); the spread of those per-profile totals is what the lines' own sums cannot give.
 */
export class RoutineSetSums {
  /** `name\0file` → routine id. */
  readonly ids = new Map<string, number>();
  readonly base = new SideSums();
  readonly current = new SideSums();
  /** Per-pair differences of the headers, when the sides are paired. */
  readonly pairs: SideSums | null;
  /** A side of one profile: its headers' sampling errors, as SiteErrors indexed by routine. */
  baseSampling: SiteErrors | null = null;
  currentSampling: SiteErrors | null = null;
  private routineOf = new Int32Array(64);
  private mapped = 0;

  constructor(
    private readonly sites: SiteTable,
    paired: boolean,
  ) {
    this.pairs = paired ? new SideSums() : null;
  }

  /** Adds one profile's line values; a side of one profile also gets its headers' sampling errors. */
  add(side: 'base' | 'current', values: SiteValues, alone: { profile: Profile; typeIndex: number; filters: SampleFilters } | null): void {
    this[side].add(this.headers(values));
    if (alone === null) return;
    const sampled = routineSides(alone.profile, alone.typeIndex, this.sites, this.routineOf.subarray(0, this.mapped), this.ids.size, alone.filters);
    const column = (key: 'flat' | 'cum', field: 'value' | 'variance' | 'rawCount') => Float64Array.from(sampled[key], (x) => x[field]);
    const errors: SiteErrors = {
      flat: column('flat', 'value'),
      cum: column('cum', 'value'),
      model: sampled.model,
      period: alone.profile.period,
      flatVariance: column('flat', 'variance'),
      cumVariance: column('cum', 'variance'),
      flatCount: column('flat', 'rawCount'),
      cumCount: column('cum', 'rawCount'),
      // Sets are never one process: the alloc_* bound of --same-process is not used.
      flatAlloc: null,
      cumAlloc: null,
    };
    if (side === 'base') this.baseSampling = errors;
    else this.currentSampling = errors;
  }

  /** Adds one pair's line differences (current − base). */
  addPair(difference: SiteValues): void {
    this.pairs?.add(this.headers(difference));
  }

  /** Each routine's header of one profile: its lines' flat and cum summed. */
  private headers(values: SiteValues): SiteValues {
    this.mapSites();
    const flat = new Float64Array(this.ids.size);
    const cum = new Float64Array(this.ids.size);
    const n = Math.min(values.flat.length, this.mapped);
    for (let s = 0; s < n; s++) {
      const r = this.routineOf[s]!;
      flat[r]! += values.flat[s]!;
      cum[r]! += values.cum[s]!;
    }
    return { flat, cum };
  }

  /** Gives every site the table gained since the last profile its routine. */
  private mapSites(): void {
    const { sites } = this;
    if (this.routineOf.length < sites.size) {
      const grown = new Int32Array(Math.max(sites.size, 2 * this.routineOf.length));
      grown.set(this.routineOf);
      this.routineOf = grown;
    }
    for (let s = this.mapped; s < sites.size; s++) {
      const key = `${sites.names[s]}\0${sites.files[s]}`;
      let r = this.ids.get(key);
      if (r === undefined) this.ids.set(key, (r = this.ids.size));
      this.routineOf[s] = r;
    }
    this.mapped = sites.size;
  }
}
