/** A Markdown code span that survives backticks and table pipes in a symbol name. */
export function markdownCode(text: string): string {
  const safe = text.replace(/\|/g, '\\|');
  const fence = safe.includes('`') ? '`` ' : '`';
  return `${fence}${safe}${fence.split('').reverse().join('')}`;
}
