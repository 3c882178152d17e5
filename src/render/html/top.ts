import type { FlameGraph } from '../../analysis/flame.js';
import { formatSigned } from '../../format/units.js';
import type { PeekReport } from '../../report/peek.js';
import type { TopReport, TopRow } from '../../report/top.js';
import { arrayOf, checkOptions, objectOf, oneOf, type OptionRule } from '../../model/options.js';
import { columnsFor, type Column } from '../../view/column.js';
import { SOURCES } from '../options.js';
import { topColumns } from '../../view/top.js';
import { PLAIN } from '../style.js';
import { gateLines, topCaption, topHeader, type Sources } from '../text-top.js';
import { hintLine } from '../hint.js';
import { escapeHtml } from './escape.js';
import { htmlCell } from './table.js';
import { flameData } from './flame-data.js';
import { peekData } from './peek-data.js';
import { htmlPage } from './page.js';
import { topClient } from './top-client.js';

/** Options of renderTopHtml. */
export interface HtmlTopOptions {
  /** The profiles as the user named them, for the header. */
  readonly sources?: Sources;
  /**
   * The peek of the table's rows (`peekSites(input, report.rows, …)` with the report's options):
   * selecting a row then shows its callers and callees beside the graph. Without it, selecting a
   * row only finds its function in the graph.
   */
  readonly peek?: PeekReport;
}

const PEEK_REPORT: OptionRule = objectOf('a peek report (peekSites of the table rows)', { entries: arrayOf('peek entries'), kind: oneOf(['diff', 'profile']) }, true);

/**
 * The `top` report as one HTML page: the differential icicle of `flame` (built from the same
 * input and options as `report`) beside the report's table, with the text report's numbers.
 */
export function renderTopHtml(report: TopReport, flame: FlameGraph, options: HtmlTopOptions = {}): string {
  checkOptions(options, { sources: SOURCES, peek: PEEK_REPORT } satisfies Record<keyof HtmlTopOptions, OptionRule>);
  const { type, unit } = report.sampleType;
  const peek = options.peek ? peekData(options.peek, report.rows) : null;
  return htmlPage({
    title: `heapdiff top · ${type}`,
    summary: [...topHeader(report, options.sources, PLAIN), ...gateLines(report.gates, PLAIN), ...(report.hint ? ['', hintLine(report.hint, report, options.sources)] : [])],
    body: `<main class="top-layout">\n${flamePane(report, flame)}\n${tablePane(report, peek !== null)}\n</main>`,
    css: TOP_CSS,
    data: { unit, flame: flameData(flame, report.percentOf), peek },
    script: topClient,
  });
}

function flamePane(report: TopReport, flame: FlameGraph): string {
  const diff = flame.kind === 'diff';
  const mode = diff
    ? `<fieldset class="mode"><legend>Box width</legend>
<label><input type="radio" name="width" value="extent" checked> larger of base and current</label>
<label><input type="radio" name="width" value="growth"> growth only</label></fieldset>`
    : '';
  return `<section class="flame-pane" aria-labelledby="flame-title">
<h2 id="flame-title">Call paths${diff ? ', coloured by change' : ''}</h2>
<div class="controls">
<label>Search <input id="search" type="search" placeholder="function name" autocomplete="off" spellcheck="false"></label>
<output id="matches" for="search" aria-live="polite"></output>
${mode}
</div>
<nav id="crumbs" aria-label="Zoom path"></nav>
<div id="detail" aria-live="polite"></div>
<div id="icicle" role="group" aria-label="Icicle of call paths: the root at the top, callees below"></div>
${legend(report, flame)}
</section>`;
}

function legend(report: TopReport, flame: FlameGraph): string {
  const { type, unit } = report.sampleType;
  const shown = `<p>Shown: <strong>${escapeHtml(type)}</strong> in ${escapeHtml(unit)}, by function. Boxes too small to see are merged into a striped “smaller callees” box per parent.</p>`;
  const merged = '<li><span class="swatch other"></span> smaller callees, merged</li>';
  if (flame.kind === 'profile') {
    return `<div class="legend">${shown}<ul><li><span class="swatch plain"></span> one profile: width is the value, no change to colour</li>${merged}</ul>
<p class="note">Hover or focus a box for its numbers; click (or Enter) to zoom in, click the top box to zoom out.</p></div>`;
  }
  return `<div class="legend">${shown}
<ul>
<li><span class="swatch ramp"></span> colour: change of the call path’s total, current − base: <span class="grew">red grew</span>, <span class="shrank">blue shrank</span>, grey unchanged; deeper means a larger change</li>
<li><span class="swatch new"></span> new: not in the base</li>
<li><span class="swatch gone"></span> gone: only in the base</li>
${merged}
</ul>
<p class="note">Width: the larger of base and current (children never wider than their parent), or growth only. Hover or focus a box for base → current, Δ and Δ% of its base; click (or Enter) to zoom in, click the top box to zoom out.</p></div>`;
}

