import { F64List, U32List } from '../base/growable.js';
import { checkOptions, numberIn, sampleSelector, type OptionRule } from '../model/options.js';
import type { Profile, ValueType } from '../model/profile.js';
import { resolveSampleType, type SampleTypeSelector } from '../model/sample-type.js';
import { compareStrings } from '../base/compare.js';
import { ChildIndex } from './child-index.js';
import { asDiffIfMarked, isDiff, resolveDiffSampleType, type ProfileOrDiff } from './diff.js';
import { FILTER_RULES, frameFilterBits, isHidden, keepsSample, pickFilters, type SampleFilters } from './filters.js';
import { SiteTable } from './sites.js';

/**
 * Call paths narrower than this fraction of the root's extent (or, in growth mode, of the root's
 * growth) are merged into one box per parent: 1/2000 is under a pixel across a 2000-pixel-wide
 * graph, so nothing visible is lost at full view, and a 100k-sample profile keeps a few thousand
 * boxes instead of millions (an HTML report of megabytes, not hundreds of them).
 */
export const MIN_BOX_FRACTION = 1 / 2000;

/** A call path's values on one side: at its leaf (self) and through it (total). */
export interface SelfTotal {
  /** Samples whose leaf is this call path. */
  readonly self: number;
  /** Samples passing through it. */
  readonly total: number;
}

/**
 * One call path, root → this frame; children are sorted by name, a merged box last. A merged box
 * has no children: its self is its total.
 */
export interface FlameNode {
  /** Function name; '' for the root and for a merged box. */
  readonly name: string;
  /** Null for a single profile. */
  readonly base: SelfTotal | null;
  readonly current: SelfTotal;
  /**
   * Σ max(0, Δself) over the subtree: growth that never sums past the parent's, so it can be
   * drawn as a width (shrinking elsewhere in the subtree does not cancel it).
   */
  readonly growth: number;
  /**
   * max(base.self, current.self) + Σ children's extent: at least the larger of base and current
   * total, and never less than the children together, so it can be drawn as a width (summed
   * max(base, current) of siblings can exceed their parent's when paths trade places).
   */
  readonly extent: number;
  /** How many sibling call paths, each too small to see, this box stands for; 0 for a real one. */
  readonly merged: number;
  readonly children: readonly FlameNode[];
}

/** The call-path tree flameGraph builds, what the HTML `top` report draws as an icicle. */
export interface FlameGraph {
  /** 'diff' for two profiles, 'profile' for one (then every `base` is null). */
  readonly kind: 'diff' | 'profile';
  /** The sample type the values are of. */
  readonly sampleType: ValueType;
  /** The filters the samples passed, as `top` applies them. */
  readonly filters: SampleFilters;
  /** Call paths smaller than this fraction of the whole (extent, and growth) were merged into boxes. */
  readonly minFraction: number;
  /** Call paths before merging (the root not counted). */
  readonly paths: number;
  readonly root: FlameNode;
}

/** Options of flameGraph: the sample type, the smallest box kept, and `top`'s filters. */
export interface FlameOptions extends SampleFilters {
  /** Sample type name or index; default: the profile's default, else its last type (as `top`). */
  readonly sampleIndex?: SampleTypeSelector;
  /** Default MIN_BOX_FRACTION; 0 keeps every call path. */
  readonly minFraction?: number;
}

const BASE = 0;
const CURRENT = 1;

/**
 * The call-path tree of a profile or a diff, frames by function name (inlined frames expanded, as
 * in the model), with both sides' values per path. Filters work as in `top`, so a function's
 * self summed over its paths is its flat there.
 */
