import { hashInts } from '../base/hash.js';
/**
 * (parent, site) → child node id for building call trees: open addressing with linear probing
 * over typed arrays. A Map with millions of number keys is several times slower and allocates
 * as it goes; this grows by doubling only.
 */
export class ChildIndex {
  private parents: Int32Array;
  private sites: Int32Array;
  /** -1 marks an empty slot. */
  private ids: Int32Array;
  private used = 0;

  constructor(capacity = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.parents = new Int32Array(size);
    this.sites = new Int32Array(size);
    this.ids = new Int32Array(size).fill(-1);
  }

  /** The child's id, or -1 when the parent has none for this site yet. */
  get(parent: number, site: number): number {
    const mask = this.ids.length - 1;
    for (let slot = hashInts(parent, site) & mask; ; slot = (slot + 1) & mask) {
      const id = this.ids[slot]!;
      if (id === -1 || (this.parents[slot] === parent && this.sites[slot] === site)) return id;
    }
  }

  /** Records a child not recorded before (callers `get` first). */
  set(parent: number, site: number, id: number): void {
    if ((this.used + 1) * 2 > this.ids.length) this.grow();
    this.place(parent, site, id);
    this.used++;
  }

  private place(parent: number, site: number, id: number): void {
    const mask = this.ids.length - 1;
    let slot = hashInts(parent, site) & mask;
    while (this.ids[slot] !== -1) slot = (slot + 1) & mask;
    this.parents[slot] = parent;
    this.sites[slot] = site;
    this.ids[slot] = id;
  }

  private grow(): void {
    const { parents, sites, ids } = this;
    this.parents = new Int32Array(ids.length * 2);
    this.sites = new Int32Array(ids.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    for (let slot = 0; slot < ids.length; slot++) if (ids[slot] !== -1) this.place(parents[slot]!, sites[slot]!, ids[slot]!);
  }
}
