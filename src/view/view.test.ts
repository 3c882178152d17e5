import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { flameGraph } from '../analysis/flame.js';
import { parseProfile } from '../decode/parse.js';
import { top, type TopRow } from '../report/top.js';
import { trend, type TrendRow } from '../report/trend.js';
import { renderTopHtml } from '../render/html/top.js';
import { renderTrendHtml } from '../render/html/trend.js';
import { renderTopMarkdown } from '../render/markdown-top.js';
import { renderTrendMarkdown } from '../render/markdown-trend.js';
import { renderTopText } from '../render/text-top.js';
import { renderTrendText } from '../render/text-trend.js';
import type { Column } from './column.js';

/**
 * The view layer's promise: a column added in a report's view module reaches every output that
 * lays the report out, with no renderer edited. Here each view gets one extra column, `probe`.
 */
const probeTop: Column<TopRow> = { id: 'probe', header: 'PROBE', align: 'right', format: (r, i) => `p${i}:${r.name.length}`, tone: () => 'alarm' };
const probeTrend: Column<TrendRow> = { id: 'probe', header: 'PROBE', align: 'right', format: (r, i) => `q${i}:${r.series.length}` };

vi.mock('./top.js', async (original) => {
  const real = await original<typeof import('./top.js')>();
  return { ...real, topColumns: (report: Parameters<typeof real.topColumns>[0]) => [...real.topColumns(report), probeTop] };
});
vi.mock('./trend.js', async (original) => {
  const real = await original<typeof import('./trend.js')>();
  return { ...real, trendColumns: (report: Parameters<typeof real.trendColumns>[0]) => [...real.trendColumns(report), probeTrend] };
});

const load = (n: string) => parseProfile(readFileSync(`testdata/go/leakysvc/profiles/heap-${n}.pb.gz`));

describe('a column added to a view', () => {
  const diff = diffProfiles(load('01'), load('08'));
  const report = top(diff, { nodeCount: 5 });
  const cells = report.rows.map((r, i) => `p${i}:${r.name.length}`);

  it('shows in the text table, last, with its header', () => {
    const lines = renderTopText(report).split('\n');
    const header = lines.find((l) => l.includes('Δflat%'))!;
    expect(header.trimEnd().endsWith('PROBE')).toBe(true);
    for (const cell of cells) expect(lines.some((l) => l.endsWith(`  ${cell}`))).toBe(true);
  });

  it('shows in the Markdown table, in bold for an alarm', () => {
    const md = renderTopMarkdown(report);
    expect(md).toContain('| change | function | PROBE |');
    expect(md).toContain('|:--|:--|---:|');
    for (const cell of cells) expect(md).toContain(` | **${cell}** |`);
  });

  it('shows in the HTML table, with its tone as a class', () => {
    const html = renderTopHtml(report, flameGraph(diff));
    expect(html).toContain('<th scope="col" class="num">PROBE</th>');
    for (const cell of cells) expect(html).toContain(`<td class="num grew">${cell}</td></tr>`);
  });

  it('shows in trend text and Markdown, and as a fact on every HTML site card', () => {
    const profiles = ['01', '02', '03', '04'].map(load);
    const t = trend(profiles, { nodeCount: 3 });
    const expected = t.rows.map((r, i) => `q${i}:${r.series.length}`);
    const text = renderTrendText(t);
    const md = renderTrendMarkdown(t);
    const html = renderTrendHtml(t);
    for (const cell of expected) {
      expect(text).toMatch(new RegExp(` ${cell}$`, 'm'));
      expect(md).toContain(`| ${cell} |`);
      expect(html).toContain(`<div><dt>PROBE</dt><dd>${cell}</dd></div>`);
    }
  });
});
