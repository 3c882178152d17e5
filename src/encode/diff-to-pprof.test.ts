import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { HAS_GO, goPprof, scratchFiles } from '../test-support/go-pprof.js';
import { encodeAsPprof } from './diff-to-pprof.js';

const GO = 'testdata/go/leakysvc/profiles';
const BASE = `${GO}/heap-01.pb.gz`;
const CURRENT = `${GO}/heap-08.pb.gz`;

describe('--output-pprof', () => {
  const written = gzipSync(encodeAsPprof(diffProfiles(parseProfile(readFileSync(BASE)), parseProfile(readFileSync(CURRENT)))));

  it('keeps inlined calls as lines of one location, and the merged header', () => {
    const back = parseProfile(written);
    const current = parseProfile(readFileSync(CURRENT));
    const base = parseProfile(readFileSync(BASE));
    expect(back.frames.inlined.some((i) => i === 1)).toBe(true);
    expect(back.mainBinary).toBe(current.mainBinary);
    expect(back.timeNanos).toBe(Math.min(base.timeNanos, current.timeNanos));
    expect(back.durationNanos).toBe(base.durationNanos + current.durationNanos);
  });

  it.skipIf(!HAS_GO)('go tool pprof shows it as it shows the inputs: (inline), -noinlines, File, Time, Duration', () => {
    const paths = scratchFiles({ 'diff.pb.gz': written });
    for (const flags of [['-top'], ['-top', '-noinlines'], ['-top', '-lines']]) {
      const args = [...flags, '-unit=B', '-nodefraction=0', '-nodecount=1000'];
      expect(goPprof([...args, paths['diff.pb.gz']!]), flags.join(' ')).toBe(goPprof([...args, '-diff_base', BASE, CURRENT]));
    }
  });
});
