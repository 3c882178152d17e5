import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Label, Line, Location, Mapping, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/** A frame as "fn@file:line"; a location with inlined calls is "inner@f:1 + outer@f:9" (callee first). */
export type FrameSpec = string;

export interface SampleSpec {
  /** Locations leaf first. */
  readonly stack: readonly FrameSpec[];
  readonly values: readonly (number | bigint)[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ProfileSpec {
  readonly sampleTypes?: readonly [string, string][];
  readonly samples: readonly SampleSpec[];
  readonly timeNanos?: number | bigint;
  readonly period?: number;
  readonly defaultSampleType?: string;
  readonly mapping?: string;
  /** Function.start_line by function name (Go ≥ 1.20 records it); absent means 0. */
  readonly startLines?: Readonly<Record<string, number>>;
  /** Locations listed here get no Line at all: unsymbolized, named by address. */
  readonly addresses?: Readonly<Record<string, number>>;
}

export const GO_HEAP_TYPES: readonly [string, string][] = [
  ['alloc_objects', 'count'],
  ['alloc_space', 'bytes'],
  ['inuse_objects', 'count'],
  ['inuse_space', 'bytes'],
];

/** Encodes a small profile with pprof-format, the way tests describe stacks in one line each. */
export function buildProfile(spec: ProfileSpec): Profile {
  const strings = new StringTable();
  const functions = new Map<string, PprofFunction>();
  const locations = new Map<string, Location>();
  const mapping = new Mapping({ id: 1, filename: strings.dedup(spec.mapping ?? '/bin/app'), memoryStart: 0x400000, memoryLimit: 0x800000 });

  const fn = (name: string, file: string): PprofFunction => {
    const key = `${name}@${file}`;
    let f = functions.get(key);
    if (!f) {
      f = new PprofFunction({
        id: functions.size + 1,
        name: strings.dedup(name),
        systemName: strings.dedup(name),
        filename: strings.dedup(file),
        startLine: spec.startLines?.[name] ?? 0,
      });
      functions.set(key, f);
    }
    return f;
  };
  const location = (spec2: FrameSpec, addresses: Readonly<Record<string, number>>): Location => {
    let loc = locations.get(spec2);
    if (!loc) {
      const id = locations.size + 1;
      const address = addresses[spec2];
      const lines =
        address !== undefined
          ? []
          : spec2.split(' + ').map((frame) => {
              const m = /^(.+)@(.*):(\d+)$/s.exec(frame.trim());
              if (!m) throw new Error(`bad frame spec ${frame}`);
              return new Line({ functionId: fn(m[1]!, m[2]!).id, line: Number(m[3]) });
            });
      loc = new Location({ id, mappingId: 1, address: address ?? 0x401000 + id * 16, line: lines });
      locations.set(spec2, loc);
    }
    return loc;
  };

  const types = spec.sampleTypes ?? GO_HEAP_TYPES;
  const sampleType = types.map(([t, u]) => new ValueType({ type: strings.dedup(t), unit: strings.dedup(u) }));
  const samples = spec.samples.map(
    (s) =>
      new Sample({
        locationId: s.stack.map((f) => location(f, spec.addresses ?? {}).id),
        value: [...s.values],
        label: Object.entries(s.labels ?? {}).map(([k, v]) => new Label({ key: strings.dedup(k), str: strings.dedup(v) })),
      }),
  );
  return new Profile({
    sampleType,
    sample: samples,
    mapping: [mapping],
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: strings,
    timeNanos: spec.timeNanos ?? 0,
    periodType: new ValueType({ type: strings.dedup('space'), unit: strings.dedup('bytes') }),
    period: spec.period ?? 524288,
    defaultSampleType: spec.defaultSampleType ? strings.dedup(spec.defaultSampleType) : 0,
  });
}

export function encodeProfile(spec: ProfileSpec, gzip = true): Uint8Array {
  const raw = buildProfile(spec).encode();
  return gzip ? new Uint8Array(gzipSync(raw)) : raw;
}

/** A Go-heap-like sample: the same value for all four types is enough for most tests. */
export function heap(stack: readonly FrameSpec[], inuseSpace: number, allocSpace = inuseSpace): SampleSpec {
  return { stack, values: [1, allocSpace, 1, inuseSpace] };
}
