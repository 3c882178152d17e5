import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { top } from '../report/top.js';
import { GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, renderTopMarkdown } from '../render/markdown-top.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { runCli } from '../test-support/fake-io.js';
import { parsePprofTop } from '../test-support/pprof-output.js';
import { annotations, escapeData, escapeProperty, neutraliseWorkflowCommands } from './github.js';

const BASE = 'testdata/go/leakysvc/profiles/heap-01.pb.gz';
const CURRENT = 'testdata/go/leakysvc/profiles/heap-08.pb.gz';
const scratch = () => mkdtempSync(join(tmpdir(), 'heapdiff-ci-'));

describe('growth gates on the command line', () => {
  it('exit 0 when every rule holds, 1 with each breach on stderr when one does not', async () => {
    const pass = await runCli(['top', BASE, CURRENT, '--fail-on', 'site>100MB', '--fail-on', 'total>1000%']);
    expect(pass.code).toBe(0);
    expect(pass.stderr).toBe('');
    expect(pass.stdout).toContain('Gates: passed (2 rules)');

    const fail = await runCli(['top', BASE, CURRENT, '--fail-on', 'site>50MB', '--fail-on', 'total>10MB']);
    expect(fail.code).toBe(1);
    expect(fail.stderr.trimEnd().split('\n')).toEqual([
      'heapdiff: gate breached: site>50MB: main.(*dedupeCache).remember grew by 55.91MB ± 19.20kB (+722% of 7.75MB)',
      'heapdiff: gate breached: total>10MB: the total grew by 61.12MB ± 125.38kB (+510% of 11.98MB)',
    ]);
  });

  it('warnings alone do not fail the run', async () => {
    const result = await runCli(['top', BASE, CURRENT, '--warn-on', 'site>50MB']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^heapdiff: warning: site>50MB: main\.\(\*dedupeCache\)\.remember/);
  });

  it('a bad rule is exit 2 before any profile is read', async () => {
    const result = await runCli(['top', 'no-such-file.pb.gz', '--fail-on', 'heap>1MB']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: option '--fail-on <rule>' argument 'heap>1MB' is invalid\. bad growth rule/);
    expect(result.stderr).not.toContain('no-such-file');
  });

  it('on GitHub Actions: annotations on stderr and the Markdown appended to the step summary', async () => {
    const summary = join(scratch(), 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const result = await runCli(['top', BASE, CURRENT, '--format', 'json', '--fail-on', 'site>1MB'], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).gates.failOn.passed).toBe(false);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('::error title=heapdiff gate site>1MB::site>1MB: main.(*dedupeCache).remember grew by 55.91MB ± 19.20kB (+722%25 of 7.75MB)');
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith(`earlier step\n${MARKDOWN_MARKER}\n`)).toBe(true);
    expect(written).toContain('❌ 4 gate breaches');
  });

  it('a step summary that cannot be written still lets the breaches out, and exit 1 wins over 2', async () => {
    const summary = join(scratch(), 'no-such-dir', 'summary.md');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const breached = await runCli(['top', BASE, CURRENT, '--fail-on', 'site>50MB'], { env });
    expect(breached.code).toBe(1);
    expect(breached.stderr.trimEnd().split('\n')).toEqual([
      '::error title=heapdiff gate site>50MB::site>50MB: main.(*dedupeCache).remember grew by 55.91MB ± 19.20kB (+722%25 of 7.75MB)',
      `heapdiff: writing the step summary: ENOENT: no such file or directory, open '${summary}'`,
    ]);
    const passed = await runCli(['trend', BASE, 'testdata/go/leakysvc/profiles/heap-04.pb.gz', CURRENT, '--fail-on', 'total>1000MB'], { env });
    expect(passed).toMatchObject({ code: 2, stderr: `heapdiff: writing the step summary: ENOENT: no such file or directory, open '${summary}'\n` });
    expect(passed.stdout).toContain('Gates: passed');
  });

  it('on GitHub Actions the job summary gets the report even without rules', async () => {
    const summary = join(scratch(), 'summary.md');
    const result = await runCli(['top', BASE, CURRENT], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(summary, 'utf8')).toMatch(/^<!-- heapdiff:report -->\n### heapdiff: `inuse_space` \+61\.12MB ± 125\.38kB \(\+510%\)\n/);
  });

  it('points an annotation at the hottest line only when its file is inside the workspace', async () => {
    const argv = ['top', BASE, CURRENT, '--fail-on', 'site>50MB'];
    const inside = await runCli(argv, { env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: join(process.cwd(), 'testdata/go') } });
    expect(inside.stderr).toBe(
      '::error title=heapdiff gate site>50MB,file=leakysvc/cache.go,line=27::site>50MB: main.(*dedupeCache).remember grew by 55.91MB ± 19.20kB (+722%25 of 7.75MB)\n',
    );
    const outside = await runCli(argv, { env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: scratch() } });
    expect(outside.stderr).toMatch(/^::error title=heapdiff gate site>50MB::/);
  });
});

