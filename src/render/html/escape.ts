const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and quoted attribute values: symbol names carry `<`, `&` and quotes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON to embed in `<script type="application/json">`. Every `<` becomes `\u003c`, which JSON
 * reads back as `<`, so no `</script` or `<!--` in a function name can end or confuse the
 * element; U+2028/U+2029 are escaped too, for any reader that treats the text as JavaScript.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
