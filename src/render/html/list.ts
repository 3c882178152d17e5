import type { ListReport, ListRoutine } from '../../report/list.js';
import { PLAIN } from '../style.js';
import { checkOptions, isFunction, isString, type OptionRule } from '../../model/options.js';
import { columnsFor, type Column } from '../../view/column.js';
import { SOURCES } from '../options.js';
import { listLineColumns, routineTotalColumns, TOTALS_ROWS } from '../../view/list.js';
import { inlineMark } from '../../view/top.js';
import { listHeader, routineNotes, shownLines, type SourceLookupNotes } from '../text-list.js';
import type { Sources } from '../text-top.js';
import { escapeHtml } from './escape.js';
import { htmlPage } from './page.js';
import { htmlCell } from './table.js';

const HTML_LIST_OPTIONS = { sources: SOURCES, searchedRoots: isFunction, missingSourceHint: isString } satisfies Record<keyof HtmlListOptions, OptionRule>;

/** Options of renderListHtml. */
export interface HtmlListOptions {
  /** The profiles as the user named them, for the header. */
  readonly sources?: Sources;
  /** Where the caller looked for a file it did not find, for the note under that routine. */
  readonly searchedRoots?: (file: string) => readonly string[];
  /** How the caller's user makes it look elsewhere (the CLI names its flags), after that note. */
  readonly missingSourceHint?: string;
}

/** The `list` report as one HTML page: per routine, its totals and its source lines with the text's numbers. */
export function renderListHtml(report: ListReport, options: HtmlListOptions = {}): string {
  checkOptions(options, HTML_LIST_OPTIONS);
  const routines = report.routines.map((r, k) => routineSection(report, r, k, options));
  const index =
    report.routines.length > 1
      ? `<nav aria-label="Routines"><ul class="index">${report.routines.map((r, k) => `<li><a href="#routine-${k + 1}">${escapeHtml(r.name)}</a></li>`).join('')}</ul></nav>`
      : '';
  return htmlPage({
    title: `heapdiff list · ${report.regex}`,
    summary: listHeader(report, options.sources, PLAIN),
    body: `<main>\n${index}\n${routines.join('\n')}\n</main>`,
    css: LIST_CSS,
  });
}

function routineSection(report: ListReport, routine: ListRoutine, k: number, lookup: SourceLookupNotes): string {
  const title = `ROUTINE ${routine.name}${inlineMark(routine)}${routine.file ? ` in ${routine.file}` : ''}`;
  const notes = routineNotes(routine, lookup).map((n) => `<p class="note">${escapeHtml(n)}</p>`);
  const totals = columnsFor(routineTotalColumns(report, routine), 'html');
  const totalsTable = `<table class="totals"><thead><tr>${totals.map(headCell).join('')}</tr></thead><tbody>${TOTALS_ROWS.map(
    (key, i) => `<tr>${totals.map((c) => htmlCell(c, key, i)).join('')}</tr>`,
  ).join('')}</tbody></table>`;
  const columns = columnsFor(listLineColumns(report), 'html');
  const head = `<tr>${columns.map(headCell).join('')}</tr>`;
  const lines = shownLines(routine).map((l, i) => {
    const hot = l.flat !== 0 || l.cum !== 0;
    return `<tr${hot ? ' class="hot"' : ''}>${columns.map((c) => htmlCell(c, l, i, 'td', LINE_CLASS[c.id])).join('')}</tr>`;
  });
  return `<section class="routine" id="routine-${k + 1}" aria-label="${escapeHtml(routine.name)}">
<h2 class="mono">${escapeHtml(title)}</h2>
${notes.join('\n')}
${totalsTable}
<table class="lines"><thead>${head}</thead><tbody>
${lines.join('\n')}
</tbody></table>
</section>`;
}

/** The source table's own look for its line numbers and source text. */
const LINE_CLASS: Record<string, string> = { line: 'lineno', source: 'src' };

function headCell<R>(column: Column<R>): string {
  return `<th${column.align === 'right' ? ' class="num"' : ''}>${escapeHtml(column.header)}</th>`;
}

const LIST_CSS = `
.index { columns: 2; font-family: var(--mono); font-size: 12.5px; }
.routine { margin: 18px 0 28px; }
.routine h2 { font-size: 14px; overflow-wrap: anywhere; }
.routine .note { margin: 2px 0; }
table.totals { margin: 8px 0 12px; font-family: var(--mono); font-size: 12.5px; }
table.lines { font-family: var(--mono); font-size: 12.5px; min-width: 60%; }
table.lines td { border-bottom: 0; padding: 0 8px; }
table.lines td.src { white-space: pre; tab-size: 4; }
table.lines td.lineno { color: var(--muted); }
table.lines tr.hot { background: #fff6cc; }
table.lines tr.hot td.lineno { color: var(--ink); font-weight: 600; }
`;
