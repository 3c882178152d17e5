import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { scaledLabel } from '../format/units.js';
import type { Profile } from '../model/profile.js';
import { renderTopMarkdown } from '../render/markdown-top.js';
import { renderTopText } from '../render/text-top.js';
import { diffSets } from '../report/top-sets.js';
import { top } from '../report/top.js';
import { topColumns } from './top.js';

const FLEET = 'testdata/go/fleet';
const side = (name: string): Profile[] => [1, 2, 3, 4, 5, 6].map((p) => parseProfile(readFileSync(`${FLEET}/${name}/pod-${p}.pb.gz`)));

describe('the spread column of a diff of sets', () => {
  const base = side('base');
  const current = side('current');

  it('shows each side\'s sd of the sort key, base → current, with n in the header, in text and Markdown', () => {
    for (const sort of ['flat', 'cum'] as const) {
      const report = diffSets(base, current, { sort, nodeCount: 5 });
      const header = `${sort} sd, n=6 → 6`;
      const key = sort === 'cum' ? 'cumSd' : 'flatSd';
      const cells = report.rows.map((r) => `${scaledLabel(r.base![key]!, 'bytes')} → ${scaledLabel(r.current[key]!, 'bytes')}`);
      expect(new Set(cells).size).toBeGreaterThan(1);
      const text = renderTopText(report);
      const markdown = renderTopMarkdown(report);
      expect(text).toContain(header);
      expect(markdown).toContain(`| ${header} |`);
      for (const cell of cells) {
        expect(text).toContain(`  ${cell}  `);
        expect(markdown).toContain(`| ${cell} |`);
      }
    }
  });

  it('marks a side of one profile, which has no spread, with –', () => {
    const report = diffSets([base[0]!], current, { nodeCount: 3 });
    const column = topColumns(report).find((c) => c.id === 'spread')!;
    expect(column.header).toBe('flat sd, n=1 → 6');
    expect(column.format(report.rows[0]!, 0)).toBe(`– → ${scaledLabel(report.rows[0]!.current.flatSd!, 'bytes')}`);
  });

  it('is not there for two profiles or one', () => {
    expect(topColumns(top(diffProfiles(base[0]!, current[0]!))).map((c) => c.id)).not.toContain('spread');
    expect(topColumns(top(current[0]!)).map((c) => c.id)).not.toContain('spread');
  });
});
