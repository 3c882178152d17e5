import { basename } from 'node:path';
import type { Command } from 'commander';
import { ProfileError } from '../model/errors.js';
import type { Sources } from '../render/text-top.js';
import { expandSide } from './glob.js';
import type { Files } from './io.js';

/** Expanding sides: directories, quoted globs. */
export type SidesIo = Pick<Files, 'isDirectory' | 'listDir' | 'glob'>;

export interface SideOptions {
  diffBase?: string;
  base?: string[];
  current?: string[];
  paired?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** --base, --current (each repeatable) and --paired, for a command whose sides may be sets of profiles. */
export function addSideOptions(command: Command): Command {
  return command
    .option('--base <path>', 'a base profile, directory or quoted glob (repeatable): a side of several profiles is their mean', collect)
    .option('--current <path>', 'a current profile, directory or quoted glob (repeatable)', collect)
    .option('--paired', 'the sides are the same processes before and after: pair profiles by file name and test the per-pair change');
}

/** The profiles of each side, expanded; `base` is null for a report on one profile. */
export interface Sides {
  readonly base: string[] | null;
  readonly current: string[];
  /** As the user named each side, for report headers. */
  readonly sources: Sources;
}

/**
 * What the user named as base and current: positional profiles (`BASE CURRENT`, `CURRENT` with
 * --diff-base, or one profile), or `--base`/`--current` lists, each entry a file, URL, directory
 * or quoted glob. A shell-expanded glob is many positional profiles and cannot be split into two
 * sides, so more positionals than `command` takes is refused in one line that says what to do.
 */
export async function resolveSides(io: SidesIo, command: string, positional: readonly string[], options: SideOptions): Promise<Sides> {
  const named = (options.base?.length ?? 0) + (options.current?.length ?? 0) > 0;
  let base: string[] | null;
  let current: string[];
  if (named) {
    if (options.diffBase !== undefined) throw new ProfileError('invalid option', 'give the base with --base or --diff-base, not both');
    if (options.base?.length && options.current?.length && positional.length > 0) {
      throw new ProfileError('invalid option', `give the profiles with --base/--current or as arguments, not both (got ${positional.join(' ')})`);
    }
    base = options.base?.length ? options.base : [...positional];
    current = options.current?.length ? options.current : [...positional];
    if (base.length === 0) throw new ProfileError('invalid option', 'the base side needs at least one profile: add --base PATH');
    if (current.length === 0) throw new ProfileError('invalid option', 'the current side needs at least one profile: add --current PATH or a profile argument');
  } else {
    const most = options.diffBase === undefined ? 2 : 1;
    if (positional.length === 0) throw new ProfileError('invalid arguments', `${command} needs a profile`);
    if (positional.length > most) {
      throw new ProfileError(
        'invalid arguments',
        `${command} takes ${most === 2 ? 'a base and a current profile' : 'one profile besides --diff-base'}, not ${positional.length}: ` +
          `quote globs ('pods/*.pb.gz') so that heapdiff expands them per side, or give the sides with --base PATH and --current PATH`,
      );
    }
    base = options.diffBase !== undefined ? [options.diffBase] : positional.length === 2 ? [positional[0]!] : null;
    current = [positional.at(-1)!];
  }
  const sources: Sources = {
    ...(base ? { base: base.join(' ') } : {}),
    current: current.join(' '),
    ...(base && base.length > 1 ? { baseParts: base } : {}),
    ...(current.length > 1 ? { currentParts: current } : {}),
  };
  const expandedBase = base && (await expandSide(io, base));
  let expandedCurrent = await expandSide(io, current);
  if (expandedBase === null && expandedCurrent.length > 1) {
    throw new ProfileError('invalid arguments', `${sources.current} is ${expandedCurrent.length} profiles: give a base side to compare them with (--base PATH)`);
  }
  if (options.paired) {
    if (expandedBase === null) throw new ProfileError('invalid option', '--paired needs a base side and a current side');
    expandedCurrent = pairByName(expandedBase, expandedCurrent);
  }
  return { base: expandedBase, current: expandedCurrent, sources };
}

/** Sides compared as sets of profiles (per-profile means): either has several, or --paired asked for pairs. */
export function isSetComparison(sides: Sides, paired: boolean | undefined): sides is Sides & { base: string[] } {
  return sides.base !== null && (sides.base.length > 1 || sides.current.length > 1 || paired === true);
}

/** Current profiles reordered to match the base's by file name: pod-3 before and pod-3 after. */
export function pairByName(base: readonly string[], current: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const path of current) {
    const name = basename(path);
    if (byName.has(name)) throw new ProfileError('invalid option', `--paired pairs by file name, but ${name} is twice in the current side (${byName.get(name)}, ${path})`);
    byName.set(name, path);
  }
  const seen = new Set<string>();
  const out = base.map((path) => {
    const name = basename(path);
    if (seen.has(name)) throw new ProfileError('invalid option', `--paired pairs by file name, but ${name} is twice in the base side`);
    seen.add(name);
    const partner = byName.get(name);
    if (partner === undefined) throw new ProfileError('invalid option', `--paired: ${path} has no current profile of the same file name`);
    return partner;
  });
  const unpaired = current.find((path) => !seen.has(basename(path)));
  if (unpaired !== undefined) throw new ProfileError('invalid option', `--paired: ${unpaired} has no base profile of the same file name`);
  return out;
}