function tablePane(report: TopReport, peek: boolean): string {
  const view = topColumns(report);
  const shown = columnsFor(view, 'html');
  // The site first: the name is what a reader scans; the numbers follow in the text's order.
  const columns = [...shown.filter((c) => c.id === 'site'), ...shown.filter((c) => c.id !== 'site')];
  const diff = report.kind === 'diff';
  const th = columns.map((c) => {
    const sorted = c.sort?.length === 1 && c.sort[0]!.key === report.sort ? ' aria-sort="descending"' : '';
    return `<th scope="col" class="${c.align === 'right' ? 'num' : ''}"${sorted}>${headerCell(c)}</th>`;
  });
  const body = report.rows.map((r, i) => `<tr tabindex="0" ${rowData(shown, r, i)}>${columns.map((c) => htmlCell(c, r, i)).join('')}</tr>`);
  const shownFlat = report.rows.reduce((sum, r) => sum + r.flat, 0);
  const select = peek ? 'Select a row (click, or Enter or Space) to find its function in the graph and see its callers and callees below.' : 'Select a row to find its function in the graph.';
  const footer = diff ? `<p class="note">These rows account for ${escapeHtml(formatSigned(shownFlat, report.sampleType.unit))} of flat change. ${select}</p>` : `<p class="note">${select}</p>`;
  // Filled by the script when a row is selected: the row's peek (pprof -peek) view.
  const peekPane = peek && report.rows.length > 0
    ? `<section id="peek" class="peek-pane" aria-labelledby="peek-title" aria-live="polite">
<h2 id="peek-title">Callers and callees</h2>
<p class="note" id="peek-empty">Select a row of the table to see what calls its function and what it calls, with the change on each edge (as <code>heapdiff peek</code> prints them).</p>
</section>`
    : '';
  const table = report.rows.length === 0
    ? `<p>${diff ? '(no site changed)' : '(no samples)'}</p>`
    : `<div class="table-wrap"><table id="top-table" data-sort="${report.sort}">
<thead><tr>${th.join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody></table></div>`;
  return `<section class="table-pane" aria-labelledby="table-title">
<h2 id="table-title">Top</h2>
<p class="note">${escapeHtml(topCaption(report))}</p>
${table}
${footer}
${peekPane}
</section>`;
}

/** A sortable column's title is its button; a column with two keys has a button on each key's word. */
function headerCell(column: Column<TopRow>): string {
  const keys = column.sort ?? [];
  if (keys.length === 1 && keys[0]!.label === undefined) return button(keys[0]!.key, column.header);
  let out = '';
  let rest = column.header;
  for (const key of keys) {
    const at = key.label === undefined ? -1 : rest.indexOf(key.label);
    if (at < 0) continue;
    out += escapeHtml(rest.slice(0, at)) + button(key.key, key.label!);
    rest = rest.slice(at + key.label!.length);
  }
  return out + escapeHtml(rest);
}

function button(key: string, title: string): string {
  return `<button type="button" class="sort" data-sort="${escapeHtml(key)}">${escapeHtml(title)}</button>`;
}

/** Raw values to sort by, one per sort key of the shown columns, and the function to find in the graph. */
function rowData(columns: readonly Column<TopRow>[], r: TopRow, order: number): string {
  const attrs: Array<[string, number | string]> = [['order', order]];
  for (const c of columns) for (const key of c.sort ?? []) attrs.push([key.key, key.value(r)]);
  attrs.push(['fn', r.name]);
  return attrs.map(([k, v]) => `data-${k}="${escapeHtml(String(v))}"`).join(' ');
}

