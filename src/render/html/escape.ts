import { escapeJsonText } from '../../format/escape-json.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;', '\n': '&#10;' };

/**
 * Text for HTML content and quoted attribute values: symbol names carry `<`, `&` and quotes. Line
 * breaks and `##[` become character references too (the browser reads them back unchanged), so a
 * page written to stdout in a CI log never has a line that a name starts, nor a workflow command.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\r\n]|##\[/g, (c) => (c === '##[' ? '#&#35;[' : ENTITIES[c]!));
}

/**
 * JSON to embed in `<script type="application/json">`. Every `<` becomes `\u003c`, which JSON
 * reads back as `<`, so no `</script` or `<!--` in a function name can end or confuse the
 * element; U+2028/U+2029, bidi and zero-width characters and `##[` are escaped too (escapeJsonText).
 */
export function scriptJson(value: unknown): string {
  return escapeJsonText(JSON.stringify(value).replace(/</g, '\\u003c'));
}
