/** Reads what `go tool pprof -top -unit=B` (or `-unit=ns`) printed, so tests can compare exact numbers. */
export interface PprofTop {
  /** The "of N total" figure: pprof's percentage denominator. */
  readonly total: number;
  /** The "accounting for N" figure: Σ flat of the rows shown. */
  readonly shown: number;
  /** Printable name (without the inline marker) → [flat, cum]. */
  readonly rows: Record<string, [number, number]>;
  /** Printable name → pprof's marker, for the rows that have one. */
  readonly marks: Record<string, 'inline' | 'partial-inline'>;
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
  const marks: Record<string, 'inline' | 'partial-inline'> = {};
  for (const line of lines.slice(header + 1)) {
    if (line.trim() === '') continue;
    const row = /^\s*(\S+)\s+\S+\s+\S+\s+(\S+)\s+\S+\s{2}(.*?)(?: \(((?:partial-)?inline)\))?$/.exec(line);
    if (!row) throw new Error(`unexpected pprof row: ${line}`);
    rows[row[3]!] = [exact(row[1]!), exact(row[2]!)];
    if (row[4]) marks[row[3]!] = row[4] as 'inline' | 'partial-inline';
  }
  return { total: exact(m[2]!), shown: exact(m[1]!.replace(/,$/, '')), rows, marks };
}

/** One caller or callee line of `go tool pprof -peek`. */
export interface PprofPeekEdge {
  readonly name: string;
  readonly value: number;
  /** As printed: the edge's share of the entry's cum, padded as pprof pads it. */
  readonly percent: string;
  readonly inline: boolean;
}

export interface PprofPeekEntry {
  readonly name: string;
  readonly flat: number;
  readonly cum: number;
  /** flat%, sum% and cum% as printed (sum% runs over the printed entries only). */
  readonly percents: [string, string, string];
  readonly callers: PprofPeekEdge[];
  readonly callees: PprofPeekEdge[];
}

export interface PprofPeek {
  readonly total: number;
  /** The "accounting for N" figure: Σ flat of every node, printed or not. */
  readonly shown: number;
  readonly entries: PprofPeekEntry[];
}

const SEPARATOR = '----------------------------------------------------------+-------------';

/** Reads what `go tool pprof -peek RX -unit=B` printed: entries in order, each with its edges in order. */
export function parsePprofPeek(text: string): PprofPeek {
  const lines = text.split('\n');
  const summary = lines.find((l) => l.startsWith('Showing nodes accounting for'));
  const m = summary && /accounting for (\S+), .* of (\S+) total/.exec(summary);
  if (!m) throw new Error('no "Showing nodes accounting for" line');
  const legend = lines.findIndex((l) => /^\s+flat\s+flat%.*calls%/.test(l));
  const entries: PprofPeekEntry[] = [];
  let block: string[] = [];
  const flush = () => {
    if (block.length === 0) return;
    const at = block.findIndex((l) => !/^ {20}/.test(l));
    const node = /^\s*(\S+) (.{5,}%) (.{5,}%)\s+(\S+) (.{5,}%) {16}\| (.*)$/.exec(block[at] ?? '');
    if (!node) throw new Error(`no entry line in block:\n${block.join('\n')}`);
    const edge = (l: string): PprofPeekEdge => {
      const e = /^\s+(\S+) (.{5,}%) \| {3}(.*?)( \(inline\))?$/.exec(l);
      if (!e) throw new Error(`unexpected pprof edge line: ${l}`);
      return { name: e[3]!, value: exact(e[1]!), percent: e[2]!, inline: e[4] !== undefined };
    };
    entries.push({
      name: node[6]!,
      flat: exact(node[1]!),
      cum: exact(node[4]!),
      percents: [node[2]!, node[3]!, node[5]!],
      callers: block.slice(0, at).map(edge),
      callees: block.slice(at + 1).map(edge),
    });
    block = [];
  };
  for (const line of lines.slice(legend + 2)) {
    if (line === SEPARATOR) flush();
    else if (line !== '') block.push(line);
  }
  flush();
  return { total: exact(m[2]!), shown: exact(m[1]!.replace(/,$/, '')), entries };
}
