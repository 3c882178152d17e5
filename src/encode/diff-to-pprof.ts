import {
  Function as PprofFunction,
  Label,
  Line,
  Location,
  Mapping,
  Profile as PprofProfile,
  Sample,
  StringTable,
  ValueType as PprofValueType,
} from 'pprof-format';
import { isDiff, type ProfileOrDiff } from '../analysis/diff.js';
import { findTypeByName } from '../model/sample-type.js';
import type { Profile } from '../model/profile.js';

/**
 * Writes a diff as one pprof profile, the way `go tool pprof -proto -diff_base` does: current
 * samples as they are, base samples negated and labelled `pprof::base=true`, so any pprof viewer
 * shows current − base. Only sample types both sides have are kept. Inlined calls stay lines of
 * one location (pprof's `(inline)` marks and -noinlines then read as for the inputs), every
 * location sits in one mapping named after the main binary (`File:`), and the header is merged
 * as pprof merges it: the earliest time, the durations summed, the largest period.
 */
export function encodeAsPprof(input: ProfileOrDiff): Uint8Array {
  const current = isDiff(input) ? input.current : input;
  const types = isDiff(input)
    ? current.sampleTypes.filter((t) => findTypeByName(input.base, t.type) >= 0)
    : current.sampleTypes;
  // pprof's combineHeaders over [current, base].
  const sides = isDiff(input) ? [current, input.base] : [current];
  const out = new Writer(types.map((t) => t.type));
  out.addSamples(current, 1, false);
  if (isDiff(input)) out.addSamples(input.base, -1, true);
  return new PprofProfile({
    sampleType: types.map((t) => new PprofValueType({ type: out.str(t.type), unit: out.str(t.unit) })),
    sample: out.samples,
    location: out.locations,
    function: out.functions,
    stringTable: out.strings,
    mapping: out.mapping(current.mainBinary || (isDiff(input) ? input.base.mainBinary : '')),
    timeNanos: BigInt(Math.round(Math.min(...sides.map((p) => p.timeNanos)))),
    durationNanos: BigInt(Math.round(sides.reduce((sum, p) => sum + p.durationNanos, 0))),
    period: Math.max(...sides.map((p) => p.period)),
    ...(current.periodType
      ? { periodType: new PprofValueType({ type: out.str(current.periodType.type), unit: out.str(current.periodType.unit) }) }
      : {}),
    defaultSampleType: out.str(current.strings[current.defaultSampleType] ?? ''),
    comment: current.comments.map((c) => out.str(c)),
  }).encode();
}

/** Interns functions and one-line locations across both profiles by symbol. */
class Writer {
  readonly strings = new StringTable();
  readonly samples: Sample[] = [];
  readonly functions: PprofFunction[] = [];
  readonly locations: Location[] = [];
  private readonly functionIds = new Map<string, number>();
  private readonly locationIds = new Map<string, number>();

  constructor(private readonly typeNames: readonly string[]) {}

  str(s: string): number {
    return this.strings.dedup(s);
  }

  /** The one mapping every location points to; none when the binary is unknown. */
  mapping(binary: string): Mapping[] {
    if (binary === '') return [];
    for (const location of this.locations) location.mappingId = 1;
    return [new Mapping({ id: 1, filename: this.str(binary), hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true })];
  }

  addSamples(profile: Profile, sign: 1 | -1, fromBase: boolean): void {
    const columns = this.typeNames.map((name) => findTypeByName(profile, name));
    const { count, stackStart, stackFrames, values } = profile.samples;
    const { inlined } = profile.frames;
    const stride = profile.sampleTypes.length;
    const baseLabel = fromBase ? [new Label({ key: this.str('pprof::base'), str: this.str('true') })] : [];
    const frameKeys = this.frameKeysOf(profile);
    for (let i = 0; i < count; i++) {
      const value = columns.map((c) => sign * values[i * stride + c]!);
      if (value.every((v) => v === 0)) continue;
      const locationId: number[] = [];
      // A location is a run of inlined frames and the frame they were inlined into, leaf first.
      let run: number[] = [];
      for (let k = stackStart[i]!; k < stackStart[i + 1]!; k++) {
        const f = stackFrames[k]!;
        run.push(f);
        if (inlined[f] === 1 && k + 1 < stackStart[i + 1]!) continue;
        locationId.push(this.locationId(profile, run, frameKeys));
        run = [];
      }
      this.samples.push(new Sample({ locationId, value, label: baseLabel }));
    }
  }

  private frameKeysOf(profile: Profile): string[] {
    const { frames, strings } = profile;
    return Array.from({ length: frames.count }, (_, f) => `${strings[frames.name[f]!]}\0${strings[frames.file[f]!]}\0${frames.line[f]}`);
  }

  private locationId(profile: Profile, run: readonly number[], frameKeys: readonly string[]): number {
    const key = run.map((f) => frameKeys[f]).join('\u0001');
    let id = this.locationIds.get(key);
    if (id === undefined) {
      const { frames, strings } = profile;
      id = this.locations.length + 1;
      const line = run.map(
        (f) => new Line({ functionId: this.functionId(strings[frames.name[f]!]!, strings[frames.file[f]!]!, frames.startLine[f]!), line: frames.line[f]! }),
      );
      this.locations.push(new Location({ id, line }));
      this.locationIds.set(key, id);
    }
    return id;
  }

  private functionId(name: string, file: string, startLine: number): number {
    const key = `${name}\0${file}`;
    let id = this.functionIds.get(key);
    if (id === undefined) {
      id = this.functions.length + 1;
      const nameId = this.str(name);
      this.functions.push(new PprofFunction({ id, name: nameId, systemName: nameId, filename: this.str(file), startLine }));
      this.functionIds.set(key, id);
    }
    return id;
  }
}
