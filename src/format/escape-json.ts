/**
 * The rule for JSON text that may land in a terminal or a CI log: JSON.stringify already escapes
 * C0 controls and quotes, but prints DEL, C1 controls, bidi overrides, zero-width characters and
 * the line separators as they are, and `##[` (a workflow command anywhere in a GitHub Actions log
 * line). Each becomes a \u escape, which every JSON reader turns back into the same string: the
 * data is unchanged, only its spelling. They occur only inside strings, so the whole text can be
 * rewritten at once.
 */
const UNSAFE = /[\x7f-\x9f\p{Default_Ignorable_Code_Point}\u2028\u2029]|##\[/gu;

export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE, (c) => (c === '##[' ? '#\\u0023[' : unicodeEscape(c)));
}

function unicodeEscape(c: string): string {
  // Astral characters are two UTF-16 units; JSON spells each as its own \u escape.
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}
