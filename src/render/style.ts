import type { Tone } from '../view/column.js';

/** ANSI styling that disappears entirely when colour is off (pipes, NO_COLOR). */
export interface Style {
  readonly growth: (s: string) => string;
  readonly shrink: (s: string) => string;
  readonly strong: (s: string) => string;
  readonly dim: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export const PLAIN: Style = { growth: (s) => s, shrink: (s) => s, strong: (s) => s, dim: (s) => s };
export const ANSI: Style = { growth: wrap(31, 39), shrink: wrap(32, 39), strong: wrap(1, 22), dim: wrap(2, 22) };

/** Colour for a signed change: growth red (it is the leak signal), shrinkage green. */
export function bySign(style: Style, value: number, text: string): string {
  return value > 0 ? style.growth(text) : value < 0 ? style.shrink(text) : text;
}

/** A cell's tone in the terminal: growth red, shrinkage green, alarm bold red, noise dim. */
export function paintTone(style: Style, tone: Tone, text: string): string {
  if (tone === 'growth') return style.growth(text);
  if (tone === 'shrink') return style.shrink(text);
  if (tone === 'alarm') return style.strong(style.growth(text));
  return style.dim(text);
}
