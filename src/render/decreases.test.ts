import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

const FIRST = 'testdata/go/leakysvc/profiles/heap-01.pb.gz';
const LAST = 'testdata/go/leakysvc/profiles/heap-08.pb.gz';

/** heap-08 as the base and heap-01 as the current: every site shrank, and gone sites have zero flat. */
describe('swapped arguments: the biggest changes stay in view', () => {
  it('text keeps growth first, then a block of the largest decreases, and the swapped warning', async () => {
    const result = await runCli(['top', LAST, FIRST]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('BEFORE base: are the arguments swapped?');
    const lines = result.stdout.split('\n');
    // Nine, not ten: sync.(*Pool).pinSlow's −650B is within sampling noise.
    const block = lines.indexOf('The 9 largest decreases not in the rows above, by flat:');
    expect(block).toBeGreaterThan(lines.findIndex((l) => l.startsWith('These rows account for')));
    // The main table is still the documented order: zero-flat rows first (nothing grew).
    const firstRow = lines[lines.findIndex((l) => l.trimStart().startsWith('Δflat')) + 1]!;
    expect(firstRow).toMatch(/^\s*0\s/);
    expect(lines[block + 2]).toMatch(/^\s*-55\.91MB\s.*shrank\s+main\.\(\*dedupeCache\)\.remember$/);
    expect(lines.slice(block + 2, block + 11).every((l) => /^\s*-\S+\s/.test(l))).toBe(true);
    expect(result.stdout).not.toMatch(/The .* largest decreases[\s\S]*sync\.\(\*Pool\)\.pinSlow/);
  });

  it('with --cum the block is ordered by cum', async () => {
    const result = await runCli(['top', '--cum', '-n', '3', LAST, FIRST]);
    expect(result.stdout).toContain('The 3 largest decreases not in the rows above, by cum:');
  });

  it('Markdown shows the block under the visible table', async () => {
    const result = await runCli(['top', '-f', 'markdown', '-n', '3', LAST, FIRST]);
    const text = result.stdout;
    const block = text.indexOf('**The 3 largest decreases not in the rows above, by flat**');
    expect(block).toBeGreaterThan(0);
    expect(block).toBeLessThan(text.indexOf('<details>'));
    expect(text.slice(block)).toMatch(/^\*\*.*\*\*\n\n\| Δflat .*\n\|.*\n\| -55\.91MB \|/);
  });

  it('JSON keeps its documented row order and adds nothing', async () => {
    const doc = JSON.parse((await runCli(['top', '-f', 'json', LAST, FIRST])).stdout);
    expect(doc).not.toHaveProperty('decreases');
    const flats = doc.rows.map((r: { flat: number }) => r.flat);
    expect(flats).toEqual([...flats].sort((a, b) => b - a));
    expect(flats[0]).toBe(0);
  });

  it('in the usual order, nothing shrank out of view: no block', async () => {
    expect((await runCli(['top', FIRST, LAST])).stdout).not.toContain('largest decrease');
  });
});
