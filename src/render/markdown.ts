import type { Gates } from '../report/gates.js';

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
