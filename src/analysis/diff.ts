import { ProfileError } from '../model/errors.js';
import type { Profile, ValueType } from '../model/profile.js';
import { findTypeByName, resolveSampleType, typeNames, type SampleTypeSelector } from '../model/sample-type.js';

/**
 * Two snapshots to compare: current minus base. Nothing is merged eagerly; reports aggregate
 * each side into the same symbolic sites, which keeps the diff exactly linear and lets every
 * row show base and current values beside the delta.
 */
export interface ProfileDiff {
  readonly kind: 'diff';
  readonly base: Profile;
  readonly current: Profile;
}

/** What the reports take: one profile, or a diff of two (diffProfiles). */
export type ProfileOrDiff = Profile | ProfileDiff;

/** Whether `input` is a diff of two profiles rather than one profile. */
export function isDiff(input: ProfileOrDiff): input is ProfileDiff {
  return (input as ProfileDiff).kind === 'diff';
}

/** Pairs two profiles for comparison; fails when they share no sample type by name. */
export function diffProfiles(base: Profile, current: Profile): ProfileDiff {
  const shared = current.sampleTypes.some((t) => findTypeByName(base, t.type) >= 0);
  if (!shared) {
    throw new ProfileError(
      'comparing profiles',
      `the profiles share no sample type: base has ${typeNames(base)}; current has ${typeNames(current)}`,
    );
  }
  return { kind: 'diff', base, current };
}

export interface ResolvedType {
  readonly sampleType: ValueType;
  readonly current: number;
  readonly base: number;
}

/**
 * Picks the sample type on the current profile (as pprof does on the merged one), then finds it
 * in the base by name, never by position: producers order their types differently. With no
 * selector, pprof's merge keeps the first default_sample_type set, current's then base's.
 */
export function resolveDiffSampleType(diff: ProfileDiff, selector?: SampleTypeSelector): ResolvedType {
  let current: number;
  try {
    current = resolveSampleType(diff.current, selector === undefined || selector === '' ? mergedDefault(diff) : selector);
  } catch (thrown) {
    // Name both sides' types: the user may have meant a type only the base has.
    if (!(thrown instanceof ProfileError)) throw thrown;
    throw new ProfileError(thrown.step, `${thrown.detail.replace(/: the profile has .*$/, '')}: base has ${typeNames(diff.base)}; current has ${typeNames(diff.current)}`);
  }
  const sampleType = diff.current.sampleTypes[current]!;
  const base = findTypeByName(diff.base, sampleType.type);
  if (base < 0) {
    throw new ProfileError(
      'selecting sample type',
      `sample type ${sampleType.type} is missing from the base: base has ${typeNames(diff.base)}; current has ${typeNames(diff.current)}`,
    );
  }
  const baseUnit = diff.base.sampleTypes[base]!.unit;
  if (baseUnit !== sampleType.unit) {
    throw new ProfileError(
      'comparing profiles',
      `sample type ${sampleType.type} is in ${baseUnit} in the base but in ${sampleType.unit} in the current profile`,
    );
  }
  return { sampleType, current, base };
}

/** The merged profile's default type name ('' for none), as pprof's combineHeaders picks it. */
function mergedDefault({ current, base }: ProfileDiff): SampleTypeSelector | undefined {
  const name = current.strings[current.defaultSampleType] || base.strings[base.defaultSampleType] || '';
  // A default the current profile lacks falls back to its last type, as in SampleIndexByName.
  return name !== '' && current.sampleTypes.some((t) => t.type === name) ? name : undefined;
}

/**
 * A profile that is itself a diff (its base samples carry `pprof::base=true` and negated values,
 * as `go tool pprof -proto -diff_base` and `heapdiff --output-pprof` write them) is split back
 * into its two sides; any other input is returned as it is.
 */
export function asDiffIfMarked(input: ProfileOrDiff): ProfileOrDiff {
  if (isDiff(input) || input.samples.fromBase === null) return input;
  const marks = input.samples.fromBase;
  // The file keeps one time, the earlier capture's (pprof's merge takes the earliest): the base's,
  // unless the sides were swapped. The current side's own time is not in it.
  return {
    kind: 'diff',
    base: withSamples(input, (i) => marks[i] === 1, -1),
    current: { ...withSamples(input, (i) => marks[i] === 0, 1), timeNanos: 0 },
  };
}

/** A view of `profile` with only the chosen samples (values times `sign`); frames are shared. */
function withSamples(profile: Profile, keep: (i: number) => boolean, sign: 1 | -1): Profile {
  const { count, stackStart, stackFrames, values } = profile.samples;
  const stride = profile.sampleTypes.length;
  const chosen: number[] = [];
  let frames = 0;
  for (let i = 0; i < count; i++) {
    if (!keep(i)) continue;
    chosen.push(i);
    frames += stackStart[i + 1]! - stackStart[i]!;
  }
  const start = new Uint32Array(chosen.length + 1);
  const stacks = new Uint32Array(frames);
  const vals = new Float64Array(chosen.length * stride);
  chosen.forEach((i, j) => {
    const stack = stackFrames.subarray(stackStart[i]!, stackStart[i + 1]!);
    stacks.set(stack, start[j]!);
    start[j + 1] = start[j]! + stack.length;
    for (let t = 0; t < stride; t++) vals[j * stride + t] = sign * values[i * stride + t]!;
  });
  return { ...profile, samples: { count: chosen.length, stackStart: start, stackFrames: stacks, values: vals, fromBase: null } };
}
