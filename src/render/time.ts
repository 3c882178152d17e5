/** Capture times print in UTC so reports read the same on every machine. */
export function formatCaptureTime(timeNanos: number): string {
  if (timeNanos === 0) return 'time unknown';
  const iso = new Date(Math.round(timeNanos / 1e6)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** "2h 5m", "7s", "350ms": the gap between two captures, to the two largest units. */
export function formatInterval(nanos: number): string {
  const ms = Math.abs(nanos) / 1e6;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [name, size] of units) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) {
      if (n > 0) parts.push(`${n}${name}`);
      rest -= n * size;
    }
  }
  return parts.join(' ');
}

/** How the current capture relates to the base in time, for the header. */
export function describeGap(baseNanos: number, currentNanos: number): string {
  if (baseNanos === 0 || currentNanos === 0) return '';
  const gap = currentNanos - baseNanos;
  if (gap === 0) return 'same time as base';
  return gap > 0 ? `${formatInterval(gap)} after base` : `${formatInterval(gap)} BEFORE base: are the arguments swapped?`;
}
