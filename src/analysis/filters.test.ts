import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { top } from '../report/top.js';
import { MAX_MATCH_CHARS, compileRegex } from './filters.js';

// As the CLI does (node-io.ts): V8's linear-time engine, asked for with the `l` flag.
setFlagsFromString('--enable-experimental-regexp-engine');

describe('name regexes over hostile names', () => {
  const long = `main.${'a'.repeat(150_000)}`;
  const profile = parseProfile(
    encodeProfile({
      samples: [heap([`${long}@/a.go:1`, 'main.main@/m.go:1'], 100), heap(['main.leakX@/b.go:2', 'main.main@/m.go:1'], 10)],
    }),
  );

  it('--focus .*X over a 150,000-character name runs in linear time and keeps pprof’s answer', () => {
    // A backtracking engine tries every start position: ~10^10 steps, far past the test timeout.
    const report = top(profile, { focus: '.*X', nodeCount: 0 });
    expect(report.rows.map((r) => [r.name, r.flat])).toEqual([
      ['main.leakX', 10],
      ['main.main', 0],
    ]);
    expect(top(profile, { ignore: '.*X', hide: 'z.*Q', nodeCount: 0 }).rows.map((r) => r.name)).toEqual([long, 'main.main']);
  });

  it('matches the whole name with the linear engine, and the first 1024 characters where the pattern needs backtracking', () => {
    const tail = `${'a'.repeat(MAX_MATCH_CHARS)}X`;
    expect(compileRegex('X', '--focus').test(tail)).toBe(true);
    // A backreference has no linear-time form: the name is cut before it is searched.
    expect(compileRegex('(a)\\1X', '--focus').test(tail)).toBe(false);
    expect(compileRegex('(a)\\1X', '--focus').test('aaX')).toBe(true);
  });
});
