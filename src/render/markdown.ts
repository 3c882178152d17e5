import type { Gates } from '../report/gates.js';
import { markdownCode, markdownText } from '../format/escape-markdown.js';
import type { Column } from '../view/column.js';

export { markdownCode, markdownText };

/**
 * A Markdown table's title and rule lines. `rule` is the dashes of a right-aligned column's rule
 * ('---:' in `top`, '--:' in `trend`, as their committed comments read).
 */
export function markdownTableHead<R>(columns: readonly Column<R>[], rule: '---:' | '--:'): string {
  return `| ${columns.map((c) => markdownText(c.header)).join(' | ')} |\n|${columns.map((c) => (c.align === 'right' ? rule : ':--')).join('|')}|`;
}

/** One Markdown table row: every cell of every Markdown table is written by markdownCell. */
export function markdownRow<R>(columns: readonly Column<R>[], row: R, index: number): string {
  return `| ${columns.map((c) => markdownCell(c, row, index)).join(' | ')} |`;
}

/** A cell: symbols as code spans, alarms in bold, the rest as formatted; inert whatever a profile put in it. */
function markdownCell<R>(column: Column<R>, row: R, index: number): string {
  const text = column.format(row, index);
  if (column.code) return markdownCode(text);
  const safe = markdownText(text);
  return column.tone?.(row) === 'alarm' ? `**${safe}**` : safe;
}

/** A badge for the heading and a list of breaches (at most 10 of each kind), or null without rules. */
export function markdownGates(gates: Gates | null): { badge: string; details: string } | null {
  if (!gates) return null;
  const { failOn, warnOn } = gates;
  const lines = [
    ...failOn.breaches.slice(0, 10).map((b) => `- ❌ ${markdownText(b.message)}`),
    ...warnOn.breaches.slice(0, 10).map((b) => `- ⚠️ ${markdownText(b.message)}`),
  ];
  const more = failOn.breaches.length + warnOn.breaches.length - lines.length;
  if (more > 0) lines.push(`- … and ${more} more`);
  const rules = [...failOn.rules, ...warnOn.rules].map((r) => markdownCode(r)).join(', ');
  const count = failOn.breaches.length;
  const badge = failOn.passed ? (warnOn.passed ? '✅ gates passed' : '⚠️ warnings') : `❌ ${count} gate breach${count === 1 ? '' : 'es'}`;
  return { badge, details: lines.length > 0 ? lines.join('\n') : `All rules hold: ${rules}.` };
}

/** GitHub refuses comments (and job summaries) longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * How many of `count` lines (each followed by a newline) fit in `budget` characters, in order;
 * lines are made only as needed, so a profile with a million sites costs what fits.
 */
export function linesThatFit(count: number, line: (i: number) => string, budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < count; i++) {
    const text = line(i);
    if (used + text.length + 1 > budget) break;
    used += text.length + 1;
    out.push(text);
  }
  return out;
}
