/**
 * A copy of plain data (objects, arrays) with every string passed through `f`: a renderer applies
 * its output kind's escaping to a whole report in one call, so no field it prints is missed.
 */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  return walk(value, f) as T;
}

function walk(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, f));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, f);
  return out;
}
