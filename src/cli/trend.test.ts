import { describe, expect, it } from 'vitest';
import { nodeIo } from './node-io.js';
import { READS_AT_ONCE } from './load.js';
import { runCli } from '../test-support/fake-io.js';

const dir = 'testdata/go/leakysvc/profiles';
const go = (n: number) => `${dir}/heap-0${n}.pb.gz`;
const all = [1, 2, 3, 4, 5, 6, 7, 8].map(go);

describe('heapdiff trend', () => {
  it('prints JSON rows in the text order, each with what a gate needs', async () => {
    const result = await runCli(['trend', '--format', 'json', '-n', '0', ...all]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schemaVersion: 2, command: 'trend', sampleType: { type: 'inuse_space', unit: 'bytes' }, slopePer: 'second' });
    expect(doc.snapshots.map((s: { source: string }) => s.source)).toEqual(all);
    expect(doc.snapshots[0]).toMatchObject({ timeNanos: expect.any(Number), time: '2026-11-26T12:44:53.514Z', total: 12564014, period: 512 });
    const verdicts: string[] = doc.rows.map((r: { verdict: string }) => r.verdict);
    expect(verdicts.slice(0, doc.verdicts.leak)).toEqual(Array(doc.verdicts.leak).fill('leak'));
    expect(doc.rows[0]).toMatchObject({ name: 'main.(*dedupeCache).remember', verdict: 'leak', rose: 7, retained: expect.any(Number) });
    for (const key of ['name', 'verdict', 'series', 'slope', 'r2', 'rose', 'retained']) expect(doc.rows[0]).toHaveProperty(key);
    const slopes = doc.rows.slice(0, 3).map((r: { slope: number }) => r.slope);
    expect(slopes).toEqual([...slopes].sort((a, b) => b - a));
  });

  it('expands a glob the shell left quoted, in name order', async () => {
    const quoted = await runCli(['trend', '--format', 'json', `${dir}/heap-0[1-8].pb.gz`]);
    expect(quoted.code).toBe(0);
    expect(JSON.parse(quoted.stdout).snapshots.map((s: { source: string }) => s.source)).toEqual(all);
    expect((await runCli(['trend', '--format', 'json', ...all])).stdout).toBe(quoted.stdout);
  });

  it('expands wildcards in directories too, and ** across them', async () => {
    const inDir = await runCli(['trend', '--format', 'json', 'testdata/go/leaky*/profiles/heap-0[1-3].pb.gz']);
    expect(inDir.code).toBe(0);
    expect(JSON.parse(inDir.stdout).snapshots.map((s: { source: string }) => s.source)).toEqual([go(1), go(2), go(3)]);
    const deep = await runCli(['trend', '--format', 'json', 'testdata/**/leakysvc/profiles/heap-0[1-3].pb.gz']);
    expect(deep.stdout).toBe(inDir.stdout);
  });

  it('orders by capture time, not by argument order', async () => {
    const shuffled = [go(4), go(1), go(8), go(2), go(7), go(3), go(6), go(5)];
    const doc = JSON.parse((await runCli(['trend', '--format', 'json', ...shuffled])).stdout);
    expect(doc.snapshots.map((s: { source: string }) => s.source)).toEqual(all);
    expect(doc.rows[0].series[0]).toBe(8125030);
  });

  it('draws a sparkline per site and the heap projection with --limit', async () => {
    const result = await runCli(['trend', '--limit', '1GB', ...all]);
    expect(result.stdout).toMatch(/^Limit: +1GB reached in about 2m 9s \(95%: 2m 7s to 2m 12s\) at the leaks' \+25\.82GB\/h ± 565\.36MB\/h,/m);
    expect(result.stdout).toMatch(/^▂▃▄▄▅▆▇█ +leak +\+25\.72GB +1\.00 +7\/7 +98% .* main\.\(\*dedupeCache\)\.remember$/m);
  });

  it('prints the attribution hint under a leak that is an inlined helper, with a peek command that shows it', async () => {
    const tenants = [1, 2, 3, 4, 5, 6].map((n) => `testdata/go/tenants/profiles/heap-0${n}.pb.gz`);
    const result = await runCli(['trend', ...tenants]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const hint = /^Hint: main\.small is inlined into its callers; main\.indexDocument grew most through it \((\+[\d.]+MB)\)\. All callers: heapdiff peek '\^main\\\.small\$' (\S+) (\S+)$/m.exec(result.stdout);
    expect(hint, result.stdout).not.toBeNull();
    expect([hint![2], hint![3]]).toEqual([tenants[0], tenants[5]]);
    // The command it names, run: indexDocument is the first caller, with the hint's growth.
    const peek = await runCli(['peek', 'main\\.small$', hint![2]!, hint![3]!]);
    const callers = peek.stdout.split('\n').filter((l) => l.includes('  ← '));
    expect(callers[0]).toMatch(new RegExp(`^ +\\${hint![1]} .*← main\\.indexDocument \\(inline\\)$`));
    // Markdown (a pull-request comment) says the same, names and command as code spans.
    const markdown = (await runCli(['trend', '-f', 'markdown', ...tenants])).stdout;
    expect(markdown).toContain(`**Hint:** \`main.small\` is inlined into its callers; \`main.indexDocument\` grew most through it (${hint![1]}). All callers: \`heapdiff peek '^main\\.small$' ${tenants[0]} ${tenants[5]}\``);
    const topMarkdown = (await runCli(['top', '-f', 'markdown', tenants[0]!, tenants[5]!])).stdout;
    expect(topMarkdown).toMatch(/^\*\*Hint:\*\* `main\.small` is inlined into its callers; `main\.indexDocument` grew most through it \(\+163\.32MB\)\. All callers: `heapdiff peek /m);
    const json = JSON.parse((await runCli(['trend', '-f', 'json', ...tenants])).stdout);
    expect(json.hints).toEqual([expect.objectContaining({ reason: 'inline', site: expect.objectContaining({ name: 'main.small' }), caller: expect.objectContaining({ name: 'main.indexDocument' }) })]);
  });

  it('prints a Markdown table', async () => {
    const result = await runCli(['trend', '--format', 'markdown', '-n', '2', ...all]);
    expect(result.stdout).toContain('| trend | verdict | slope/h | R² | rose | retained | flat: first → last | ± | function |');
    expect(result.stdout).toContain('| **leak** | +25.72GB | 1.00 | 7/7 | 98% | 7.75MB → 63.66MB | 17.41kB | `main.(*dedupeCache).remember` |');
  });

  it.each([
    ['fewer than 3 snapshots', ['trend', go(1), go(2)], /^heapdiff: comparing profiles: a trend needs at least 3 snapshots, got 2\n$/],
    ['a glob that matches nothing', ['trend', `${dir}/nope-*.pb.gz`], /^heapdiff: reading profile: .*nope-\*\.pb\.gz: no file matches\n$/],
    ['--diff-base', ['trend', '--diff-base', go(1), go(2), go(3), go(4)], /^heapdiff: invalid option: trend orders snapshots by capture time/],
    ['a limit on alloc_space', ['trend', '-i', 'alloc_space', '--limit', '1GB', ...all], /heapdiff: invalid option: a memory limit is projected on memory in use/],
    ['a bad limit', ['trend', '--limit', 'lots', ...all], /^heapdiff: option .*--limit.* invalid size "lots"/],
  ])('%s: one line, exit 2', async (_, argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('warns on stderr, keeping stdout for the report', async () => {
    const result = await runCli(['trend', '-i', 'alloc_space', '--format', 'json', ...all]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('heapdiff: warning: alloc_space counts allocations, not memory held: slopes are allocation rates, and no site is called a leak\n');
    expect(JSON.parse(result.stdout).warnings).toHaveLength(1);
  });

  it('reads at most a few snapshots at once, so a long trend never needs a file descriptor each', async () => {
    const { readFile } = nodeIo();
    let open = 0;
    let most = 0;
    const many = Array.from({ length: 40 }, (_, i) => all[i % all.length]!);
    const result = await runCli(['trend', '--format', 'json', ...many], {
      readFile: async (path, limits) => {
        most = Math.max(most, ++open);
        try {
          return await readFile(path, limits);
        } finally {
          open--;
        }
      },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).snapshots).toHaveLength(40);
    expect(most).toBe(READS_AT_ONCE);
  });
});
