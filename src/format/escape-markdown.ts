import { escapeTerminal } from './escape-terminal.js';

/**
 * The rule for GitHub-flavoured Markdown (pull-request comments, job summaries): every profile
 * string is inert wherever it lands. A name is a code span, where GitHub renders no HTML, link,
 * image, heading, emphasis or @mention; inside it, control, bidi and zero-width characters
 * (CR and LF above all, which would end the table row) are shown escaped as in terminal text, a
 * `|` is written `\|` (GitHub splits table cells on it even inside code), and the fence is one
 * backtick longer than the longest run of backticks in the name, so no name can close it. Names
 * longer than MAX_NAME characters keep their start and end around an ellipsis, so a report's size
 * does not depend on what the profile's strings are.
 */
export const MAX_NAME = 240;

export function markdownCode(text: string, max = MAX_NAME): string {
  const body = shorten(escapeTerminal(text), max).replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // GitHub drops one space at each end of a span, so padding lets a name start or end with a backtick.
  const pad = longestRun > 0 ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Free text heapdiff composed that may carry a profile string (a value with the profile's unit,
 * a breach message): as it is when every character is plain (letters, digits, spaces and the
 * punctuation of numbers and arrows), else as a code span, which is inert whatever it holds.
 */
export function markdownText(text: string): string {
  return PLAIN.test(text) && !/:\/\/|www\./i.test(text) ? text : markdownCode(text);
}

const PLAIN = /^[\p{L}\p{N} .,:;=+\-−←→↑↓%/()·…'²Δ≈×±▁▂▃▄▅▆▇█]*$/u;

/** The text in at most `max` code points: its start and end around `…` when longer. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${points.slice(0, head).join('')}…${tail > 0 ? points.slice(-tail).join('') : ''}`;
}
