import type { Profile } from '../model/profile.js';
import type { SiteErrors, SiteValues } from './aggregate.js';
import type { SampleFilters } from './filters.js';
import { RoutineIds } from './routine-ids.js';
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
  /** The routines, by function and file. */
  readonly ids = new RoutineIds();
  readonly base = new SideSums();
  readonly current = new SideSums();
  /** Per-pair differences of the headers, when the sides are paired. */
  readonly pairs: SideSums | null;
  /** A side of one profile: its headers' sampling errors, as SiteErrors indexed by routine. */
  baseSampling: SiteErrors | null = null;
  currentSampling: SiteErrors | null = null;

  constructor(
    private readonly sites: SiteTable,
    paired: boolean,
  ) {
    this.pairs = paired ? new SideSums() : null;
  }

  /** Adds one profile's line values; a side of one profile also gets its headers' sampling errors. */
  add(side: 'base' | 'current', values: SiteValues, alone: { profile: Profile; typeIndex: number; filters: SampleFilters } | null): void {
    // The headers map the sites this profile added first: routineSides reads them too.
    this[side].add(this.headers(values));
    if (alone === null) return;
    const sampled = routineSides(alone.profile, alone.typeIndex, this.sites, this.ids.of(this.sites), this.ids.size, alone.filters);
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
    const routineOf = this.ids.of(this.sites);
    const flat = new Float64Array(this.ids.size);
    const cum = new Float64Array(this.ids.size);
    const n = Math.min(values.flat.length, routineOf.length);
    for (let s = 0; s < n; s++) {
      const r = routineOf[s]!;
      flat[r]! += values.flat[s]!;
      cum[r]! += values.cum[s]!;
    }
    return { flat, cum };
  }
}
