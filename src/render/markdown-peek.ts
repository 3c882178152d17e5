import type { PeekEdge, PeekEntry, PeekReport } from '../report/peek.js';
import { checkOptions, wholeNumber, type OptionRule } from '../model/options.js';
import { columnsFor } from '../view/column.js';
import { peekColumns, peekLines, type PeekLine } from '../view/peek.js';
import { GITHUB_COMMENT_LIMIT, markdownCode, markdownRow, markdownTableHead, markdownText } from './markdown.js';
import { SOURCES } from './options.js';
import { peekCaptionParts } from './text-peek.js';
import { baseSourceName, type Sources } from './text-top.js';

/** A bot finds its earlier peek comment by this marker, as `top`'s and `trend`'s have theirs. */
export const PEEK_MARKER = '<!-- heapdiff:peek -->';

/** Options of renderPeekMarkdown: where the profiles came from, and the character budget. */
export interface MarkdownPeekOptions {
  /** The profiles as the user named them, for the caption. */
  readonly sources?: Sources;
  /** Character budget for the whole document. Default GitHub's comment limit. */
  readonly limit?: number;
}

/**
 * The `peek` report as GitHub-flavoured Markdown: the caption, then one table per matching
 * function, never longer than a GitHub comment may be. Functions are kept whole in report order
 * while they fit; the first that does not fit keeps its own line and as many of its largest
 * edges as fit; the rest are left out, and a closing note says how many.
 */
export function renderPeekMarkdown(report: PeekReport, options: MarkdownPeekOptions = {}): string {
  checkOptions(options, { sources: SOURCES, limit: wholeNumber(1) } satisfies Record<keyof MarkdownPeekOptions, OptionRule>);
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const columns = columnsFor(peekColumns(report), 'markdown');
  const lines = peekLines(report);
  const sources = options.sources;
  // A side of several profiles is their per-profile mean, and says so.
  const mean = (side: PeekReport['current'] | null) => (side !== null && side.profiles > 1 ? ` (mean of ${side.profiles} profiles)` : '');
  const compared =
    report.kind === 'diff'
      ? `${markdownCode(baseSourceName(sources))}${mean(report.base)} → ${markdownCode(sources?.current ?? 'current')}${mean(report.current)}`
      : markdownCode(sources?.current ?? 'profile');
  // The regex is a code span; the rest carries the profile's unit, so it is written inert too.
  const caption = peekCaptionParts(report);
  const captionMd = `${markdownText(caption.before)}${markdownCode(caption.regex)}${markdownText(caption.after)}`;
  const head = [PEEK_MARKER, `### heapdiff peek: ${markdownCode(report.sampleType.type)}, ${compared}`, '', captionMd].join('\n') + '\n';

  const header = markdownTableHead(columns, '---:');
  const indexOf = new Map(lines.map((l, i) => [l, i]));
  const row = (line: PeekLine) => markdownRow(columns, line, indexOf.get(line)!);
  const byEntry = new Map<PeekEntry, PeekLine[]>();
  for (const line of lines) {
    const rows = byEntry.get(line.entry);
    if (rows) rows.push(line);
    else byEntry.set(line.entry, [line]);
  }
  const table = (rows: readonly PeekLine[]) => `\n${header}\n${rows.map((l) => `${row(l)}\n`).join('')}`;

  const entries = report.entries;
  // The longest note it could take, so whatever is cut, the note still fits.
  const worstNote = cutNote(entries.length, entries.reduce((n, e) => Math.max(n, e.callers.length + e.callees.length), 0), longestName(entries), limit);
  let left = limit - head.length - worstNote.length;
  let body = '';
  let shown = 0;
  for (const entry of entries) {
    const text = table(byEntry.get(entry)!);
    if (text.length > left) break;
    body += text;
    left -= text.length;
    shown++;
  }
  let partial: { name: string; edgesCut: number } | null = null;
  if (shown < entries.length) {
    const entry = entries[shown]!;
    const rows = byEntry.get(entry)!;
    const kept = largestEdgesThatFit(rows, (r) => row(r).length + 1, left - table(rows.filter((l) => l.edge === null)).length);
    if (kept !== null) {
      const text = table(rows.filter((l) => l.edge === null || kept.has(l.edge)));
      body += text;
      partial = { name: entry.name, edgesCut: entry.callers.length + entry.callees.length - kept.size };
      shown++;
    }
  }
  const cutEntries = entries.length - shown;
  const note = cutEntries > 0 || partial !== null ? cutNote(cutEntries, partial?.edgesCut ?? 0, partial?.name ?? null, limit) : '';
  return `${head}${body}${note}`;
}

/**
 * The entry's edges to keep, largest |change| first among callers and callees together, within
 * `budget` characters of rows; null when not even the entry's own table fits.
 */
function largestEdgesThatFit(rows: readonly PeekLine[], cost: (line: PeekLine) => number, budget: number): Set<PeekEdge> | null {
  if (budget < 0) return null;
  const order = new Map(rows.map((l, i) => [l, i]));
  const edges = rows.filter((l) => l.edge !== null).sort((a, b) => Math.abs(b.edge!.cum) - Math.abs(a.edge!.cum) || order.get(a)! - order.get(b)!);
  const kept = new Set<PeekEdge>();
  let used = 0;
  for (const line of edges) {
    const c = cost(line);
    if (used + c > budget) break;
    used += c;
    kept.add(line.edge!);
  }
  return kept;
}

function longestName(entries: readonly PeekEntry[]): string | null {
  let out: string | null = null;
  for (const e of entries) if (out === null || markdownCode(e.name).length > markdownCode(out).length) out = e.name;
  return out;
}

/** What was left out: whole functions, and edges of the one function shown in part. */
function cutNote(entries: number, edges: number, partialName: string | null, limit: number): string {
  const parts: string[] = [];
  if (entries > 0) parts.push(`${entries} more ${entries === 1 ? 'function' : 'functions'}`);
  if (edges > 0 && partialName !== null) parts.push(`${edges} ${edges === 1 ? 'caller or callee' : 'callers and callees'} of ${markdownCode(partialName)}`);
  const what = parts.length > 0 ? parts.join(' and ') : 'nothing';
  return `\n_${what} left out to stay within GitHub's ${limit}-character comment limit; use \`--format json\` for all of them._\n`;
}
