/** Reads what `go tool pprof -top -unit=B` (or `-unit=ns`) printed, so tests can compare exact numbers. */
export interface PprofTop {
  /** The "of N total" figure: pprof's percentage denominator. */
  readonly total: number;
  /** The "accounting for N" figure: Σ flat of the rows shown. */
  readonly shown: number;
  /** Printable name (without the inline marker) → [flat, cum]. */
  readonly rows: Record<string, [number, number]>;
}

/** Exact only for values printed as integers: bytes with -unit=B, nanoseconds with -unit=ns, or plain counts. */
function exact(text: string): number {
  const m = /^(-?\d+)(?:B|ns)?$/.exec(text);
  if (!m) throw new Error(`not an exact pprof value: ${text} (record with -unit=B or -unit=ns)`);
  return Number(m[1]);
}

export function parsePprofTop(text: string): PprofTop {
  const lines = text.split('\n');
  const summary = lines.find((l) => l.startsWith('Showing nodes accounting for'));
  const m = summary && /accounting for (\S+), .* of (\S+) total/.exec(summary);
  if (!m) throw new Error('no "Showing nodes accounting for" line');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  const rows: Record<string, [number, number]> = {};
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    const row = /^\s*(\S+)\s+\S+\s+\S+\s+(\S+)\s+\S+\s{2}(.*?)(?: \((?:partial-)?inline\))?$/.exec(line);
    if (!row) throw new Error(`unexpected pprof row: ${line}`);
    rows[row[3]!] = [exact(row[1]!), exact(row[2]!)];
  }
  return { total: exact(m[2]!), shown: exact(m[1]!.replace(/,$/, '')), rows };
}
