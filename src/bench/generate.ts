import { Function as PprofFunction, Label, Line, Location, Mapping, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/**
 * Synthetic heap profiles shaped like a big Go service, made deterministically from a seed:
 * goroutine roots shared by many stacks, request handlers with their own call paths, a pool of
 * allocation sites, 1 in 8 locations with an inlined call, Go's four heap sample types and the
 * `bytes` label on every sample.
 */
export interface Shape {
  readonly samples: number;
  readonly functions: number;
  readonly locations: number;
  readonly seed: number;
}

export const FAT_BOX: Shape = { samples: 100_000, functions: 20_000, locations: 40_000, seed: 1 };
export const TEN_K: Shape = { samples: 10_000, functions: 20_000, locations: 40_000, seed: 2 };

/** mulberry32: small, fast and plenty random for shaping test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZES = [8, 16, 24, 32, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096, 8192, 32768];
const T0 = 1_790_000_000_000_000_000n;

interface Site {
  stack: number[];
  size: number;
  allocObjects: number;
  inuseObjects: number;
}

/** The call structure both snapshots share: location ids per stack, leaf first. */
class Service {
  readonly random: () => number;
  readonly strings = new StringTable();
  readonly functions: PprofFunction[] = [];
  readonly locations: Location[] = [];
  private readonly roots: number[][] = [];
  private readonly handlers: number[][] = [];
  private readonly allocSites: number[];

  constructor(readonly shape: Shape) {
    this.random = prng(shape.seed);
    const { strings } = this;
    for (let i = 1; i <= shape.functions; i++) {
      const pkg = `acme.io/box/pkg${i % 400}`;
      const name = i % 3 === 0 ? `${pkg}.(*T${i % 17}).Method${i}` : `${pkg}.func${i}`;
      const file = `/src/box/pkg${i % 400}/f${i % 23}.go`;
      const startLine = 10 + this.int(2000);
      this.functions.push(new PprofFunction({ id: i, name: strings.dedup(name), systemName: strings.dedup(name), filename: strings.dedup(file), startLine }));
    }
    for (let id = 1; id <= shape.locations; id++) {
      const line = (fn: number) => new Line({ functionId: fn, line: Number(this.functions[fn - 1]!.startLine) + this.int(200) });
      // Every function gets a location; the rest call functions at random.
      const caller = id <= shape.functions ? id : 1 + this.int(shape.functions);
      const lines = this.random() < 1 / 8 ? [line(1 + this.int(shape.functions)), line(caller)] : [line(caller)];
      this.locations.push(new Location({ id, mappingId: 1, address: 0x400000 + id * 16, line: lines }));
    }
    const path = (min: number, max: number) => Array.from({ length: min + this.int(max - min + 1) }, () => 1 + this.int(shape.locations));
    for (let i = 0; i < 32; i++) this.roots.push(path(8, 16));
    for (let i = 0; i < 1000; i++) this.handlers.push(path(6, 24));
    this.allocSites = Array.from({ length: 8000 }, () => 1 + this.int(shape.locations));
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** A stack 16–48 deep: allocation site, a few helpers, a handler's path, a goroutine root. */
  stack(): number[] {
    const depth = 16 + this.int(33);
    const top = [this.pick(this.allocSites)];
    const root = this.pick(this.roots);
    const handler = this.pick(this.handlers);
    while (top.length + handler.length + root.length < depth) top.push(1 + this.int(this.shape.locations));
    return [...top, ...handler, ...root].slice(0, depth);
  }

  site(): Site {
    const size = this.pick(SIZES);
    const allocObjects = 1 + this.int(this.random() < 0.1 ? 200_000 : 2_000);
    return { stack: this.stack(), size, allocObjects, inuseObjects: Math.floor(allocObjects * this.random()) };
  }

  encode(sites: readonly Site[], timeNanos: bigint): Uint8Array {
    const s = this.strings;
    const bytesKey = s.dedup('bytes');
    const sample = sites.map(
      (site) =>
        new Sample({
          locationId: site.stack,
          value: [site.allocObjects, site.allocObjects * site.size, site.inuseObjects, site.inuseObjects * site.size],
          label: [new Label({ key: bytesKey, num: site.size })],
        }),
    );
    const vt = (type: string, unit: string) => new ValueType({ type: s.dedup(type), unit: s.dedup(unit) });
    return new Profile({
      sampleType: [vt('alloc_objects', 'count'), vt('alloc_space', 'bytes'), vt('inuse_objects', 'count'), vt('inuse_space', 'bytes')],
      sample,
      mapping: [new Mapping({ id: 1, memoryStart: 0x400000, memoryLimit: 0x4000000, filename: s.dedup('/usr/local/bin/fatbox'), hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true })],
      location: this.locations,
      function: this.functions,
      stringTable: s,
      timeNanos,
      periodType: vt('space', 'bytes'),
      period: 524288,
    }).encode();
  }
}

/**
 * Snapshots of one service, raw protobuf: the first is the base; each later one has 40 leaking
 * sites grown, 10% of sites changed by up to ±30%, and 1% of sites replaced by new ones.
 */
export function snapshots(shape: Shape, count: number): Uint8Array[] {
  const service = new Service(shape);
  let sites = Array.from({ length: shape.samples }, () => service.site());
  const leaking = new Set(Array.from({ length: 40 }, () => service.int(shape.samples)));
  const out = [service.encode(sites, T0)];
  for (let k = 1; k < count; k++) {
    sites = sites.map((site, i) => {
      if (leaking.has(i)) return { ...site, allocObjects: site.allocObjects + 5000, inuseObjects: site.inuseObjects + 5000 };
      const r = service.random();
      if (r < 0.01) return service.site();
      if (r < 0.11) {
        const scale = 0.7 + 0.6 * service.random();
        return { ...site, allocObjects: Math.ceil(site.allocObjects * Math.max(1, scale)), inuseObjects: Math.floor(site.inuseObjects * scale) };
      }
      return site;
    });
    out.push(service.encode(sites, T0 + BigInt(k) * 600_000_000_000n));
  }
  return out;
}
