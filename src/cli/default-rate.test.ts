import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

/**
 * Real pairs at Go's default 512 KiB sampling rate (testdata/go/record-default-rate.sh): two runs
 * of leakysvc with the same workload, and a short run against a run 20 times longer, whose
 * never-evicted cache is a real leak.
 */
const dir = 'testdata/go/leakysvc/default-rate';
const nullPair = [`${dir}/null-a.pb.gz`, `${dir}/null-b.pb.gz`];
const leakPair = [`${dir}/leak-base.pb.gz`, `${dir}/leak-current.pb.gz`];

interface Row {
  name: string;
  flat: number;
  significant: boolean;
}

async function json(argv: string[]) {
  const result = await runCli(['top', '-f', 'json', '-n', '0', ...argv]);
  return { code: result.code, stderr: result.stderr, doc: JSON.parse(result.stdout) as { rows: Row[]; total: { change: number; significant: boolean } } };
}

describe('real profile pairs at the default sampling rate', () => {
  it('the same workload twice: the sites differ by megabytes, yet no row and not the total is significant; the gate passes', async () => {
    const { code, doc, stderr } = await json(['--fail-on', 'site>1MB', '--fail-on', 'total>1MB', ...nullPair]);
    expect(Math.max(...doc.rows.map((r) => Math.abs(r.flat)))).toBeGreaterThan(1024 * 1024);
    expect(doc.rows.filter((r) => r.significant)).toEqual([]);
    expect(doc.total.significant).toBe(false);
    expect(code).toBe(0);
    expect(stderr).toMatch(/within sampling noise, not counted/);
    // The 0.1 behaviour, still there on request: sampling noise fails the gate.
    expect((await runCli(['top', '--fail-on-raw', 'site>1MB', ...nullPair])).code).toBe(1);
  });

  it('a leak far above the noise: significant, and the gate fails saying its error bar', async () => {
    const { code, doc, stderr } = await json(['--fail-on', 'site>1MB', ...leakPair]);
    const leak = doc.rows.find((r) => r.name === 'main.(*dedupeCache).remember')!;
    expect(leak.significant).toBe(true);
    expect(leak.flat).toBeGreaterThan(100 * 1024 * 1024);
    expect(doc.total.significant).toBe(true);
    expect(code).toBe(1);
    expect(stderr).toMatch(/gate breached: site>1MB: main\.\(\*dedupeCache\)\.remember grew by [\d.]+MB ± [\d.]+MB/);
    expect(stderr).not.toMatch(/gate breached: site>1MB: (?!main\.\(\*dedupeCache\))/);
  });
});

describe('the pull-request comment says how sure it is', () => {
  it('a total within noise says so in the headline, and the summary says what ± and ~ mean', async () => {
    const noise = (await runCli(['top', '-f', 'markdown', ...nullPair])).stdout.split('\n');
    expect(noise[1]).toBe('### heapdiff: `inuse_space` +3.52MB ± 7.15MB (+30.2%, within noise)');
    expect(noise[2]).toMatch(/Percentages are relative to the base total; ± is the 95% interval, and a `~` change is within sampling noise\.$/);
    const leak = (await runCli(['top', '-f', 'markdown', '--confidence', '0.99', ...leakPair])).stdout.split('\n');
    expect(leak[1]).toMatch(/^### heapdiff: `inuse_space` \+[\d.]+MB ± [\d.]+MB \(\+[\d.]+%\)$/);
    expect(leak[2]).toContain('± is the 99% interval');
    // One profile has error bars but nothing to call within noise.
    expect((await runCli(['top', '-f', 'markdown', nullPair[0]!])).stdout.split('\n')[2]).toMatch(/\(2026-11-28 09:05:41 UTC\)\. ± is the 95% interval\.$/);
  });
});

describe('trend: a leak needs growth beyond sampling noise', () => {
  it('every leak verdict is significant first → last; the slope has a standard error', async () => {
    const result = await runCli(['trend', '-f', 'json', '-n', '0', ...[1, 2, 3, 4, 5, 6].map((n) => `testdata/go/tenants/profiles/heap-0${n}.pb.gz`)]);
    const doc = JSON.parse(result.stdout) as { rows: Array<{ name: string; verdict: string; significant: boolean; slope: number; slopeError: number; netError: number }> };
    const leaks = doc.rows.filter((r) => r.verdict === 'leak');
    expect(leaks.map((r) => r.name)).toContain('main.small');
    for (const r of leaks) expect(r.significant).toBe(true);
    for (const r of doc.rows) {
      expect(r.slopeError).toBeGreaterThanOrEqual(0);
      expect(r.netError).toBeGreaterThanOrEqual(0);
    }
    // At 512 KiB, a site that rose from nothing to ~2MB is not told apart from noise.
    expect(doc.rows.some((r) => !r.significant && r.verdict === 'noise')).toBe(true);
  });
});
