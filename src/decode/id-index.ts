import type { F64List } from '../base/growable.js';

/**
 * Finds the position of an id among the ids of a message list; a repeated id resolves to its
 * last occurrence, as a Map filled in order would. Producers number ids 1..n, so a flat array
 * usually serves; sparse ids fall back to a Map.
 */
export class IdIndex {
  private readonly dense: Int32Array | null = null;
  private readonly sparse: Map<number, number> | null = null;

  constructor(ids: F64List) {
    let max = 0;
    for (let k = 0; k < ids.length; k++) max = Math.max(max, ids.at(k));
    if (max <= 2 * ids.length + 1024) {
      const dense = new Int32Array(max + 1).fill(-1);
      for (let k = 0; k < ids.length; k++) dense[ids.at(k)] = k;
      this.dense = dense;
    } else {
      const sparse = new Map<number, number>();
      for (let k = 0; k < ids.length; k++) sparse.set(ids.at(k), k);
      this.sparse = sparse;
    }
  }

  /** The position of `id`, or -1 when no message has it. */
  get(id: number): number {
    if (this.dense !== null) return id < this.dense.length ? this.dense[id]! : -1;
    return this.sparse!.get(id) ?? -1;
  }
}
