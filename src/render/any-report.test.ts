import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { list } from '../report/list.js';
import { peek } from '../report/peek.js';
import { top } from '../report/top.js';
import { trend } from '../report/trend.js';
import { renderMarkdown, renderText } from './any-report.js';
import { renderTopMarkdown } from './markdown-top.js';
import { renderTrendMarkdown } from './markdown-trend.js';
import { renderListText } from './text-list.js';
import { renderPeekText } from './text-peek.js';
import { renderTopText } from './text-top.js';
import { renderTrendText } from './text-trend.js';

const load = (n: number) => parseProfile(readFileSync(`testdata/go/leakysvc/profiles/heap-0${n}.pb.gz`));

describe('renderText and renderMarkdown pick the renderer of the report they are given', () => {
  const snapshots = [1, 2, 3, 4].map(load);
  const diff = diffProfiles(snapshots[0]!, snapshots[3]!);
  const topReport = top(diff);
  const listReport = list(diff, 'dedupeCache');
  const trendReport = trend(snapshots);
  const peekReport = peek(diff, 'dedupeCache');

  it('text', () => {
    expect(renderText(topReport)).toBe(renderTopText(topReport));
    expect(renderText(listReport)).toBe(renderListText(listReport));
    expect(renderText(trendReport)).toBe(renderTrendText(trendReport));
    expect(renderText(peekReport)).toBe(renderPeekText(peekReport));
    expect(renderText(trendReport)).not.toBe(renderText(topReport));
  });

  it('markdown', () => {
    expect(renderMarkdown(topReport)).toBe(renderTopMarkdown(topReport));
    expect(renderMarkdown(trendReport)).toBe(renderTrendMarkdown(trendReport));
  });
});
