import type { Gates } from '../report/gates.js';
import type { SideSummary, TopReport } from '../report/top.js';
import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import { criticalValue } from '../stats/difference.js';
import { checkOptions, type OptionRule } from '../model/options.js';
import { columnsFor } from '../view/column.js';
import { SOURCES, STYLE } from './options.js';
import { topColumns } from '../view/top.js';
import { hintLine } from './hint.js';
import { terminalSafe } from './escape-terminal-report.js';
import { PLAIN, bySign, type Style } from './style.js';
import { textTable, type Align } from './table.js';
import { describeGap, formatCaptureTime } from './time.js';

/** Where the report's profiles came from, as the user named them. */
export interface Sources {
  readonly base?: string;
  readonly current: string;
  /**
   * A side named by several paths (`--base a --base b`), each path: `base`/`current` join them
   * with spaces for headers, and a command that names the side again (the hint's `peek`) needs
   * them apart.
   */
  readonly baseParts?: readonly string[];
  readonly currentParts?: readonly string[];
}

/** Options of renderTopText. */
export interface TextOptions {
  /** The profiles as the user named them, for the header. */
  readonly sources?: Sources;
  /** Colours for a terminal (ANSI) or none (PLAIN, the default). */
  readonly style?: Style;
}

/** The `top` report as text: a header that says what is compared, then one row per site. */
export function renderTopText(unsafeReport: TopReport, options: TextOptions = {}): string {
  checkOptions(options, { sources: SOURCES, style: STYLE } satisfies Record<keyof TextOptions, OptionRule>);
  const { report, sources } = terminalSafe(unsafeReport, options.sources);
  const style = options.style ?? PLAIN;
  const unit = report.sampleType.unit;
  const lines = [...topHeader(report, sources, style), ''];
  lines.push(topCaption(report));
  if (report.rows.length > 0) {
    lines.push(...textTable(columnsFor(topColumns(report), 'text'), report.rows, style));
  } else {
    lines.push(report.kind === 'diff' ? '(no site changed)' : '(no samples)');
  }
  if (report.kind === 'diff') {
    const shownFlat = report.rows.reduce((sum, r) => sum + r.flat, 0);
    lines.push('', `These rows account for ${formatSigned(shownFlat, unit)} of flat change.`);
    const decreases = report.decreases ?? [];
    if (decreases.length > 0) {
      lines.push('', `${decreasesCaption(report)}:`, ...textTable(columnsFor(topColumns(report), 'text'), decreases, style));
    }
  }
  if (report.hint) lines.push('', hintLine(report.hint, report, sources));
  lines.push(...gateLines(report.gates, style));
  return lines.join('\n') + '\n';
}

/** The title of the block of largest decreases (shared with Markdown). */
export function decreasesCaption(report: TopReport): string {
  const n = report.decreases?.length ?? 0;
  return `${n === 1 ? 'The largest decrease' : `The ${n} largest decreases`} not in the rows above, by ${report.sort}`;
}

/** The gate verdict and each breach, after a report's table. */
export function gateLines(gates: Gates | null, style: Style): string[] {
  if (!gates) return [];
  const { failOn, warnOn } = gates;
  const rules = failOn.rules.length + warnOn.rules.length;
  const verdict = !failOn.passed ? style.growth('FAILED') : warnOn.passed ? 'passed' : 'passed with warnings';
  return [
    '',
    `Gates: ${verdict} (${rules} rule${rules === 1 ? '' : 's'})`,
    ...failOn.breaches.map((b) => `  ${style.growth('✗')} ${b.message}`),
    ...warnOn.breaches.map((b) => `  ! ${b.message}`),
  ];
}

/** What is compared: type, sources, capture times, totals and filters (shared with the HTML report). */
/** What a header needs: the sides, and (from `top`) the error model and the total's verdict. */
export type HeaderReport = Pick<TopReport, 'sampleType' | 'granularity' | 'filters' | 'base' | 'current'> & Partial<ErrorReport>;
type ErrorReport = Pick<TopReport, 'total' | 'confidence' | 'errorModel' | 'sort' | 'kind' | 'totalRows' | 'sameProcess' | 'looksLikeOneProcess' | 'paired'>;

