import type { Gates } from '../report/gates.js';
import type { Column } from '../view/column.js';

/**
 * A Markdown table's title and rule lines. `rule` is the dashes of a right-aligned column's rule
 * ('---:' in `top`, '--:' in `trend`, as their committed comments read).
 */
export function markdownTableHead<R>(columns: readonly Column<R>[], rule: '---:' | '--:'): string {
  return `| ${columns.map((c) => c.header).join(' | ')} |\n|${columns.map((c) => (c.align === 'right' ? rule : ':--')).join('|')}|`;
}

/** One Markdown table row: every cell of every Markdown table is written by markdownCell. */
export function markdownRow<R>(columns: readonly Column<R>[], row: R, index: number): string {
  return `| ${columns.map((c) => markdownCell(c, row, index)).join(' | ')} |`;
}

/** A cell: symbols as code spans, alarms in bold, the rest as formatted. */
function markdownCell<R>(column: Column<R>, row: R, index: number): string {
  const text = column.format(row, index);
  if (column.code) return markdownCode(text);
  return column.tone?.(row) === 'alarm' ? `**${text}**` : text;
}

/** A Markdown code span that survives backticks and table pipes in a symbol name. */
export function markdownCode(text: string): string {
  const safe = text.replace(/\|/g, '\\|');
  const fence = safe.includes('`') ? '`` ' : '`';
  return `${fence}${safe}${fence.split('').reverse().join('')}`;
}

/** A badge for the heading and a list of breaches (at most 10 of each kind), or null without rules. */
export function markdownGates(gates: Gates | null): { badge: string; details: string } | null {
  if (!gates) return null;
  const { failOn, warnOn } = gates;
  const lines = [
    ...failOn.breaches.slice(0, 10).map((b) => `- ❌ ${escapeMarkdown(b.message)}`),
    ...warnOn.breaches.slice(0, 10).map((b) => `- ⚠️ ${escapeMarkdown(b.message)}`),
  ];
  const more = failOn.breaches.length + warnOn.breaches.length - lines.length;
  if (more > 0) lines.push(`- … and ${more} more`);
  const rules = [...failOn.rules, ...warnOn.rules].map(markdownCode).join(', ');
  const count = failOn.breaches.length;
  const badge = failOn.passed ? (warnOn.passed ? '✅ gates passed' : '⚠️ warnings') : `❌ ${count} gate breach${count === 1 ? '' : 'es'}`;
  return { badge, details: lines.length > 0 ? lines.join('\n') : `All rules hold: ${rules}.` };
}

/** Escapes what Markdown or HTML would read as markup in a free-text message. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}
