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
import { HOSTILE_NAMES, TERMINAL_CONTROL, workflowCommandLines } from '../test-support/hostile-names.js';
import { GITHUB_COMMENT_LIMIT } from '../render/markdown.js';
import { Profile as PprofProfile } from 'pprof-format';

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

/**
 * Name-level mutations: the same strings of three real snapshots rewritten alike (so base and
 * current still match), with hostile fragments, random text or great length put into function,
 * file, sample type, unit, label and mapping names. Every output kind must stay inert: no workflow
 * command, no terminal control in text, Markdown within GitHub's limit with every name in its cell.
 */
const fragment = fc.oneof(
  fc.constantFrom(...HOSTILE_NAMES, '\n', '\r', '\x1b]0;t\x07', '\u202e', '`', '``', '|', '<!--', '##[error]', '::add-mask::x', '\0'),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('`', '|', '\n', ':', '#', '[', '<', '\u200b', 'a'), maxLength: 30 }),
);
const renaming = fc.record({
  fragment,
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  every: fc.integer({ min: 1, max: 4 }),
  repeat: fc.constantFrom(1, 1, 1, 2000),
});

type Renaming = { fragment: string; at: number; every: number; repeat: number };

/** The same rewrite for the same string in every profile: a cheap hash picks which strings change. */
function rename(raw: Uint8Array, r: Renaming): Uint8Array {
  const profile = PprofProfile.decode(raw);
  const strings = profile.stringTable.strings;
  for (let i = 1; i < strings.length; i++) {
    const s = strings[i]!;
    let hash = 0;
    for (let k = 0; k < s.length; k++) hash = (hash * 31 + s.charCodeAt(k)) >>> 0;
    if (hash % r.every !== 0) continue;
    const cut = Math.floor(r.at * s.length);
    strings[i] = s.slice(0, cut) + r.fragment.repeat(r.repeat) + s.slice(cut);
  }
  return profile.encode();
}

const SNAPSHOTS = ['01', '04', '08'].map((n) => new Uint8Array(gunzipSync(readFileSync(`testdata/go/leakysvc/profiles/heap-${n}.pb.gz`))));

describe(`renamed profiles (seed ${seed}, ${Math.ceil(runs / 30)} runs)`, () => {
  it('every output kind keeps hostile names inert', async () => {
    await fc.assert(
      fc.asyncProperty(renaming, async (r) => {
        const files = new Map(SNAPSHOTS.map((raw, i) => [`s${i}`, rename(raw, r)]));
        const cli = (argv: string[], env: Record<string, string> = {}) =>
          runCli(argv, { readFile: async (path) => files.get(path)!, decodeOffThread: () => undefined, env });
        const actions = await cli(['top', '-g', 'lines', 's0', 's2', '--warn-on', 'site>1'], { GITHUB_ACTIONS: 'true' });
        const text = [actions, await cli(['trend', 's0', 's1', 's2', '--warn-on', 'site>1']), await cli(['list', '.', 's0', 's2'])];
        for (const result of text) {
          expect(result.code, result.stderr).toBe(0);
          expect(result.stdout).not.toMatch(TERMINAL_CONTROL);
          expect(result.stderr).not.toMatch(TERMINAL_CONTROL);
          expect(workflowCommandLines(result.stdout)).toEqual([]);
          for (const line of workflowCommandLines(result.stderr)) expect(line).toMatch(/^::(warning |notice::)/);
        }
        for (const argv of [['top', '-f', 'markdown', '-n', '0', 's0', 's2'], ['trend', '-f', 'markdown', '-n', '0', 's0', 's1', 's2']]) {
          const markdown = await cli(argv);
          expect(markdown.code, markdown.stderr).toBe(0);
          expect(markdown.stdout.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
          expect(workflowCommandLines(markdown.stdout)).toEqual([]);
          const lines = markdown.stdout.split('\n');
          expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(1);
          const rows = lines.filter((l) => l.startsWith('|'));
          const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
          expect(rows.length).toBeGreaterThan(0);
          for (const row of rows) expect(cells(row), row).toBe(cells(rows[0]!));
        }
        const json = await cli(['top', '-f', 'json', 's0', 's2']);
        expect(workflowCommandLines(json.stdout)).toEqual([]);
        expect(JSON.parse(json.stdout).rows.length).toBeGreaterThan(0);
      }),
      { ...settings, numRuns: Math.ceil(runs / 30) },
    );
  }, 600_000);
});
