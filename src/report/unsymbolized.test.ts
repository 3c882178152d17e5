import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { decodeWithPprofFormat } from '../test-support/reference-decoder.js';
import { canonical } from '../test-support/canonical.js';
import { nativeRun } from '../test-support/native-run.js';
import { HAS_GO, goPprof, scratchFiles } from '../test-support/go-pprof.js';
import { parsePprofTop } from '../test-support/pprof-output.js';
import { top } from './top.js';

const MB = 1024 * 1024;
const GREW = 5_253_366; // 5.01MB
const base = nativeRun(0x5555_5540_0000, 'b1d', { 0x1234: 4 * MB, 0x2000: MB });
const current = nativeRun(0x7f12_3400_0000, 'b1d', { 0x1234: GREW, 0x2000: MB });

describe('unsymbolized frames across processes', () => {
  it('one instruction at two addresses is one row, grown by the difference (named by the base address)', () => {
    const report = top(diffProfiles(parseProfile(base), parseProfile(current)), { nodeCount: 0 });
    // The unchanged instruction has no row, as for any site whose change is zero.
    expect(report.rows.map((r) => [r.name, r.flat, r.status])).toEqual([['[app] 0x555555401234', GREW - 4 * MB, 'grew']]);
  });

  it('another build (another build id) is another instruction', () => {
    const rebuilt = nativeRun(0x7f12_3400_0000, 'other', { 0x1234: GREW, 0x2000: MB });
    const report = top(diffProfiles(parseProfile(base), parseProfile(rebuilt)), { nodeCount: 0 });
    expect(report.rows).toHaveLength(4);
  });

  it('both decoders key them alike', () => {
    expect(canonical(decodeWithPprofFormat(gunzipSync(current)))).toEqual(canonical(parseProfile(current)));
  });

  it.skipIf(!HAS_GO)('as go tool pprof -diff_base -addresses sums them', () => {
    const paths = scratchFiles({ 'base.pb.gz': base, 'current.pb.gz': current });
    const pprof = parsePprofTop(goPprof(['-top', '-addresses', '-unit=B', '-nodefraction=0', '-diff_base', paths['base.pb.gz']!, paths['current.pb.gz']!]));
    const ours = top(diffProfiles(parseProfile(base), parseProfile(current)), { nodeCount: 0 });
    expect(Object.values(pprof.rows).map(([flat]) => flat)).toEqual(ours.rows.map((r) => r.flat));
    expect(pprof.total).toBe(ours.percentOf);
  });
});
