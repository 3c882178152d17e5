import type { Profile } from '../model/profile.js';

/**
 * Adds each function's Function.start_line to `out`, keyed `name\0file`; a key already there
 * keeps its line (the first profile that records one decides). `list` starts a routine's
 * context there.
 */
export function addStartLines(out: Map<string, number>, { frames, strings }: Profile): void {
  for (let f = 0; f < frames.count; f++) {
    if (frames.startLine[f] === 0) continue;
    const key = `${strings[frames.name[f]!]}\0${strings[frames.file[f]!]}`;
    if (!out.has(key)) out.set(key, frames.startLine[f]!);
  }
}
