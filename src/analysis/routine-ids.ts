import type { SiteTable } from './sites.js';

/** The key of `list`'s routine (one function in one file), as every map of routines is keyed. */
export function routineKey(name: string, file: string): string {
  return `${name}\0${file}`;
}

/**
 * `list`'s routines as ids over the line sites of a SiteTable: each site's routine, kept up to
 * date as the table grows (a set of profiles adds sites profile by profile).
 */
export class RoutineIds {
  private readonly ids = new Map<string, number>();
  private routineOf = new Int32Array(64);
  private mapped = 0;

  get size(): number {
    return this.ids.size;
  }

  /** The routine of a function in a file, or -1 when no site of the table is in it. */
  idOf(name: string, file: string): number {
    return this.ids.get(routineKey(name, file)) ?? -1;
  }

  /** Each site's routine, for every site the table has now. */
  of(sites: SiteTable): Int32Array {
    if (this.routineOf.length < sites.size) {
      const grown = new Int32Array(Math.max(sites.size, 2 * this.routineOf.length));
      grown.set(this.routineOf);
      this.routineOf = grown;
    }
    for (let s = this.mapped; s < sites.size; s++) {
      const key = routineKey(sites.names[s]!, sites.files[s]!);
      let r = this.ids.get(key);
      if (r === undefined) this.ids.set(key, (r = this.ids.size));
      this.routineOf[s] = r;
    }
    this.mapped = sites.size;
    return this.routineOf.subarray(0, this.mapped);
  }
}
