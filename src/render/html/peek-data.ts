import { siteLabel } from '../../analysis/sites.js';
import { Interner } from '../../base/interner.js';
import type { PeekReport } from '../../report/peek.js';
import type { TopRow } from '../../report/top.js';
import { peekColumns, peekLines, type PeekLine } from '../../view/peek.js';
import { inlineMark } from '../../view/top.js';

/**
 * The peek of the `top` table's rows as the page's script reads it: per row (in the table's
 * data order) its own flat and cum and each caller's and callee's edge, with the peek text
 * report's labels, names and labels interned once. One edge is [name, calls, calls%, inline].
 */
export interface PeekData {
  /** Column titles, from the peek report's columns: flat, flat%, cum, cum%, calls, calls%. */
  readonly headers: Readonly<Record<'flat' | 'flatPercent' | 'cum' | 'cumPercent' | 'calls' | 'callsPercent', string>>;
  readonly names: readonly string[];
  readonly labels: readonly string[];
  /** One per table row: null when the row's site has no entry (no change); else its name, labels and edges. */
  readonly rows: ReadonlyArray<PeekRowData | null>;
}

export interface PeekRowData {
  /** Name (with its inline mark) and the flat, flat%, cum, cum% labels, as ids. */
  readonly self: readonly number[];
  readonly callers: readonly (readonly number[])[];
  readonly callees: readonly (readonly number[])[];
}

const FIELDS = ['flat', 'flatPercent', 'cum', 'cumPercent', 'calls', 'callsPercent'] as const;

export function peekData(report: PeekReport, rows: readonly TopRow[]): PeekData {
  const columns = peekColumns(report);
  const column = (id: string) => columns.find((c) => c.id === id);
  const headers = Object.fromEntries(FIELDS.map((id) => [id, column(id)?.header ?? ''])) as PeekData['headers'];
  const names = new Interner();
  const labels = new Interner();
  const label = (id: string, line: PeekLine, i: number) => labels.id(column(id)?.format(line, i) ?? '');
  const byLabel = new Map<string, { self: number[]; callers: number[][]; callees: number[][] }>();
  peekLines(report).forEach((line, i) => {
    const key = siteLabel(line.entry);
    let entry = byLabel.get(key);
    if (entry === undefined) byLabel.set(key, (entry = { self: [], callers: [], callees: [] }));
    if (line.edge === null) {
      entry.self = [names.id(key + inlineMark(line.entry)), ...['flat', 'flatPercent', 'cum', 'cumPercent'].map((id) => label(id, line, i))];
    } else {
      const edge = [names.id(siteLabel(line.edge)), label('calls', line, i), label('callsPercent', line, i), line.edge.inline ? 1 : 0];
      (line.kind === 'caller' ? entry.callers : entry.callees).push(edge);
    }
  });
  return { headers, names: names.values, labels: labels.values, rows: rows.map((r) => byLabel.get(siteLabel(r)) ?? null) };
}