export function topHeader(report: HeaderReport, sources: Sources | undefined, style: Style): string[] {
  const unit = report.sampleType.unit;
  const title = `Type: ${report.sampleType.type} (${unit})  ·  by ${report.granularity}`;
  const out = [style.strong(title)];
  const filters = Object.entries(report.filters).map(([k, v]) => `--${k} ${v}`);
  out.push(...sideLines(report, sources));
  if (report.base === null) {
    out.push(`Total:    ${scaledLabel(report.current.total, unit)}`);
  } else {
    const net = report.current.total - report.base.total;
    const rel = formatPercentSigned(net, report.base.total);
    const total = report.total;
    const bar = total?.error ? ` ± ${scaledLabel(criticalValue(report.confidence ?? 0.95) * total.error, unit)}` : '';
    const noise = total && !total.significant ? ', within noise' : '';
    out.push(
      `Total:    ${scaledLabel(report.base.total, unit)} → ${scaledLabel(report.current.total, unit)}  ` +
        `(${bySign(style, net, formatSigned(net, unit))}${bar}${noise}${rel ? `, ${rel} of base` : ''})`,
    );
  }
  out.push(...errorNotes(report));
  out.push(...sideNotes(report));
  if (filters.length > 0) out.push(`Filters:  ${filters.join(' ')}`);
  return out;
}

/**
 * `Profile:`, or `Base:` and `Current:`: what was read, when it was captured (and how far apart),
 * worded alike in every report that names its sides (top, peek, list).
 */
export function sideLines(report: Pick<HeaderReport, 'base' | 'current'>, sources: Sources | undefined): string[] {
  if (report.base === null) return [`Profile:  ${sources?.current ?? 'profile'}  (${formatCaptureTime(report.current.timeNanos)})`];
  const gap = describeGap(report.base.timeNanos, report.current.timeNanos);
  return [
    `Base:     ${baseSourceName(sources)}  (${meanOf(report.base)}${formatCaptureTime(report.base.timeNanos)})`,
    `Current:  ${sources?.current ?? 'current'}  (${meanOf(report.current)}${formatCaptureTime(report.current.timeNanos)}${gap ? `, ${gap}` : ''})`,
  ];
}

/**
 * How a report names its base side. Without a base source but with a current one, the input was one
 * file holding both sides (a saved diff: `--output-pprof`, `go tool pprof -proto -diff_base`).
 */
export function baseSourceName(sources: Sources | undefined): string {
  if (sources?.base !== undefined) return sources.base;
  return sources?.current !== undefined ? `base samples of ${sources.current}` : 'base';
}

/** A side of several profiles shows their per-profile mean, and says so (shared with Markdown). */
export function meanOf(side: SideSummary): string {
  return side.profiles > 1 ? `mean of ${side.profiles} profiles, from ` : '';
}

/**
 * How sure the numbers are: what ± means, how the profiles were sampled, and the hint that two
 * snapshots of one process could use --same-process (never switched on by itself).
 */
export function errorNotes(header: HeaderReport, words: ErrorWords = {}): string[] {
  if (header.errorModel === undefined) return [];
  const report = header as HeaderReport & ErrorReport;
  const out: string[] = [];
  const [one, many] = words.tested ?? ['site', 'sites'];
  const tested = `${report.totalRows} ${report.totalRows === 1 ? one : many}`;
  const value = words.value ?? `the ${report.sort} value`;
  const level = `${+(report.confidence * 100).toFixed(2)}%`;
  const period = report.current.period;
  const every = report.current.periodType ? ` every ${scaledLabel(period, report.current.periodType.unit)}` : '';
  switch (report.errorModel) {
    case 'exact':
      break;
    case 'spread': {
      const how = report.paired ? "Student's t on the per-pair changes, --paired" : "Welch's t on the per-profile means; a side of one profile: its sampling";
      out.push(`Errors:   ± is the ${level} interval of ${value} from the spread between profiles (${how}); ~ marks changes within noise (two-sided, Benjamini–Hochberg over ${tested})`);
      break;
    }
    case 'unknown':
      out.push(`Errors:   unknown for ${report.sampleType.type} (sampled${every}, but its sizes are missing): ± shows ?`);
      break;
    default: {
      const bound = report.errorModel === 'bytes-bound' ? '; no objects column, so ± is an upper bound' : '';
      const verdict =
        report.kind === 'diff'
          ? `; ~ marks changes within sampling noise (two-sided, Benjamini–Hochberg over ${tested})`
          : '';
      out.push(`Errors:   ± is the ${level} interval of ${value}, sampled${every}${bound}${verdict}`);
    }
  }
  if (report.sameProcess) out.push('          --same-process: one-process error bounds (too small if these are separate runs)');
  else if (report.looksLikeOneProcess) {
    out.push('Hint:     these look like two snapshots of one process; if they are, --same-process gives tighter error bars');
  }
  return out;
}