describe('growth gates on trend', () => {
  const snapshots = ['1', '2', '3', '4', '5', '6', '7', '8'].map((n) => `testdata/go/leakysvc/profiles/heap-0${n}.pb.gz`);

  it('leaks>N counts leak verdicts; total and site rules read the first and last snapshots', async () => {
    const leaking = await runCli(['trend', ...snapshots, '--fail-on', 'leaks>0', '--fail-on', 'site>50MB']);
    expect(leaking.code).toBe(1);
    expect(leaking.stderr.trimEnd().split('\n')).toEqual([
      'heapdiff: gate breached: leaks>0: 3 sites leak',
      'heapdiff: gate breached: site>50MB: main.(*dedupeCache).remember grew by 55.91MB ± 17.41kB (+722% of 7.75MB)',
    ]);
    expect(leaking.stdout).toContain('Gates: FAILED (2 rules)');
    const tolerant = await runCli(['trend', ...snapshots, '--fail-on', 'leaks>3', '-f', 'json']);
    expect(tolerant.code).toBe(0);
    expect(JSON.parse(tolerant.stdout).gates.failOn).toMatchObject({ rules: ['leaks>3'], passed: true, breaches: [] });
  });

  it('leaks rules are refused where there are no verdicts, before any profile is read', async () => {
    const result = await runCli(['top', 'missing.pb.gz', '--fail-on', 'leaks>0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("heapdiff: option '--fail-on <rule>' argument 'leaks>0' is invalid. leaks>0 counts leak verdicts, which only trend gives\n");
    expect((await runCli(['trend', ...snapshots, '--fail-on', 'leaks>1MB'])).stderr).toMatch(/leaks counts sites with a leak verdict: give a whole number/);
  });
});

describe('workflow command escaping and caps', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('50% of a\r\nb')).toBe('50%25 of a%0D%0Ab');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('the writer never lets a line start a command (after blanks or ignorables) nor carry ##[', () => {
    expect(neutraliseWorkflowCommands('ok\n::error::x\r  ::add-mask::y\r\n\u200b:\u200b:warning::z\nmid ::x:: fine\n')).toBe(
      'ok\n\\::error::x\r  \\::add-mask::y\r\n\u200b\\:\u200b:warning::z\nmid ::x:: fine\n',
    );
    expect(neutraliseWorkflowCommands('a ##[error]b #\u2060#[add-mask]c')).toBe('a #\\x23[error]b #\\x23[add-mask]c');
    const plain = 'Type: inuse_space (bytes)\n  +1MB  main.f a.go:12\n# not a command\n';
    expect(neutraliseWorkflowCommands(plain)).toBe(plain);
  });

  it('caps each level at 10, then one notice; places an annotation at a workspace file when known', () => {
    const breach = (i: number) => ({ breach: { rule: 'site>1', site: null, change: i, percent: null, message: `m${i}` } });
    const lines = annotations('error', Array.from({ length: 13 }, (_, i) => breach(i)));
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('::notice::3 more gate breaches were not annotated; see the report');
    const placed = annotations('warning', [{ ...breach(1), location: { file: 'svc/cache.go', line: 27 } }]);
    expect(placed).toEqual(['::warning title=heapdiff gate site>1,file=svc/cache.go,line=27::m1']);
  });
});

