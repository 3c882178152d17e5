import type { F64List } from '../base/growable.js';

/**
 * Finds the position of an id among the ids of a message list; a repeated id resolves to its
 * last occurrence, as a Map filled in order would. Producers number ids 1..n in order (Go
 * does), so position = id - 1 usually serves; else a flat array, and sparse ids fall back to a Map.
 */
export class IdIndex {
  /** Ids are 1..n in order: no table at all. */
  readonly ordered: boolean;
  private readonly count: number;
  private readonly dense: Int32Array | null = null;
  private readonly sparse: Map<number, number> | null = null;

  constructor(ids: F64List) {
    const data = ids.data;
    const n = ids.length;
    this.count = n;
    this.ordered = orderedPrefix(data, n) === n;
    if (this.ordered) return;
    let max = 0;
    let k;
    for (k = 0; k < n; k++) max = Math.max(max, data[k]!);
    if (max <= 2 * n + 1024) {
      const dense = new Int32Array(max + 1).fill(-1);
      for (k = 0; k < n; k++) dense[data[k]!] = k;
      this.dense = dense;
    } else {
      const sparse = new Map<number, number>();
      for (k = 0; k < n; k++) sparse.set(data[k]!, k);
      this.sparse = sparse;
    }
  }

  /** The position of `id`, or -1 when no message has it. */
  get(id: number): number {
    if (this.ordered) return id >= 1 && id <= this.count ? id - 1 : -1;
    if (this.dense !== null) return id < this.dense.length ? this.dense[id]! : -1;
    return this.sparse!.get(id) ?? -1;
  }
}

/** How many ids from the first are 1, 2, 3, …: a loop alone in its function, as the JIT likes (wire-decoder.ts locateStacks). */
function orderedPrefix(ids: Float64Array, n: number): number {
  let k = 0;
  while (k < n && ids[k] === k + 1) k++;
  return k;
}
