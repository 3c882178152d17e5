import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { profileErrorFrom } from '../test-support/profile-error.js';
import { parseProfile } from './parse.js';
import { sniffNotProfile } from './sniff.js';

const text = (s: string) => new TextEncoder().encode(s);
/** gperftools' CPU profile header in 64-bit little-endian words: 0, 3, 0, period (µs), 0. */
function legacyCpu(): Uint8Array {
  const words = [0n, 3n, 0n, 10000n, 0n, 1n, 2n, 0x401000n, 0x402000n, 0n, 0n, 1n, 0n];
  const view = new DataView(new ArrayBuffer(words.length * 8));
  words.forEach((w, i) => view.setBigUint64(i * 8, w, true));
  return new Uint8Array(view.buffer);
}

const NOT_PROFILES: [string, Uint8Array, RegExp][] = [
  ['plain text', text('hello world\nsecond line\n'), /looks like text \(first line: "hello world"\)/],
  ['an HTML error page', text('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>\n'), /looks like an HTML page \(an error or login page/],
  ['JSON', text('{"error": "not found"}\n'), /looks like JSON\./],
  ['a Chrome DevTools CPU profile', text('{"nodes":[{"id":1}],"startTime":1,"endTime":2,"samples":[1],"timeDeltas":[0]}'), /Chrome DevTools profile/],
  [
    'a tcmalloc heap profile',
    text('heap profile:    1:   262144 [     1:   262144] @ heapprofile\n     1:   262144 [     1:   262144] @ 0x4a1b2c 0x4a1b3d\n\nMAPPED_LIBRARIES:\n00400000-004a2000 r-xp 00000000 08:01 1234 /usr/bin/app\n'),
    /looks like a gperftools \(tcmalloc\) heap profile.*go tool pprof -proto/,
  ],
  ['a legacy CPU profile', legacyCpu(), /looks like a legacy binary CPU profile \(gperftools, or Go before 1\.9\)/],
  ["Go's debug=1 goroutine profile", text('goroutine profile: total 3\n1 @ 0x1 0x2\n'), /Go's text goroutine profile \(debug=1\); drop debug=1/],
  ['a goroutine dump', text('goroutine 1 [running]:\nmain.main()\n'), /goroutine dump \(debug=2\)/],
];

describe('input that is not a profile says what it looks like and what heapdiff reads', () => {
  it.each(NOT_PROFILES)('%s', (_, bytes, looks) => {
    for (const input of [bytes, new Uint8Array(gzipSync(bytes))]) {
      const error = profileErrorFrom(() => parseProfile(input));
      expect(error.step).toBe('parsing profile');
      expect(error.detail).toMatch(looks);
      expect(error.detail).toMatch(/heapdiff reads pprof profiles .* and Go's legacy text heap profile$/);
      expect(error.detail).not.toContain('\n');
    }
  });

  it('the CLI says it in one line, exit 2', async () => {
    const result = await runCli(['top', 'README.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: parsing profile: README\.md: not a profile: this looks like text \(first line: "# heapdiff"\)\. heapdiff reads/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('quotes a first line inertly: control and bidi characters escaped, long lines cut', () => {
    const looks = sniffNotProfile(text(`evil\u202Eline\u0007 ${'x'.repeat(100)}\nnext`))!;
    expect(looks).toContain('\\u202e');
    expect(looks).toContain('\\u0007');
    expect(looks).toMatch(/x…"\)$/);
  });

  it('never speaks for bytes it does not recognise, nor for real profiles', () => {
    expect(sniffNotProfile(new Uint8Array([0x08, 0x96, 0x01, 0xff, 0x00, 0x13]))).toBeUndefined();
    // A real profile parses: the sniffer runs only after a failure.
    expect(parseProfile(readFileSync('testdata/go/leakysvc/profiles/heap-01.pb.gz')).sampleTypes.length).toBeGreaterThan(0);
  });
});
