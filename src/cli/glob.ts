import { ProfileError } from '../model/errors.js';
import { compareStrings } from '../base/compare.js';
import { isUrl } from './fetch.js';
import type { Files } from './io.js';

const WILDCARD = /[*?[]/;

/**
 * Expands `*`, `?`, `[…]` and `**` in an argument the shell did not expand (it was quoted, or the
 * shell does not glob), in directories as well as file names, through tinyglobby: matches in byte
 * order, hidden files only when the pattern names them. Other arguments and URLs pass through.
 */
export async function expandGlobs(io: Pick<Files, 'glob'>, args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) out.push(...(isUrl(arg) || !WILDCARD.test(arg) ? [arg] : await expandGlob(io, arg)));
  return out;
}

async function expandGlob(io: Pick<Files, 'glob'>, pattern: string): Promise<string[]> {
  let matches: string[];
  try {
    matches = await io.glob(pattern);
  } catch (thrown) {
    throw new ProfileError('reading profile', `${pattern}: cannot expand the pattern (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
  if (matches.length === 0) throw new ProfileError('reading profile', `${pattern}: no file matches`);
  return matches.sort(compareStrings);
}

/**
 * One side of a comparison as the user named it, as a list of profiles: a URL, a file, a quoted
 * glob, or a directory (every file in it that is not hidden, in byte order; not recursive).
 */
export async function expandSide(io: Pick<Files, 'isDirectory' | 'listDir' | 'glob'>, args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (isUrl(arg) || WILDCARD.test(arg) || !(await io.isDirectory(arg))) {
      out.push(...(await expandGlobs(io, [arg])));
      continue;
    }
    let names: string[];
    try {
      names = await io.listDir(arg);
    } catch {
      throw new ProfileError('reading profile', `${arg}: cannot list the directory`);
    }
    const dir = arg.endsWith('/') ? arg : `${arg}/`;
    const files = names.filter((n) => !n.startsWith('.')).sort(compareStrings).map((n) => dir + n);
    const kept: string[] = [];
    for (const file of files) if (!(await io.isDirectory(file))) kept.push(file);
    if (kept.length === 0) throw new ProfileError('reading profile', `${arg}: the directory holds no profile`);
    out.push(...kept);
  }
  return out;
}
