import { siteLabel } from '../analysis/sites.js';
import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { PeekEdge, PeekEntry, PeekReport } from '../report/peek.js';
import { criticalValue } from '../stats/difference.js';
import { signTone, type Column } from './column.js';
import { inlineMark, siteNoun } from './top.js';

/** One line of a peek table: a caller of the entry, the entry itself, or a callee (pprof's layout). */
export interface PeekLine {
  readonly kind: 'caller' | 'entry' | 'callee';
  readonly entry: PeekEntry;
  /** The edge, for callers and callees; null on the entry's own line. */
  readonly edge: PeekEdge | null;
  /** Σ flat of the entries up to this one: pprof's sum%. */
  readonly runningFlat: number;
}

/** The lines of every entry in order: its callers, itself, its callees. */
export function peekLines(report: PeekReport): PeekLine[] {
  const out: PeekLine[] = [];
  let running = 0;
  for (const entry of report.entries) {
    running += entry.flat;
    for (const edge of entry.callers) out.push({ kind: 'caller', entry, edge, runningFlat: running });
    out.push({ kind: 'entry', entry, edge: null, runningFlat: running });
    for (const edge of entry.callees) out.push({ kind: 'callee', entry, edge, runningFlat: running });
  }
  return out;
}

/** The name cell: the entry's name, or an arrow and its caller (←) or callee (→), inline marks after. */
export function peekName(line: PeekLine): string {
  if (line.edge === null) return siteLabel(line.entry) + inlineMark(line.entry);
  return `${line.kind === 'caller' ? '  ← ' : '  → '}${siteLabel(line.edge)}${line.edge.inline ? ' (inline)' : ''}`;
}

/**
 * The peek table's columns, pprof's `flat flat% sum% cum cum% calls calls%`: the entry's own values
 * on its line, each edge's change and its share of the entry's cum on the edge lines. A diff
 * shows signed changes (no sum%, which only a single profile's rows add up to).
 */
export function peekColumns(report: PeekReport): Column<PeekLine>[] {
  const unit = report.sampleType.unit;
  const diff = report.kind === 'diff';
  const value = (v: number) => (diff ? formatSigned(v, unit) : scaledLabel(v, unit));
  const ofTotal = (v: number) => (diff ? formatPercentSigned(v, report.percentOf) ?? '' : percentage(v, report.percentOf).trim());
  const entryOnly = (f: (e: PeekEntry, l: PeekLine) => string) => (l: PeekLine) => (l.edge === null ? f(l.entry, l) : '');
  const edgeOnly = (f: (e: PeekEdge, l: PeekLine) => string) => (l: PeekLine) => (l.edge !== null ? f(l.edge, l) : '');
  const d = diff ? 'Δ' : '';
  const columns: Column<PeekLine>[] = [
    { id: 'flat', header: `${d}flat`, align: 'right', format: entryOnly((e) => value(e.flat)), ...(diff ? { tone: (l: PeekLine) => (l.edge === null ? signTone(l.entry.flat) : undefined) } : {}) },
    ...intervalColumn(report),
    { id: 'flatPercent', header: `${d}flat%`, align: 'right', format: entryOnly((e) => ofTotal(e.flat)) },
    ...(diff ? [] : [{ id: 'sumPercent', header: 'sum%', align: 'right' as const, format: entryOnly((_, l) => ofTotal(l.runningFlat)) }]),
    { id: 'cum', header: `${d}cum`, align: 'right', format: entryOnly((e) => value(e.cum)), ...(diff ? { tone: (l: PeekLine) => (l.edge === null ? signTone(l.entry.cum) : undefined) } : {}) },
    { id: 'cumPercent', header: `${d}cum%`, align: 'right', format: entryOnly((e) => ofTotal(e.cum)) },
    { id: 'calls', header: `${d}calls`, align: 'right', format: edgeOnly((e) => value(e.cum)), ...(diff ? { tone: (l: PeekLine) => (l.edge !== null ? signTone(l.edge.cum) : undefined) } : {}) },
    // pprof's calls%: the edge's share of the entry's cum, unsigned.
    { id: 'callsPercent', header: 'calls%', align: 'right', format: edgeOnly((e, l) => percentage(e.cum, l.entry.cum).trim()) },
    { id: 'site', header: `${siteNoun(report.granularity)}: ← callers, → callees`, align: 'left', format: peekName, code: true },
  ];
  return columns;
}

/**
 * A diff's `±` after Δflat on each entry's own line, as `top` shows it (the half-width at the
 * report's confidence), with `~` when the change is within sampling noise; blank where neither side
 * has a sample of the entry's flat, and on edge lines (an edge's change has no test).
 */
function intervalColumn(report: PeekReport): Column<PeekLine>[] {
  if (report.kind !== 'diff' || report.errorModel === 'exact') return [];
  const z = criticalValue(report.confidence);
  const format = (l: PeekLine): string => {
    if (l.edge !== null) return '';
    const e = l.entry;
    if (e.flatError === 0 && (e.base?.flat ?? 0) === 0 && e.current.flat === 0) return '';
    const half = e.flatError === null ? '?' : scaledLabel(z * e.flatError, report.sampleType.unit);
    return e.significant === false ? `${half}~` : half;
  };
  return [{ id: 'interval', header: '±', align: 'right', format }];
}