export function flameGraph(profileOrDiff: ProfileOrDiff, options: FlameOptions = {}): FlameGraph {
  checkOptions(options, { sampleIndex: sampleSelector, minFraction: numberIn(0, 1), ...FILTER_RULES } satisfies Record<keyof FlameOptions, OptionRule>);
  const input = asDiffIfMarked(profileOrDiff);
  const filters = pickFilters(options);
  const minFraction = options.minFraction ?? MIN_BOX_FRACTION;
  const sites = new SiteTable('functions');
  if (isDiff(input)) {
    const types = resolveDiffSampleType(input, options.sampleIndex);
    const baseSites = sites.siteOfFrames(input.base);
    const currentSites = sites.siteOfFrames(input.current);
    const tree = new CallTree();
    tree.add(BASE, input.base, types.base, baseSites, filters);
    tree.add(CURRENT, input.current, types.current, currentSites, filters);
    return { kind: 'diff', sampleType: types.sampleType, filters, minFraction, paths: tree.size - 1, root: tree.prune(sites, minFraction, true) };
  }
  const typeIndex = resolveSampleType(input, options.sampleIndex);
  const frameSites = sites.siteOfFrames(input);
  const tree = new CallTree();
  tree.add(CURRENT, input, typeIndex, frameSites, filters);
  const sampleType = input.sampleTypes[typeIndex]!;
  return { kind: 'profile', sampleType, filters, minFraction, paths: tree.size - 1, root: tree.prune(sites, minFraction, false) };
}

/**
 * The call-path tree of two sets of profiles, built one profile at a time (memory is the tree's,
 * not the profiles'): each side's values are summed over its profiles, then divided by how many it
 * had, so every box is the per-profile mean of its call path, base and current. One profile per
 * side gives `flameGraph` of their diff.
 */
export class FlameBuilder {
  private readonly sites = new SiteTable('functions');
  private readonly tree = new CallTree();
  private readonly profiles = [0, 0];
  private graph: FlameGraph | null = null;

  constructor(
    private readonly filters: SampleFilters = {},
    private readonly minFraction = MIN_BOX_FRACTION,
  ) {}

  /** Adds one profile's samples of type `typeIndex` to side 0 (base) or 1 (current). */
  add(side: 0 | 1, profile: Profile, typeIndex: number): void {
    this.tree.add(side, profile, typeIndex, this.sites.siteOfFrames(profile), this.filters);
    this.profiles[side]!++;
  }

  /** The graph of the per-profile means, once every profile was added (later calls return the same). */
  finish(sampleType: ValueType): FlameGraph {
    if (this.graph !== null) return this.graph;
    for (const side of [BASE, CURRENT] as const) this.tree.divide(side, Math.max(1, this.profiles[side]!));
    const { filters, minFraction, tree } = this;
    this.graph = { kind: 'diff', sampleType, filters, minFraction, paths: tree.size - 1, root: tree.prune(this.sites, minFraction, true) };
    return this.graph;
  }
}

/** The unmerged tree as parallel growable arrays: node 0 is the root, a parent's id < its child's. */
class CallTree {
  private readonly parent = new U32List();
  private readonly site = new U32List();
  private readonly self = [new F64List(), new F64List()] as const;
  private readonly total = [new F64List(), new F64List()] as const;
  private readonly children = new ChildIndex();

  constructor() {
    this.node(0, 0); // the root: its site is never read
  }

  get size(): number {
    return this.parent.length;
  }

  /** One pass over the samples; the only allocation is the nodes of call paths not seen before. */
  add(side: 0 | 1, profile: Profile, typeIndex: number, frameSite: Int32Array, filters: SampleFilters): void {
    const bits = frameFilterBits(profile, filters);
    const hasFocus = Boolean(filters.focus);
    const { count, stackStart, stackFrames, values } = profile.samples;
    const stride = profile.sampleTypes.length;
    for (let i = 0; i < count; i++) {
      const v = values[i * stride + typeIndex]!;
      if (v === 0) continue;
      const start = stackStart[i]!;
      const end = stackStart[i + 1]!;
      if (bits !== null && !keepsSample(stackFrames.subarray(start, end), bits, hasFocus)) continue;
      let node = 0;
      this.total[side].data[0]! += v;
      // Stacks are leaf first; the tree grows from the root.
      for (let k = end - 1; k >= start; k--) {
        const frame = stackFrames[k]!;
        if (isHidden(bits, frame)) continue;
        node = this.child(node, frameSite[frame]!);
        this.total[side].data[node]! += v;
      }
      this.self[side].data[node]! += v;
    }
  }

  /** Divides one side's values by `n`: sums over n profiles become per-profile means. */
  divide(side: 0 | 1, n: number): void {
    if (n === 1) return;
    const self = this.self[side].data;
    const total = this.total[side].data;
    for (let id = 0; id < this.size; id++) {
      self[id] = self[id]! / n;
      total[id] = total[id]! / n;
    }
  }

