import type { ListLine, ListReport, ListRoutine } from '../../report/list.js';
import { PLAIN } from '../style.js';
import { listHeader, listValue, routineNotes, routineTotals, shownLines, type SourceLookupNotes } from '../text-list.js';
import type { Sources } from '../text-top.js';
import { escapeHtml } from './escape.js';
import { htmlPage } from './page.js';

export interface HtmlListOptions {
  readonly sources?: Sources;
  /** Where the caller looked for a file it did not find, for the note under that routine. */
  readonly searchedRoots?: (file: string) => readonly string[];
  /** How the caller's user makes it look elsewhere (the CLI names its flags), after that note. */
  readonly missingSourceHint?: string;
}

/** The `list` report as one HTML page: per routine, its totals and its source lines with the text's numbers. */
export function renderListHtml(report: ListReport, options: HtmlListOptions = {}): string {
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
  const title = `ROUTINE ${routine.name}${routine.file ? ` in ${routine.file}` : ''}`;
  const notes = routineNotes(routine, lookup).map((n) => `<p class="note">${escapeHtml(n)}</p>`);
  const totals = routineTotals(report, routine);
  const totalsTable = `<table class="totals"><thead><tr>${totals.header.map((h, c) => `<th class="${totals.align[c] === 'right' ? 'num' : ''}">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${totals.rows
    .map((cells, i) => {
      const value = i === 0 ? routine.flat : routine.cum;
      return `<tr>${cells.map((text, c) => `<td class="${totals.align[c] === 'right' ? 'num' : ''} ${c === 2 ? signClass(value) : ''}">${escapeHtml(text)}</td>`).join('')}</tr>`;
    })
    .join('')}</tbody></table>`;
  const diff = report.kind === 'diff';
  const head = `<tr><th class="num">${diff ? 'Δflat' : 'flat'}</th><th class="num">${diff ? 'Δcum' : 'cum'}</th><th class="num">line</th><th>source</th></tr>`;
  const lines = shownLines(routine).map((l) => lineRow(report, l));
  return `<section class="routine" id="routine-${k + 1}" aria-label="${escapeHtml(routine.name)}">
<h2 class="mono">${escapeHtml(title)}</h2>
${notes.join('\n')}
${totalsTable}
<table class="lines"><thead>${head}</thead><tbody>
${lines.join('\n')}
</tbody></table>
</section>`;
}

function lineRow(report: ListReport, l: ListLine): string {
  const hot = l.flat !== 0 || l.cum !== 0;
  const cell = (v: number) => `<td class="num ${report.kind === 'diff' ? signClass(v) : ''}">${escapeHtml(listValue(report, v))}</td>`;
  return `<tr${hot ? ' class="hot"' : ''}>${cell(l.flat)}${cell(l.cum)}<td class="num lineno">${l.line}</td><td class="src">${escapeHtml(l.source ?? '')}</td></tr>`;
}

function signClass(v: number): string {
  return v > 0 ? 'grew' : v < 0 ? 'shrank' : '';
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
