import type { Column, Tone } from '../../view/column.js';
import { escapeHtml } from './escape.js';

/**
 * One table cell of an HTML report: every view cell of every HTML page (the top table, list's
 * tables, trend's site cards) is written here, so a rule for what a cell may contain goes here.
 */
export function htmlCell<R>(column: Column<R>, row: R, index: number, tag: 'td' | 'dd' = 'td', extraClass?: string): string {
  const classes = column.align === 'right' ? ['num'] : [];
  const tone = toneClass(column.tone?.(row));
  if (tone) classes.push(tone);
  if (column.code) classes.push('site');
  if (extraClass) classes.push(extraClass);
  const attr = tag === 'td' ? ` class="${classes.join(' ')}"` : '';
  return `<${tag}${attr}>${escapeHtml(column.format(row, index))}</${tag}>`;
}

/** The page's class for a tone: the shared palette has growth, shrinkage and noise (dimmed, as the text's). */
export function toneClass(tone: Tone | undefined): string {
  return tone === 'growth' || tone === 'alarm' ? 'grew' : tone === 'shrink' ? 'shrank' : tone === 'muted' ? 'noise' : '';
}
