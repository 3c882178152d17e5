import {
  Function as PprofFunction,
  Label,
  Line,
  Location,
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
 * shows current − base. Only sample types both sides have are kept. Frames are written one per
 * location (inlining is flattened), which keeps every flat and cum number.
 */
export function encodeAsPprof(input: ProfileOrDiff): Uint8Array {
  const current = isDiff(input) ? input.current : input;
  const types = isDiff(input)
    ? current.sampleTypes.filter((t) => findTypeByName(input.base, t.type) >= 0)
    : current.sampleTypes;
  const out = new Writer(types.map((t) => t.type));
  out.addSamples(current, 1, false);
  if (isDiff(input)) out.addSamples(input.base, -1, true);
  return new PprofProfile({
    sampleType: types.map((t) => new PprofValueType({ type: out.str(t.type), unit: out.str(t.unit) })),
    sample: out.samples,
    location: out.locations,
    function: out.functions,
    stringTable: out.strings,
    timeNanos: BigInt(Math.round(current.timeNanos)),
    period: current.period,
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

  addSamples(profile: Profile, sign: 1 | -1, fromBase: boolean): void {
    const columns = this.typeNames.map((name) => findTypeByName(profile, name));
    const frameLocation = this.locationsOf(profile);
    const { count, stackStart, stackFrames, values } = profile.samples;
    const stride = profile.sampleTypes.length;
    const baseLabel = fromBase ? [new Label({ key: this.str('pprof::base'), str: this.str('true') })] : [];
    for (let i = 0; i < count; i++) {
      const value = columns.map((c) => sign * values[i * stride + c]!);
      if (value.every((v) => v === 0)) continue;
      const locationId: number[] = [];
      for (let k = stackStart[i]!; k < stackStart[i + 1]!; k++) locationId.push(frameLocation[stackFrames[k]!]!);
      this.samples.push(new Sample({ locationId, value, label: baseLabel }));
    }
  }

  private locationsOf(profile: Profile): number[] {
    const { frames, strings } = profile;
    const ids: number[] = [];
    for (let f = 0; f < frames.count; f++) {
      const name = strings[frames.name[f]!]!;
      const file = strings[frames.file[f]!]!;
      const line = frames.line[f]!;
      const key = `${name}\0${file}\0${line}`;
      let id = this.locationIds.get(key);
      if (id === undefined) {
        id = this.locations.length + 1;
        const functionId = this.functionId(name, file, frames.startLine[f]!);
        this.locations.push(new Location({ id, line: [new Line({ functionId, line })] }));
        this.locationIds.set(key, id);
      }
      ids.push(id);
    }
    return ids;
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
