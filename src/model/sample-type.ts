import { ProfileError, quoteName } from './errors.js';
import { sampleSelector } from './options.js';
import type { Profile } from './profile.js';

/** A sample type chosen by name (`inuse_space`) or by index (`3` or 3). */
export type SampleTypeSelector = string | number;

/**
 * Resolves a selector to an index into profile.sampleTypes, as pprof's SampleIndexByName does:
 * default → the profile's default_sample_type, else the last type (inuse_space for a Go heap
 * profile); a number → that index; a name → exact match, or the legacy form without `inuse_`
 * (Node's older `space`/`objects`).
 */
export function resolveSampleType(profile: Profile, selector?: SampleTypeSelector): number {
  const types = profile.sampleTypes;
  if (selector !== undefined) sampleSelector(selector, 'sampleIndex');
  if (selector === undefined || selector === '') {
    const wanted = profile.strings[profile.defaultSampleType] ?? '';
    const index = wanted === '' ? -1 : types.findIndex((t) => t.type === wanted);
    return index >= 0 ? index : types.length - 1;
  }
  if (typeof selector === 'number' || /^\d+$/.test(selector)) {
    const index = Number(selector);
    if (index >= types.length) {
      throw new ProfileError(
        'selecting sample type',
        `sample index ${index} is outside the range [0..${types.length - 1}] (${typeNames(profile)})`,
      );
    }
    return index;
  }
  const index = findTypeByName(profile, selector);
  if (index < 0) {
    throw new ProfileError('selecting sample type', `no sample type ${JSON.stringify(selector)}: the profile has ${typeNames(profile)}`);
  }
  return index;
}

/** Exact name first, then the legacy unprefixed name (`inuse_space` finds `space`). */
export function findTypeByName(profile: Profile, name: string): number {
  const types = profile.sampleTypes;
  const exact = types.findIndex((t) => t.type === name);
  if (exact >= 0 || !name.startsWith('inuse_')) return exact;
  const legacy = name.slice('inuse_'.length);
  return types.findIndex((t) => t.type === legacy);
}

export function typeNames(profile: Profile): string {
  return profile.sampleTypes.map((t) => quoteName(t.type)).join(', ') || 'no sample types';
}
