import type { Profile } from '../model/profile.js';
import { routineKey } from './routine-ids.js';

/**
 * Adds each function's Function.start_line to `out`, keyed by routineKey; a key already there
 * keeps its line (the first profile that records one decides). `list` starts a routine's
 * context there.
 */
export function addStartLines(out: Map<string, number>, { frames, strings }: Profile): void {
  // A function's frames repeat once per line and inlined call: after the first of them with a
  // start line its key is in `out`, so the rest are skipped without building the key.
  const fileOfName = new Int32Array(strings.length).fill(-1);
  for (let f = 0; f < frames.count; f++) {
    if (frames.startLine[f] === 0) continue;
    const name = frames.name[f]!;
    const file = frames.file[f]!;
    if (fileOfName[name] === file) continue;
    fileOfName[name] = file;
    const key = routineKey(strings[name]!, strings[file]!);
    if (!out.has(key)) out.set(key, frames.startLine[f]!);
  }
}