  private child(parent: number, site: number): number {
    let id = this.children.get(parent, site);
    if (id === -1) {
      id = this.node(parent, site);
      this.children.set(parent, site, id);
    }
    return id;
  }

  private node(parent: number, site: number): number {
    this.parent.push(parent);
    this.site.push(site);
    this.self[BASE].push(0);
    this.self[CURRENT].push(0);
    this.total[BASE].push(0);
    this.total[CURRENT].push(0);
    return this.parent.length - 1;
  }

  /** The tree as objects, each parent's call paths below the thresholds merged into one box. */
  prune(sites: SiteTable, minFraction: number, diff: boolean): FlameNode {
    const n = this.size;
    const parent = this.parent.data;
    const [baseSelf, currentSelf] = this.self.map((l) => l.data);
    const [baseTotal, currentTotal] = this.total.map((l) => l.data);
    const growth = new Float64Array(n);
    const extent = new Float64Array(n);
    // Children have larger ids than their parent: one backward sweep sums every subtree.
    for (let id = n - 1; id >= 0; id--) {
      growth[id]! += Math.max(0, currentSelf![id]! - baseSelf![id]!);
      extent[id]! += Math.max(currentSelf![id]!, baseSelf![id]!);
      if (id === 0) continue;
      growth[parent[id]!]! += growth[id]!;
      extent[parent[id]!]! += extent[id]!;
    }
    // Children as contiguous runs (CSR): ids are counted per parent, then placed.
    const first = new Uint32Array(n + 1);
    for (let id = 1; id < n; id++) first[parent[id]! + 1]!++;
    for (let id = 0; id < n; id++) first[id + 1]! += first[id]!;
    const kids = new Uint32Array(Math.max(0, n - 1));
    const fill = first.slice(0, n);
    for (let id = 1; id < n; id++) kids[fill[parent[id]!]!++] = id;

    const minExtent = minFraction * extent[0]!;
    const minGrowth = minFraction * growth[0]!;
    const side = (self: Float64Array, total: Float64Array, id: number): SelfTotal => ({ self: self[id]!, total: total[id]! });
    const name = (id: number) => (id === 0 ? '' : sites.names[this.site.data[id]!]!);

    const mergedBox = (ids: readonly number[]): FlameNode => {
      const sum = (values: Float64Array) => ids.reduce((s, id) => s + values[id]!, 0);
      const [b, c] = [sum(baseTotal!), sum(currentTotal!)];
      return {
        name: '',
        base: diff ? { self: b, total: b } : null,
        current: { self: c, total: c },
        growth: sum(growth),
        extent: sum(extent),
        merged: ids.length,
        children: [],
      };
    };
    // Which children each kept node shows (sorted by name) and which it merges, in pre-order with
    // an explicit stack: a hostile profile's stacks can be deeper than the call stack allows.
    const shownKids: number[][] = [];
    const smallKids: number[][] = [];
    const order: number[] = [];
    for (const pending = [0]; pending.length > 0; ) {
      const id = pending.pop()!;
      const visible: number[] = [];
      const small: number[] = [];
      for (let k = first[id]!; k < first[id + 1]!; k++) {
        const child = kids[k]!;
        const shown = extent[child]! >= minExtent || (diff && growth[child]! >= minGrowth && growth[child]! > 0);
        (shown ? visible : small).push(child);
      }
      visible.sort((a, b) => compareStrings(name(a), name(b)));
      shownKids[id] = visible;
      smallKids[id] = small;
      order.push(id);
      for (const child of visible) pending.push(child);
    }
    // A node comes after its parent in pre-order: building backwards finds its children built.
    const built: FlameNode[] = [];
    for (let k = order.length - 1; k >= 0; k--) {
      const id = order[k]!;
      const children = shownKids[id]!.map((child) => built[child]!);
      if (smallKids[id]!.length > 0) children.push(mergedBox(smallKids[id]!));
      built[id] = {
        name: name(id),
        base: diff ? side(baseSelf!, baseTotal!, id) : null,
        current: side(currentSelf!, currentTotal!, id),
        growth: growth[id]!,
        extent: extent[id]!,
        merged: 0,
        children,
      };
    }
    return built[0]!;
  }
}
