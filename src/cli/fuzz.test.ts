import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { modelProblems } from '../test-support/canonical.js';
import { runCli } from '../test-support/fake-io.js';
import { damage, edit, packaging } from '../test-support/hostile-bytes.js';

/**
 * Every committed profile, damaged at random: parsing either gives a sound model or a one-line
 * ProfileError, and the CLI exits 0 or 2 without a stack trace. `npm test` runs a few hundred
 * cases; `npm run fuzz` (vitest --mode fuzz) runs FUZZ_RUNS (default 20,000). A failure names
 * its seed: FUZZ_SEED=<seed> replays it.
 */
const long = process.env['MODE'] === 'fuzz';
const runs = Number(process.env['FUZZ_RUNS'] ?? (long ? 20_000 : 300));
const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

function committedInputs(dir = 'testdata'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return committedInputs(path);
    return /\.pb\.gz$|^heap-\d+\.txt$|^deep\.txt$/.test(entry.name) ? [path] : [];
  });
}

const inputs = committedInputs().map((path) => {
  const bytes = readFileSync(path);
  return { path, raw: new Uint8Array(path.endsWith('.gz') ? gunzipSync(bytes) : bytes) };
});

const damaged = fc
  .record({ input: fc.nat(inputs.length - 1), edits: fc.array(edit, { minLength: 1, maxLength: 3 }), how: packaging })
  .map(({ input, edits, how }) => ({ path: inputs[input]!.path, bytes: damage(inputs[input]!.raw, edits, how) }));

const settings = { numRuns: runs, seed, endOnFailure: true };

describe(`damaged profiles (seed ${seed}, ${runs} runs)`, () => {
  it('parse to a sound model or a one-line ProfileError', () => {
    expect(inputs.length).toBeGreaterThan(15);
    fc.assert(
      fc.property(damaged, fc.constantFrom(undefined, 1 << 16), ({ bytes }, maxBytes) => {
        try {
          expect(modelProblems(parseProfile(bytes, maxBytes === undefined ? {} : { maxBytes }))).toEqual([]);
        } catch (thrown) {
          if (!(thrown instanceof ProfileError)) throw thrown;
          expect(thrown.message).not.toContain('\n');
        }
      }),
      settings,
    );
  });

  it('make the CLI exit 0 or 2 with one line on stderr, never a stack trace', async () => {
    const command = fc.constantFrom(
      (x: string) => ['top', x],
      (x: string) => ['top', '-f', 'json', '-g', 'lines', 'testdata/go/leakysvc/profiles/heap-01.pb.gz', x],
      (x: string) => ['list', '.', x],
      (x: string) => ['top', '-f', 'html', x],
      (x: string) => ['trend', x, 'testdata/go/leakysvc/profiles/heap-02.pb.gz', x],
    );
    await fc.assert(
      fc.asyncProperty(damaged, command, async ({ bytes }, argv) => {
        const result = await runCli(argv('damaged'), {
          readFile: async (path) => (path === 'damaged' ? bytes : new Uint8Array(readFileSync(path))),
          // The helper thread is "busy": everything decodes here (the thread has tests of its own).
          decodeOffThread: () => undefined,
        });
        expect([0, 2]).toContain(result.code);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        if (result.code === 2) expect(result.stderr).toMatch(/^heapdiff: [^\n]+\n$/);
      }),
      { ...settings, numRuns: Math.ceil(runs / 4) },
    );
  });
});