const TOP_CSS = `
/* The table takes the width its columns need and the graph the rest; where the graph would be
   squeezed, the two stack, the table (the verdict) first. */
.top-layout { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 24px; align-items: start; }
@media (max-width: 1500px) { .top-layout { grid-template-columns: minmax(0, 1fr); } .table-pane { order: -1; } }
/* Only the table sizes its column: the notes and the peek pane wrap to its width. */
.table-pane > p, .table-pane > .peek-pane { contain: inline-size; }
h2 { margin-top: 4px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin-bottom: 6px; }
.controls input[type=search] { font: inherit; padding: 3px 6px; width: 18em; border: 1px solid #888; border-radius: 3px; }
#matches { color: var(--muted); min-width: 8em; }
fieldset.mode { border: 0; padding: 0; margin: 0; display: flex; gap: 10px; align-items: center; }
fieldset.mode legend { float: left; margin-right: 4px; padding: 0; }
#crumbs { display: flex; flex-wrap: wrap; gap: 2px 4px; align-items: center; min-height: 26px; font-family: var(--mono); font-size: 12px; }
#crumbs button { font: inherit; border: 1px solid var(--line); background: var(--panel); border-radius: 3px; padding: 1px 6px; cursor: pointer; color: var(--ink); max-width: 28em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#crumbs button[aria-current] { background: #fff; border-color: #888; font-weight: 600; }
#crumbs .sep { color: var(--muted); }
#detail { min-height: 78px; padding: 6px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; margin: 4px 0 8px; }
#detail .name { font-family: var(--mono); font-weight: 600; overflow-wrap: anywhere; }
#detail .tag { display: inline-block; margin-left: 8px; padding: 0 6px; border-radius: 3px; background: var(--ink); color: #fff; font: 600 11px/18px system-ui, sans-serif; text-transform: uppercase; }
#detail table td { border: 0; padding: 1px 12px 1px 0; }
#icicle { position: relative; overflow: hidden; border-top: 1px solid var(--line); min-height: 40px; }
.box { position: absolute; height: 17px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; font: 11.5px/17px var(--mono); padding: 0 3px; border-radius: 2px; cursor: pointer; }
/* New paths: a hatched band along the bottom edge, so the label keeps its solid ground. */
.box.new { background-image: repeating-linear-gradient(135deg, #000 0 2px, #fff 2px 4px); background-size: 100% 4px; background-position: bottom; background-repeat: no-repeat; box-shadow: inset 0 0 0 1.5px #000; }
.box.gone { box-shadow: inset 0 0 0 1px #000; opacity: .8; }
.box.other { background: repeating-linear-gradient(90deg, #d4d4d4 0 3px, #ececec 3px 6px) !important; color: #333 !important; font-style: italic; }
#icicle.searching .box:not(.match) { opacity: .3; }
.box.match { box-shadow: inset 0 0 0 2px #000, inset 0 0 0 4px #ffd400; font-weight: 700; }
.box:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; z-index: 2; }
.legend { margin-top: 10px; font-size: 13px; }
.legend p { margin: 4px 0; }
.legend ul { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.swatch { display: inline-block; width: 34px; height: 13px; vertical-align: -2px; border-radius: 2px; }
.swatch.ramp { width: 90px; background: linear-gradient(90deg, hsl(212 65% 30%), hsl(212 65% 64%), hsl(212 65% 94%), #e4e4e4, hsl(355 70% 94%), hsl(355 70% 64%), hsl(355 70% 30%)); }
.swatch.new { background: repeating-linear-gradient(135deg, #000 0 2px, #fff 2px 4px) bottom / 100% 4px no-repeat, hsl(355 70% 64%); box-shadow: inset 0 0 0 1.5px #000; }
.swatch.gone { background: hsl(212 65% 64%); box-shadow: inset 0 0 0 1px #000; }
.swatch.other { background: repeating-linear-gradient(90deg, #d4d4d4 0 3px, #ececec 3px 6px); }
.swatch.plain { background: hsl(38 60% 80%); }
.table-wrap { max-height: 80vh; overflow: auto; border: 1px solid var(--line); }
#top-table { width: 100%; font-size: 12.5px; }
#top-table td { font-family: var(--mono); }
#top-table td.site { white-space: nowrap; }
#top-table tbody tr { cursor: pointer; }
#top-table tbody tr:hover, #top-table tbody tr:focus { background: #fff6cc; }
button.sort { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: var(--ink); text-decoration: underline dotted; }
button.sort[aria-pressed="true"]::after { content: " ▼"; }
button.sort[aria-pressed="true"].ascending::after { content: " ▲"; }
#top-table tbody tr[aria-current="true"] { background: #ffe98a; box-shadow: inset 3px 0 0 var(--focus); }
.peek-pane { margin-top: 14px; padding: 6px 10px 10px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
.peek-pane h2 { margin: 4px 0 6px; }
.peek-pane h3 { font-size: 14px; margin: 10px 0 4px; }
.peek-pane .name { font-family: var(--mono); font-weight: 600; overflow-wrap: anywhere; }
.peek-pane table { font-size: 12.5px; width: 100%; }
.peek-pane td { font-family: var(--mono); }
.peek-pane td.site { overflow-wrap: anywhere; }
`;
