import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { renderTopJson } from '../render/json-top.js';
import { diffSets } from '../report/top-sets.js';
import { aggregateSets } from '../analysis/profile-set.js';
import { listOfSets } from '../report/list-sets.js';
import { peekOfSets, peekSitesOfSets } from '../report/peek-sets.js';
import { topOfSets } from '../report/top-sets.js';
import { renderTopHtml } from '../render/html/top.js';
import { renderListJson } from '../render/json-list.js';
import { renderPeekJson } from '../render/json-peek.js';
import { runCli } from '../test-support/fake-io.js';
import { shellWords } from '../test-support/shell-words.js';

const FLEET = 'testdata/go/fleet';
const pods = [1, 2, 3, 4, 5, 6];
const files = (side: string) => pods.map((p) => `${FLEET}/${side}/pod-${p}.pb.gz`);

describe('heapdiff top with sides that are sets of profiles', () => {
  it('reads a side from a directory, a quoted glob or repeated --base/--current alike', async () => {
    const dirs = await runCli(['top', '-f', 'json', '-n', '0', `${FLEET}/base`, `${FLEET}/current`]);
    expect(dirs.code).toBe(0);
    const doc = JSON.parse(dirs.stdout);
    expect([doc.base.profiles, doc.current.profiles]).toEqual([6, 6]);
    const rows = (stdout: string) => JSON.parse(stdout).rows;
    const globs = await runCli(['top', '-f', 'json', '-n', '0', `${FLEET}/base/pod-*.pb.gz`, `${FLEET}/cur*/*.pb.gz`]);
    expect(rows(globs.stdout)).toEqual(doc.rows);
    const named = await runCli(['top', '-f', 'json', '-n', '0', ...files('base').flatMap((f) => ['--base', f]), ...files('current').flatMap((f) => ['--current', f])]);
    expect(rows(named.stdout)).toEqual(doc.rows);
    // --base with the current side as arguments.
    const mixed = await runCli(['top', '-f', 'json', '-n', '0', '--base', `${FLEET}/base`, ...files('current')]);
    expect(rows(mixed.stdout)).toEqual(doc.rows);
  });

  it('prints what the library prints for the same profiles, run after run (decoding on two threads in any order)', async () => {
    const load = (side: string) => files(side).map((f) => parseProfile(readFileSync(f)));
    const sources = { base: `${FLEET}/base`, current: `${FLEET}/current` };
    const library = renderTopJson(diffSets(load('base'), load('current'), { granularity: 'lines', nodeCount: 0 }), sources);
    for (let run = 0; run < 3; run++) {
      expect((await runCli(['top', '-f', 'json', '-g', 'lines', '-n', '0', sources.base, sources.current])).stdout).toBe(library);
    }
  });

  it('says in the header that a side is the mean of its profiles', async () => {
    const result = await runCli(['top', '-n', '1', '--base', `${FLEET}/base/pod-1.pb.gz`, '--current', `${FLEET}/current`]);
    expect(result.stdout).toMatch(/^Base: +testdata\/go\/fleet\/base\/pod-1\.pb\.gz +\(2026/m);
    expect(result.stdout).toMatch(/^Current: +testdata\/go\/fleet\/current +\(mean of 6 profiles, from 2026/m);
  });

  it('pairs by file name with --paired, whatever order the sides are listed in', async () => {
    const reversed = [...files('current')].reverse();
    const paired = await runCli(['top', '-f', 'json', '-n', '0', '--paired', '--base', `${FLEET}/base`, ...reversed.flatMap((f) => ['--current', f])]);
    expect(paired.code).toBe(0);
    const unpaired = await runCli(['top', '-f', 'json', '-n', '0', `${FLEET}/base`, `${FLEET}/current`]);
    const flats = (stdout: string) => JSON.parse(stdout).rows.map((r: { name: string; flat: number }) => [r.name, Math.round(r.flat)]);
    expect(flats(paired.stdout)).toEqual(flats(unpaired.stdout));
  });

  it.each([
    ['a shell-expanded glob (more arguments than sides)', ['top', ...files('base'), ...files('current')], /^heapdiff: invalid arguments: top takes a base and a current profile, not 12: quote globs .* or give the sides with --base PATH and --current PATH\n$/],
    ['a set without a base', ['top', `${FLEET}/current`], /^heapdiff: invalid arguments: testdata\/go\/fleet\/current is 6 profiles: give a base side to compare them with \(--base PATH\)\n$/],
    [
      'a side that mixes sample types',
      ['top', '--base', `${FLEET}/base`, '--current', `${FLEET}/current`, '--current', 'testdata/go/shapes/profiles/cpu.pb.gz'],
      /^heapdiff: comparing profiles: testdata\/go\/shapes\/profiles\/cpu\.pb\.gz has sample types cpu\/nanoseconds, samples\/count, unlike the current side's testdata\/go\/fleet\/current\/pod-1\.pb\.gz \(.*\)\n$/,
    ],
    ['--paired with a profile of no partner', ['top', '--paired', `${FLEET}/base`, `${FLEET}/current/pod-[1-5].pb.gz`], /^heapdiff: invalid option: --paired: testdata\/go\/fleet\/base\/pod-6\.pb\.gz has no current profile of the same file name\n$/],
    ['--paired with one side', ['top', '--paired', `${FLEET}/current/pod-1.pb.gz`], /^heapdiff: invalid option: --paired needs a base side and a current side\n$/],
    ['--output-pprof of sets', ['top', '--output-pprof', '/nonexistent/x.pb.gz', `${FLEET}/base`, `${FLEET}/current`], /^heapdiff: invalid option: --output-pprof writes the diff of two profiles; sets of them are kept as per-site sums, not samples, so there is no profile to write: give one profile per side, or use -f json\n$/],
    ['--base and --diff-base', ['top', '--diff-base', files('base')[0]!, '--base', files('base')[1]!, files('current')[0]!], /^heapdiff: invalid option: give the base with --base or --diff-base, not both\n$/],
    ['a glob matching nothing', ['top', `${FLEET}/base`, `${FLEET}/nope/*.pb.gz`], /^heapdiff: reading profile: testdata\/go\/fleet\/nope\/\*\.pb\.gz: no file matches\n$/],
  ])('%s: one line, exit 2', async (_, argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('prints the attribution hint for sets, with a peek command over the same sets that shows it', async () => {
    const side = (glob: string) => `testdata/go/tenants/profiles/heap-0[${glob}].pb.gz`;
    const result = await runCli(['top', '-n', '2', '--base', side('12'), '--current', side('56')]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const hint = /^Hint: main\.small is inlined into its callers; main\.indexDocument grew most through it \((\+[\d.]+MB)\)\. All callers: heapdiff peek '\^main\\\.small\$' '([^']+)' '([^']+)'$/m.exec(result.stdout);
    expect(hint, result.stdout).not.toBeNull();
    expect([hint![2], hint![3]]).toEqual([side('12'), side('56')]);
    const peek = await runCli(['peek', 'main\\.small$', hint![2]!, hint![3]!]);
    expect(peek.stdout.split('\n').find((l) => l.includes('  ← '))).toMatch(new RegExp(`^ +\\${hint![1]} .*← main\\.indexDocument \\(inline\\)$`));
    // Sides named path by path are named again path by path, and the command runs as printed.
    const t = (n: number) => `testdata/go/tenants/profiles/heap-0${n}.pb.gz`;
    const paths = await runCli(['top', '-n', '1', '--base', t(1), '--base', t(2), '--current', t(5), '--current', t(6)]);
    const command = /All callers: heapdiff (peek .*)$/m.exec(paths.stdout)?.[1];
    expect(command).toBe(`peek '^main\\.small$' --base ${t(1)} --base ${t(2)} --current ${t(5)} --current ${t(6)}`);
    const rerun = await runCli(shellWords(command!));
    expect(rerun.code, rerun.stderr).toBe(0);
    const table = (stdout: string) => stdout.slice(stdout.indexOf('    Δflat'));
    expect(table(rerun.stdout)).toBe(table(peek.stdout));
    expect(table(rerun.stdout)).toContain('← main.indexDocument (inline)');
    // The leakysvc fleet's top row is the leak itself: no hint.
    expect((await runCli(['top', `${FLEET}/base`, `${FLEET}/current`])).stdout).not.toContain('Hint: ');
  });

  it('names a file in a side directory that is not a profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-sets-'));
    copyFileSync(files('current')[0]!, join(dir, 'a.pb.gz'));
    writeFileSync(join(dir, 'notes.txt'), 'not a profile\n');
    writeFileSync(join(dir, '.hidden'), 'ignored, as shells ignore it\n');
    const result = await runCli(['top', `${FLEET}/base`, dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^heapdiff: [a-z ]+: ${dir}/notes\\.txt: .*\\n$`));
  });

  it('writes the HTML report of sets: the page the library renders from the same sets, flame graph and peek of the per-profile means', async () => {
    const load = (side: string) => files(side).map((f) => parseProfile(readFileSync(f)));
    const set = aggregateSets(load('base'), load('current'), { flame: true, callEdges: true });
    const report = topOfSets(set);
    const sources = { base: `${FLEET}/base`, current: `${FLEET}/current` };
    const library = renderTopHtml(report, set.flame!, { sources, peek: peekSitesOfSets(set, report.rows) });
    const result = await runCli(['top', '-f', 'html', sources.base, sources.current]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(library);
    expect(result.stdout).toContain('mean of 6 profiles');
    expect(result.stdout).toContain('flat sd, n=6 → 6');
    const data = JSON.parse(/<script type="application\/json" id="heapdiff-data">([^<]*)<\/script>/.exec(result.stdout)![1]!);
    // The selected leak row's callers: main.(*service).handle, as peek on the sets says.
    expect(data.peek.rows[0]).not.toBeNull();
    expect(data.peek.names).toContain('main.(*service).handle');
  });

  it('gates a fleet diff as a diff of two profiles (exit 1 on a breach)', async () => {
    const result = await runCli(['top', '--fail-on', 'site>10MB', `${FLEET}/base`, `${FLEET}/current`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Gates: FAILED/);
    const markdown = await runCli(['top', '-f', 'markdown', `${FLEET}/base`, `${FLEET}/current`]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('main.(*dedupeCache).remember');
    expect(markdown.stdout).toMatch(/^43\.89MB in base `testdata\/go\/fleet\/base` \(mean of 6 profiles, from 2026-.* → 79\.93MB in current `testdata\/go\/fleet\/current` \(mean of 6 profiles, from 2026/m);
    const peek = await runCli(['peek', '-f', 'markdown', 'remember$', `${FLEET}/base`, `${FLEET}/current`]);
    expect(peek.stdout.split('\n')[0]).toBe('<!-- heapdiff:peek -->');
    expect(peek.stdout.split('\n')[1]).toBe('### heapdiff peek: `inuse_space`, `testdata/go/fleet/base` (mean of 6 profiles) → `testdata/go/fleet/current` (mean of 6 profiles)');
  });
});

describe('heapdiff list and peek with sides that are sets of profiles', () => {
  const load = (side: string) => files(side).map((f) => parseProfile(readFileSync(f)));
  const sources = { base: `${FLEET}/base`, current: `${FLEET}/current` };

  it('peek prints what peekOfSets gives for the same profiles', async () => {
    const library = renderPeekJson(peekOfSets(aggregateSets(load('base'), load('current'), { callEdges: true }), 'remember$|handle$'), sources);
    const result = await runCli(['peek', '-f', 'json', 'remember$|handle$', sources.base, sources.current]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(library);
    const text = await runCli(['peek', 'remember$', '--base', `${FLEET}/base/pod-*.pb.gz`, '--current', sources.current]);
    expect(text.stdout).toMatch(/^Current: +testdata\/go\/fleet\/current +\(mean of 6 profiles, from 2026/m);
  });

  it('list prints what listOfSets gives for the same profiles, and says the lines are means', async () => {
    const set = aggregateSets(load('base'), load('current'), { granularity: 'lines' });
    const library = JSON.parse(renderListJson(listOfSets(set, 'dedupeCache'), sources));
    const result = await runCli(['list', '-f', 'json', 'dedupeCache', `${FLEET}/base/*.pb.gz`, sources.current, '--source-path', '/nonexistent']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    const numbers = (d: { routines: { lines: object[] }[] }) => d.routines.map((r) => r.lines.map((l) => ({ ...l, source: null })));
    expect(numbers(doc)).toEqual(numbers(library));
    expect(doc.routines[0].lines.some((l: { base: { n: number } | null }) => l.base?.n === 6)).toBe(true);
    const text = await runCli(['list', 'remember', sources.base, sources.current]);
    expect(text.stdout).toMatch(/^Base: +testdata\/go\/fleet\/base +\(mean of 6 profiles, from 2026-11-28 07:26:10 UTC\)$/m);
  });

  it('--paired pairs list and peek sides as it pairs top', async () => {
    const reversed = [...files('current')].reverse().flatMap((f) => ['--current', f]);
    const paired = await runCli(['peek', '-f', 'json', '--paired', 'remember$', '--base', sources.base, ...reversed]);
    expect(paired.code).toBe(0);
    const library = peekOfSets(aggregateSets(load('base'), load('current'), { callEdges: true, paired: true }), 'remember$');
    expect(JSON.parse(paired.stdout).entries[0].flatError).toBe(library.entries[0]!.flatError);
  });

  it.each([
    ['list', ['list', 'x', ...files('base'), ...files('current')], /^heapdiff: invalid arguments: list takes a base and a current profile, not 12: quote globs/],
    ['peek', ['peek', 'x', ...files('base'), ...files('current')], /^heapdiff: invalid arguments: peek takes a base and a current profile, not 12: quote globs/],
    ['list', ['list', 'x', `${FLEET}/current`], /^heapdiff: invalid arguments: testdata\/go\/fleet\/current is 6 profiles: give a base side/],
    ['peek', ['peek', 'x', '--base', sources.base, '--current', sources.current, '--current', 'testdata/go/shapes/profiles/cpu.pb.gz'], /^heapdiff: comparing profiles: testdata\/go\/shapes\/profiles\/cpu\.pb\.gz has sample types/],
  ])('%s refuses what top refuses, in one line', async (_, argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});
