import type { PeekReport } from '../../report/peek.js';
import { checkOptions, type OptionRule } from '../../model/options.js';
import { columnsFor, type Column } from '../../view/column.js';
import { peekColumns, peekLines, type PeekLine } from '../../view/peek.js';
import { SOURCES } from '../options.js';
import { PLAIN } from '../style.js';
import { peekCaption } from '../text-peek.js';
import { topHeader, type Sources } from '../text-top.js';
import { escapeHtml } from './escape.js';
import { htmlPage } from './page.js';
import { htmlCell } from './table.js';

/** Options of renderPeekHtml. */
export interface HtmlPeekOptions {
  /** The profiles as the user named them, for the header. */
  readonly sources?: Sources;
}

/** The `peek` report as one HTML page: per matching function, its callers, itself and its callees. */
export function renderPeekHtml(report: PeekReport, options: HtmlPeekOptions = {}): string {
  checkOptions(options, { sources: SOURCES } satisfies Record<keyof HtmlPeekOptions, OptionRule>);
  const columns = columnsFor(peekColumns(report), 'html');
  const lines = peekLines(report);
  const head = `<tr>${columns.map(headCell).join('')}</tr>`;
  const sections = report.entries.map((entry, k) => {
    const rows = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.entry === entry)
      .map(([l, i]) => `<tr class="${l.kind}">${columns.map((c) => htmlCell(c, l, i)).join('')}</tr>`);
    return `<section class="peek" aria-label="${escapeHtml(entry.name)}" id="peek-${k + 1}"><table><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table></section>`;
  });
  return htmlPage({
    title: `heapdiff peek · ${report.regex}`,
    summary: [...topHeader(report, options.sources, PLAIN), '', peekCaption(report)],
    body: `<main>\n${sections.join('\n')}\n</main>`,
    css: PEEK_CSS,
  });
}

function headCell(column: Column<PeekLine>): string {
  return `<th${column.align === 'right' ? ' class="num"' : ''}>${escapeHtml(column.header)}</th>`;
}

const PEEK_CSS = `
.peek { margin: 16px 0 24px; }
.peek table { font-family: var(--mono); font-size: 12.5px; min-width: 60%; }
.peek tr.entry td { font-weight: 600; border-top: 1px solid var(--rule, #ccc); border-bottom: 1px solid var(--rule, #ccc); }
.peek tr.caller td, .peek tr.callee td { color: var(--ink); }
.peek td.site { white-space: pre; }
`;