/** How another report names what ± bounds and what the verdicts were corrected over. */
export interface ErrorWords {
  /** Default: `the flat value` (the sort key's). */
  readonly value?: string;
  /** Singular and plural; default site, sites. */
  readonly tested?: readonly [string, string];
}

/** MemStats keys shown in the header, with their units: the heap's size as the runtime saw it. */
const MEMSTATS: ReadonlyArray<[string, string]> = [
  ['HeapInuse', 'bytes'],
  ['HeapAlloc', 'bytes'],
  ['HeapSys', 'bytes'],
  ['Sys', 'bytes'],
  ['NumGC', 'count'],
];

/**
 * Header lines about what each side's numbers rest on: a legacy text profile's MemStats totals,
 * and stacks cut at Go's frame cap (shared by the top and list headers, text and HTML).
 */
export function sideNotes(report: Pick<TopReport, 'base' | 'current' | 'sampleType'>): string[] {
  const sides = (report.base === null ? [['', report.current]] : [['base', report.base], ['current', report.current]]) as Array<[string, SideSummary]>;
  const out: string[] = [];
  const withStats = sides.filter(([, s]) => s.memStats !== null);
  if (withStats.length > 0) {
    const stats = (s: SideSummary, key: string) => s.memStats?.[key];
    const parts = MEMSTATS.filter(([key]) => withStats.some(([, s]) => stats(s, key) !== undefined)).map(
      ([key, unit]) => `${key} ${withStats.map(([, s]) => (stats(s, key) === undefined ? 'n/a' : scaledLabel(stats(s, key)!, unit))).join(' → ')}`,
    );
    const which = withStats.length < sides.length ? ` (${withStats[0]![0]})` : '';
    if (parts.length > 0) out.push(`MemStats${which}: ${parts.join(', ')}`);
  }
  for (const [name, side] of sides) {
    const cut = side.truncatedStacks;
    if (cut === null) continue;
    const count = `${cut.samples} sample${cut.samples === 1 ? '' : 's'}`;
    out.push(
      `Stacks:   ${name ? `${name}: ` : ''}${count} (${percentage(cut.share, 1).trim()} of ${report.sampleType.type}) reach Go's ` +
        `${cut.depth}-frame stack limit, so outer callers' cum is understated`,
    );
  }
  return out;
}

export function topCaption(report: TopReport): string {
  const noun = report.granularity;
  const count =
    report.rows.length < report.totalRows ? `Top ${report.rows.length} of ${report.totalRows}` : `All ${report.totalRows}`;
  const denominator = scaledLabel(report.percentOf, report.sampleType.unit);
  if (report.kind === 'profile') {
    return `${count} ${noun}, by ${report.sort}. Percentages are of the profile total (${denominator}).`;
  }
  const order = report.sort === 'cum' ? 'largest cum growth first' : 'largest flat growth first';
  return `${count} changed ${noun}, ${order}. Percentages are relative to the base total (${denominator}).`;
}

/** The text table's column titles, alignment and cell texts (what the text report shows). */
export function topTable(report: TopReport): { header: string[]; align: Align[]; rows: string[][] } {
  const columns = columnsFor(topColumns(report), 'text');
  return {
    header: columns.map((c) => c.header),
    align: columns.map((c) => c.align),
    rows: report.rows.map((r, i) => columns.map((c) => c.format(r, i))),
  };
}
