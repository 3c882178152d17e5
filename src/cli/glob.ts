import { ProfileError } from '../model/errors.js';
import { compareStrings } from '../base/compare.js';
import { isUrl } from './fetch.js';
import type { Io } from './io.js';

const WILDCARD = /[*?[]/;

/**
 * Expands `*`, `?` and `[…]` in the file-name part of an argument when the shell did not (it was
 * quoted, or the shell does not glob): matches in byte order, hidden files only when the pattern
 * starts with a dot, as shells do. Other arguments and URLs pass through unchanged.
 */
export async function expandGlobs(io: Io, args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (isUrl(arg) || !WILDCARD.test(arg)) {
      out.push(arg);
      continue;
    }
    const cut = Math.max(arg.lastIndexOf('/'), arg.lastIndexOf('\\')) + 1;
    const dir = arg.slice(0, cut);
    const pattern = arg.slice(cut);
    if (WILDCARD.test(dir)) throw new ProfileError('reading profile', `${arg}: wildcards are expanded in file names only, not in directories`);
    let names: string[];
    try {
      names = await io.listDir(dir === '' ? '.' : dir);
    } catch {
      throw new ProfileError('reading profile', `${arg}: cannot list the directory ${dir}`);
    }
    const re = globRegExp(pattern);
    const matches = names.filter((n) => re.test(n) && (pattern.startsWith('.') || !n.startsWith('.'))).sort(compareStrings);
    if (matches.length === 0) throw new ProfileError('reading profile', `${arg}: no file matches`);
    out.push(...matches.map((n) => dir + n));
  }
  return out;
}

function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    // A `]` right after `[` or `[!` belongs to the set, as in shells.
    const close = c === '[' ? pattern.indexOf(']', i + (pattern[i + 1] === '!' ? 3 : 2)) : -1;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (close > 0) {
      const body = pattern.slice(i + 1, close).replace(/[\\\]]/g, '\\$&');
      re += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}
