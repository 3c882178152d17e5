import { sha256Base64 } from '../../format/sha256.js';
import { escapeHtml, scriptJson } from './escape.js';

export interface PageParts {
  /** The document title and the page's heading. */
  readonly title: string;
  /** Lines saying what is compared, shown under the heading as they read in the text report. */
  readonly summary: readonly string[];
  /** Markup of the page's body, already escaped. */
  readonly body: string;
  /** The page's own styles, after the shared ones. */
  readonly css?: string;
  /** Embedded as JSON for the script, which reads it from #heapdiff-data. */
  readonly data?: unknown;
  /** A self-contained function, inlined by its source and called once the page has loaded. */
  readonly script?: () => void;
}

/**
 * One self-contained HTML document: styles and script inline, no fonts, images or requests, so it
 * opens from file://, a CI artifact or an email. The content security policy forbids every fetch,
 * so a mistake that would load something fails loudly instead of leaking; it runs only the page's
 * own script (named by its SHA-256, so the page stays byte-for-byte deterministic), and refuses
 * form submissions and a <base> that would send links elsewhere. The page has no meta refresh.
 */
export function htmlPage(parts: PageParts): string {
  const script = parts.script === undefined ? undefined : `(${parts.script.toString()})();`;
  const scriptSrc = script === undefined ? "'none'" : `'sha256-${sha256Base64(script)}'`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptSrc}; img-src data:; form-action 'none'; base-uri 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${BASE_CSS}${parts.css ?? ''}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(parts.title)}</h1><pre class="summary">${parts.summary.map(escapeHtml).join('\n')}</pre></header>`,
    parts.body,
    parts.data === undefined ? '' : `<script type="application/json" id="heapdiff-data">${scriptJson(parts.data)}</script>`,
    script === undefined ? '' : `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Shared look: system fonts only, dark text on light ground (contrast above WCAG AA), and one
 * palette for change everywhere: growth in red, shrinkage in blue, which stay apart for the
 * common colour-vision deficiencies.
 */
const BASE_CSS = `
:root { --growth: #b2182b; --growth-soft: #fbe3dc; --shrink: #2166ac; --shrink-soft: #dbe9f6; --ink: #1a1a1a; --muted: #555;
  --line: #c8c8c8; --ground: #fff; --panel: #f5f5f5; --focus: #6a3d9a; --mono: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 20px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--ground); }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 18px 0 8px; }
pre, code, .mono { font-family: var(--mono); font-size: 12.5px; }
pre.summary { margin: 0 0 12px; white-space: pre-wrap; color: var(--ink); }
table { border-collapse: collapse; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e2e2e2; vertical-align: top; }
th { text-align: left; background: var(--panel); position: sticky; top: 0; z-index: 1; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.grew { color: var(--growth); }
.shrank { color: var(--shrink); }
.noise { color: var(--muted); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
.note { color: var(--muted); }
`;
