/**
 * The rule for terminal text (text reports, warnings, error messages): a profile string is shown,
 * never obeyed. Every control character (C0, DEL, C1: ESC and OSC sequences, CR, LF, backspace,
 * NUL), every default-ignorable character (bidi overrides such as U+202E, zero-width characters)
 * and the line and paragraph separators appear as a visible escape, so no name can start a line,
 * retitle a window, clear the screen or reorder the text around it. TAB stays: it moves the cursor
 * only forward, and Go source lines shown by `list` are indented with it.
 *
 * In GitHub Actions this text is the job log, where a line starting with `::` or holding `##[`
 * anywhere is a workflow command; with line breaks escaped a name never starts a line, and `##[`
 * is shown as `#\x23[`. Default-ignorables are escaped for the log's sake too: the runner matches
 * `##[` with a culture-aware search that skips them.
 *
 * The escapes are plain printable ASCII, so escaping twice changes nothing (renderers and the
 * table writer may both apply it). A backslash is left as it is: names such as Windows paths
 * carry them, and the ambiguity harms nobody.
 */
const UNSAFE = /(?!\t)[\p{Cc}\p{Default_Ignorable_Code_Point}\u2028\u2029]|##\[/gu;

export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/** Whether `text` prints as itself (nothing to escape). */
export function isTerminalSafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return !UNSAFE.test(text);
}

function visibleEscape(c: string): string {
  if (c === '##[') return '#\\x23[';
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  const code = c.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}
