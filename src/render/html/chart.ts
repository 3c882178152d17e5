import { scale, scaledLabel } from '../../format/units.js';

/** Maps a data interval onto a pixel interval (an empty one onto its start). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/**
 * Axis ticks from 0 past `max`, at 1, 2 or 5 times a power of ten in the unit a label is printed
 * in (so bytes tick at 20MB, not at 20,000,000 B), each with its scaled label.
 */
export function valueTicks(max: number, unit: string, count = 4): Array<{ value: number; label: string }> {
  if (!(max > 0)) return [{ value: 0, label: '0' }];
  const factor = max / scale(max, unit, 'auto').value;
  const raw = max / factor / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power * factor;
  const ticks: Array<{ value: number; label: string }> = [];
  for (let k = 0; k * step < max + step; k++) ticks.push({ value: k * step, label: scaledLabel(k * step, unit) });
  return ticks;
}

/** SVG coordinates, rounded to a tenth of a pixel so the markup is short and stable. */
export function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}
