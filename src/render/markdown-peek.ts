import type { PeekReport } from '../report/peek.js';
import { columnsFor } from '../view/column.js';
import { peekColumns, peekLines } from '../view/peek.js';
import { markdownCode, markdownRow, markdownTableHead } from './markdown.js';
import { peekCaption } from './text-peek.js';
import type { Sources } from './text-top.js';

/** The `peek` report as GitHub-flavoured Markdown: the caption, then one table per matching function. */
export function renderPeekMarkdown(report: PeekReport, options: { sources?: Sources } = {}): string {
  const columns = columnsFor(peekColumns(report), 'markdown');
  const lines = peekLines(report);
  const sources = options.sources;
  const compared =
    report.kind === 'diff' ? `${markdownCode(sources?.base ?? 'base')} → ${markdownCode(sources?.current ?? 'current')}` : markdownCode(sources?.current ?? 'profile');
  const out = [`### heapdiff peek: \`${report.sampleType.type}\`, ${compared}`, '', peekCaption(report).replace(/\/([^/]*)\//, (_, rx: string) => markdownCode(`/${rx}/`))];
  for (const entry of report.entries) {
    const rows = lines.filter((l) => l.entry === entry);
    out.push('', markdownTableHead(columns, '---:'), ...rows.map((l) => markdownRow(columns, l, lines.indexOf(l))));
  }
  return out.join('\n') + '\n';
}
