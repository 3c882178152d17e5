import { checkLabelKey } from './labels.js';
import { StoreError } from './url.js';

/** `store:key=value,…[,from=TIME,to=TIME]`: the stored profiles one side of a report is made of. */
export interface StoreSide {
  /** As the user wrote it, for headers and JSON `source`. */
  readonly text: string;
  /** Every one must hold: a profile has label key with exactly this value. */
  readonly labels: readonly (readonly [string, string])[];
  /** Capture time bounds in nanoseconds since the epoch: from inclusive, to exclusive. */
  readonly from: bigint | null;
  readonly to: bigint | null;
}

export const STORE_PREFIX = 'store:';

export function isStoreSide(arg: string): boolean {
  return arg.startsWith(STORE_PREFIX);
}

/**
 * Parses a store side. Keys and values are percent-decoded, so a value holding `,` or `=` is
 * written %2C or %3D. TIME is ISO 8601 in UTC: 2026-11-28, 2026-11-28T07:00Z,
 * 2026-11-28T07:00:00.5Z.
 */
export function parseStoreSide(text: string): StoreSide {
  const body = text.slice(STORE_PREFIX.length);
  const labels: [string, string][] = [];
  let from: bigint | null = null;
  let to: bigint | null = null;
  const seen = new Set<string>();
  for (const part of body === '' ? [] : body.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new StoreError(`${text}: expected key=value, not ${JSON.stringify(part)} (write , and = inside a value as %2C and %3D)`);
    const key = decode(part.slice(0, eq), text);
    const value = decode(part.slice(eq + 1), text);
    if (seen.has(key)) throw new StoreError(`${text}: ${key} is given twice`);
    seen.add(key);
    if (key === 'from') from = parseTime(value, text);
    else if (key === 'to') to = parseTime(value, text);
    else labels.push([checkLabelKey(key, text), value]);
  }
  if (from !== null && to !== null && from >= to) throw new StoreError(`${text}: from= must be before to=`);
  return { text, labels, from, to };
}

function decode(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new StoreError(`${where}: ${JSON.stringify(text)} is not valid percent-encoding`);
  }
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?Z?$/;

/** ISO 8601 UTC to nanoseconds since the epoch, exactly (BigInt: today's times exceed 2^53). */
export function parseTime(text: string, where: string): bigint {
  const m = TIME.exec(text);
  if (m === null || (m[4] !== undefined && !text.endsWith('Z'))) {
    throw new StoreError(`${where}: time ${JSON.stringify(text)} is not ISO 8601 UTC (e.g. 2026-11-28 or 2026-11-28T07:00:00Z)`);
  }
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m.slice(1) as (string | undefined)[];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  if (
    Number.isNaN(ms) ||
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    back.getUTCHours() !== Number(h) ||
    back.getUTCMinutes() !== Number(mi) ||
    back.getUTCSeconds() !== Number(s)
  ) {
    throw new StoreError(`${where}: time ${JSON.stringify(text)} is not a real date and time`);
  }
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
}
