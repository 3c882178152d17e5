import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../analysis/diff.js';
import { flameGraph } from '../../analysis/flame.js';
import { FAT_BOX, snapshots } from '../../bench/generate.js';
import { parseProfile } from '../../decode/parse.js';
import { top } from '../../report/top.js';
import { renderTopHtml } from './top.js';

describe('HTML report size', () => {
  it('stays under 8 MB for the fat-box pair: 100k samples, 2M call paths merged to what can be seen', () => {
    const [base, current] = snapshots(FAT_BOX, 2).map((bytes) => parseProfile(bytes));
    const diff = diffProfiles(base!, current!);
    const flame = flameGraph(diff);
    const html = renderTopHtml(top(diff), flame);
    expect(flame.paths).toBeGreaterThan(1_000_000);
    expect(new TextEncoder().encode(html).length).toBeLessThan(8 * 2 ** 20);
  });
});
