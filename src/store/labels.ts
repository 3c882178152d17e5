import type { Profile } from '../model/profile.js';
import { StoreError } from './url.js';

/** A profile's labels in the store, key → value, in the order they were given. */
export type Labels = ReadonlyMap<string, string>;

/** `from` and `to` bound a store side's time range, so they cannot be label keys. */
const RESERVED = new Set(['from', 'to']);
const KEY = /^[A-Za-z_][A-Za-z0-9_.\-]{0,99}$/;

export function checkLabelKey(key: string, where: string): string {
  if (!KEY.test(key)) throw new StoreError(`${where}: label key ${JSON.stringify(key)} must be letters, digits, _ . or -, starting with a letter or _`);
  if (RESERVED.has(key)) throw new StoreError(`${where}: ${key} is not a label key (from= and to= bound the time range)`);
  return key;
}

/** `--label key=value`: the value is everything after the first `=`, as given. */
export function parseLabelOption(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq < 0) throw new StoreError(`expected key=value, not ${JSON.stringify(text)}`);
  return [checkLabelKey(text.slice(0, eq), '--label'), text.slice(eq + 1)];
}

/**
 * Labels from a file path, as Hive partitions are written: each directory named `key=value`
 * gives that label, e.g. `profiles/service=api/pod=api-7f9c/heap-01.pb.gz` gives service=api and
 * pod=api-7f9c. Directories of another shape, and the file name, give none.
 */
export function labelsFromPath(path: string): [string, string][] {
  const parts = path.split(/[\\/]/).slice(0, -1);
  const out: [string, string][] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    if (KEY.test(key) && !RESERVED.has(key)) out.push([key, part.slice(eq + 1)]);
  }
  return out;
}

/**
 * What a profile says about itself. pprof has no profile-level labels, so this is the main
 * binary's name (the first mapping's file), when the producer recorded one.
 */
export function ownLabels(profile: Profile): [string, string][] {
  return profile.mainBinary === '' ? [] : [['binary', profile.mainBinary]];
}

/** The profile's own labels, overridden by the path's, overridden by --label. */
export function mergeLabels(...layers: readonly (readonly (readonly [string, string])[])[]): Labels {
  const out = new Map<string, string>();
  for (const layer of layers) for (const [k, v] of layer) out.set(k, v);
  return out;
}
