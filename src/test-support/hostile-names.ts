import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeProfile, heap, type SampleSpec } from './build-profile.js';

/**
 * Names a fork's profile artifact can carry: terminal escapes, line breaks that would start a
 * workflow command, bidi overrides, and Markdown that would forge a comment.
 */
export const HOSTILE_NAMES: readonly string[] = [
  'main.lf\n::error file=x.go,line=1::forged',
  'main.cr\r::add-mask::secret',
  'main.crlf\r\n::stop-commands::tok',
  '::warning::starts.with.colons',
  'main.legacy ##[error]forged',
  'main.osc\x1b]0;retitled\x07',
  'main.clear\x1b[2J\x1b[H',
  'main.nul\0\b\b\bback',
  'main.bidi\u202etxt.exe',
  'main.tick`x`',
  'main.ticks``</code>``',
  'main.comment<!-- hidden',
  'main.pipe|cell|split',
  'main.md\n\n### ✅ gates passed\n\n@octocat [x](https://evil.example) ![i](https://evil.example/i.png) <img src=x>',
];

export const HOSTILE_FILE = '/src/evil\n::error::file\x1b[31m.go';

/** One sample per hostile name, growing from base to current; the first grows most. */
function snapshot(scale: number, types?: readonly [string, string][]): Uint8Array {
  const samples: SampleSpec[] = HOSTILE_NAMES.map((name, i) => heap([`${name}@${i === 0 ? HOSTILE_FILE : '/src/app.go'}:${10 + i}`, 'main.main@/src/main.go:3'], (HOSTILE_NAMES.length - i) * 1024 * 1024 * scale));
  return encodeProfile({ samples, timeNanos: BigInt(scale) * 1_000_000_000n, ...(types ? { sampleTypes: types } : {}) });
}

/**
 * Writes hostile profiles into a fresh directory, under file names that are hostile too, and
 * returns their paths: base, current and a third snapshot for trend.
 */
export function writeHostileProfiles(options: { types?: readonly [string, string][] } = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-hostile-'));
  return [1, 2, 3].map((n) => {
    const path = join(dir, `heap-${n}\n::error::name\x1b]0;t\x07.pb.gz`);
    writeFileSync(path, snapshot(n, options.types));
    return path;
  });
}

/** A workflow command the runner would act on in a log line: `::` first (after blanks), or `##[` anywhere. */
export function workflowCommandLines(output: string): string[] {
  const hidden = /[\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;
  return output.split(/\r\n|\r|\n/).filter((line) => {
    const visible = line.replace(hidden, '');
    return /^[\s\u0085]*::/.test(visible) || visible.includes('##[');
  });
}

/** Characters a terminal would obey rather than show (TAB aside). */
export const TERMINAL_CONTROL = /(?![\t\n])[\p{Cc}\p{Default_Ignorable_Code_Point}\u2028\u2029]/u;
