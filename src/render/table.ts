import { escapeTerminal, isTerminalSafe } from '../format/escape-terminal.js';
import { type Align, type Column } from '../view/column.js';
import { paintTone, type Style } from './style.js';

export type { Align } from '../view/column.js';

/** A cell's text, with styling applied after widths are measured so colour never skews columns. */
export interface Cell {
  readonly text: string;
  readonly paint?: (s: string) => string;
}

/**
 * The terminal text table of a view: every cell of every text report passes through here (and
 * then layoutTable), so a rule for what may reach a terminal belongs in these two functions.
 */
export function textTable<R>(columns: readonly Column<R>[], rows: readonly R[], style: Style): string[] {
  const cells = rows.map((row, i) =>
    columns.map((c): Cell => {
      const text = c.format(row, i);
      const tone = c.tone?.(row);
      return tone ? { text, paint: (s) => paintTone(style, tone, s) } : { text };
    }),
  );
  return layoutTable(
    columns.map((c) => c.header),
    cells,
    columns.map((c) => c.align),
  );
}

/** Lays out rows of cells in columns two spaces apart; the last column is never padded. */
export function layoutTable(header: readonly string[], unsafeRows: readonly (readonly Cell[])[], align: readonly Align[]): string[] {
  // Whatever reached a cell prints as itself, never as a terminal control (idempotent: renderers escape first).
  const rows = unsafeRows.map((r) => r.map((cell) => (isTerminalSafe(cell.text) ? cell : { ...cell, text: escapeTerminal(cell.text) })));
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]?.text ?? ''))));
  const line = (cells: readonly Cell[]) =>
    cells
      .map((cell, c) => {
        const last = c === cells.length - 1;
        const gap = ' '.repeat(Math.max(0, widths[c]! - width(cell.text)));
        const padded = align[c] === 'right' ? gap + paint(cell) : last ? paint(cell) : paint(cell) + gap;
        return padded;
      })
      .join('  ')
      .trimEnd();
  return [line(header.map((text) => ({ text }))), ...rows.map(line)];
}

function paint(cell: Cell): string {
  return cell.paint ? cell.paint(cell.text) : cell.text;
}

/** Display width in code points (names are ASCII in practice; arrows and ∆ are one column). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