describe('Markdown for a pull-request comment', () => {
  it('stays within GitHub’s comment limit for 50,000 changed sites, and says what it left out', () => {
    const samples = Array.from({ length: 50_000 }, (_, i) => heap([`pkg.site${i}@/src/pkg/file${i % 97}.go:${i}`], 1000 + i));
    const diff = diffProfiles(parseProfile(encodeProfile({ samples: samples.slice(0, 10) })), parseProfile(encodeProfile({ samples })));
    const markdown = renderTopMarkdown(top(diff, { nodeCount: 0 }), { tableRows: 10 });
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(markdown).toContain('`pkg.site49999`');
    expect(markdown).toMatch(/_\d+ more rows left out to stay within GitHub's 65536-character comment limit/);
    expect(markdown).toContain('<details><summary>49980 more changed functions</summary>');
  });
});

describe('files heapdiff writes', () => {
  it('--output writes the report atomically and leaves an existing file alone when the run fails', async () => {
    const dir = scratch();
    const out = join(dir, 'report.txt');
    expect((await runCli(['top', BASE, CURRENT, '-o', out])).stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('main.(*dedupeCache).remember');
    writeFileSync(out, 'previous report\n');
    expect((await runCli(['top', BASE, join(dir, 'missing.pb.gz'), '-o', out])).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
    expect(readdirSync(dir)).toEqual(['report.txt']);
  });

  it('--output-pprof writes a diff profile that reads back as the same diff', async () => {
    const dir = scratch();
    const out = join(dir, 'diff.pb.gz');
    const direct = await runCli(['top', BASE, CURRENT, '-n', '0', '-f', 'json', '--output-pprof', out]);
    expect(direct.code).toBe(0);
    const reread = await runCli(['top', out, '-n', '0', '-f', 'json']);
    const rows = (r: { stdout: string }) => JSON.parse(r.stdout).rows.map((row: { name: string; flat: number; cum: number }) => [row.name, row.flat, row.cum]);
    expect(JSON.parse(reread.stdout).kind).toBe('diff');
    expect(rows(reread)).toEqual(rows(direct));
    expect(readdirSync(dir)).toEqual(['diff.pb.gz']);
  });

  it('a saved diff read back names its two sides by that file, and the hint peeks into that file alone', async () => {
    const dir = scratch();
    const out = join(dir, 'diff.pb.gz');
    const tenants = (n: string) => `testdata/go/tenants/profiles/heap-${n}.pb.gz`;
    expect((await runCli(['top', tenants('01'), tenants('06'), '--output-pprof', out])).code).toBe(0);
    const text = (await runCli(['top', '-n', '1', out])).stdout;
    // The file keeps one time, the earlier (the base's); the current side's is not in it.
    expect(text).toContain(`Base:     base samples of ${out}  (2026-11-28 07:26:55 UTC)\nCurrent:  ${out}  (time unknown)\n`);
    expect(text).toContain(`All callers: heapdiff peek '^main\\.small$' ${out}\n`);
    const peek = await runCli(['peek', '^main\\.small$', out]);
    expect(peek.code).toBe(0);
    expect(peek.stdout).toContain('← main.indexDocument (inline)');
    expect((await runCli(['top', '-n', '1', '-f', 'markdown', out])).stdout).toContain(`in base \`base samples of ${out}\``);
    const json = JSON.parse((await runCli(['top', '-n', '1', '-f', 'json', out])).stdout);
    expect([json.base.source, json.base.time, json.current.source, json.current.time]).toEqual([out, '2026-11-28T07:26:55.979Z', out, null]);
  });

  const hasGo = (() => {
    try {
      execFileSync('go', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasGo)('--output-pprof opens in go tool pprof with the same flat and cum numbers (needs Go)', async () => {
    const out = join(scratch(), 'diff.pb.gz');
    const ours = JSON.parse((await runCli(['top', BASE, CURRENT, '-n', '0', '-f', 'json', '--output-pprof', out])).stdout);
    const printed = execFileSync('go', ['tool', 'pprof', '-top', '-unit=B', '-nodefraction=0', out], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    const pprof = parsePprofTop(printed);
    expect(pprof.total).toBe(ours.percentOf);
    expect(Object.fromEntries(ours.rows.map((r: { name: string; flat: number; cum: number }) => [r.name, [r.flat, r.cum]]))).toEqual(pprof.rows);
  });
});
