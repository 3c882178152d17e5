import type { PeekReport } from '../report/peek.js';
import { columnsFor } from '../view/column.js';
import { peekColumns, peekLines } from '../view/peek.js';
import { markdownCode, markdownRow, markdownTableHead, markdownText } from './markdown.js';
import { peekCaption } from './text-peek.js';
import type { Sources } from './text-top.js';

/** The `peek` report as GitHub-flavoured Markdown: the caption, then one table per matching function. */
export function renderPeekMarkdown(report: PeekReport, options: { sources?: Sources } = {}): string {
  const columns = columnsFor(peekColumns(report), 'markdown');
  const lines = peekLines(report);
  const sources = options.sources;
  const compared =
    report.kind === 'diff' ? `${markdownCode(sources?.base ?? 'base')} → ${markdownCode(sources?.current ?? 'current')}` : markdownCode(sources?.current ?? 'profile');
  // The regex is a code span; the rest carries the profile's unit, so it is written inert too.
  const caption = peekCaption(report);
  const rx = /\/([^/]*)\//.exec(caption);
  const captionMd = rx ? `${markdownText(caption.slice(0, rx.index))}${markdownCode(rx[0])}${markdownText(caption.slice(rx.index + rx[0].length))}` : markdownText(caption);
  const out = [`### heapdiff peek: ${markdownCode(report.sampleType.type)}, ${compared}`, '', captionMd];
  for (const entry of report.entries) {
    const rows = lines.filter((l) => l.entry === entry);
    out.push('', markdownTableHead(columns, '---:'), ...rows.map((l) => markdownRow(columns, l, lines.indexOf(l))));
  }
  return out.join('\n') + '\n';
}
