import { siteLabel } from '../analysis/sites.js';
import { shellQuote } from '../base/shell-quote.js';
import { formatSigned, scaledLabel } from '../format/units.js';
import type { SampleFilters } from '../analysis/filters.js';
import type { AttributionHint } from '../report/top.js';
import type { Sources } from './text-top.js';
import { markdownCode, markdownText } from '../format/escape-markdown.js';

/** What a hint needs of its report to spell out the `peek` command. */
export interface HintContext {
  readonly kind: 'diff' | 'profile';
  readonly sampleType: { readonly type: string; readonly unit: string };
  readonly granularity: string;
  readonly filters: SampleFilters;
}

/**
 * The attribution hint as one line: the helper, its caller that grew most, and the `peek` command
 * (with the report's profiles and options) that lists every caller.
 */
export function hintLine(hint: AttributionHint, report: HintContext, sources: Sources | undefined): string {
  const p = hintParts(hint, report, sources);
  const via = p.via === null ? '' : `, via ${p.via}`;
  const callers = p.via === null ? 'All callers' : `All callers of ${p.via}`;
  return `Hint: ${p.site} ${p.why}; ${p.caller} ${p.change}${via}). ${callers}: ${p.command}`;
}

/**
 * The same line in Markdown: names and the command as code spans (inert whatever a profile put
 * in them; the command may be long enough to keep whole, paths and all, but is still bounded).
 */
export function hintMarkdown(hint: AttributionHint, report: HintContext, sources: Sources | undefined): string {
  const p = hintParts(hint, report, sources);
  // The function the chain went through is a profile's name too: a code span, as the others.
  const via = p.via === null ? '' : `, via ${markdownCode(p.via)}`;
  const callers = p.via === null ? 'All callers' : `All callers of ${markdownCode(p.via)}`;
  return `**Hint:** ${markdownCode(p.site)} ${p.why}; ${markdownCode(p.caller)} ${markdownText(p.change)}${via}). ${callers}: ${markdownCode(p.command, MAX_COMMAND)}`;
}

const WHY: Record<AttributionHint['reason'], string> = {
  inline: 'is inlined into its callers',
  helper: 'allocates on behalf of its callers',
  wait: 'is where goroutines wait',
};

/** The longest peek command a Markdown hint keeps whole. */
const MAX_COMMAND = 2000;

function hintParts(hint: AttributionHint, report: HintContext, sources: Sources | undefined) {
  const unit = report.sampleType.unit;
  return {
    site: siteLabel(hint.site),
    why: WHY[hint.reason],
    caller: siteLabel(hint.caller),
    // Left open: the line adds `, via …` and the closing parenthesis.
    change: report.kind === 'diff' ? `grew most through it (${formatSigned(hint.change, unit)}` : `holds most through it (${scaledLabel(hint.change, unit)}`,
    via: hint.via ? siteLabel(hint.via) : null,
    command: peekCommand(hint, report, sources),
  };
}

/** The `heapdiff peek` command line that shows the hinted site's callers, shell-quoted. */
export function peekCommand(hint: AttributionHint, report: HintContext, sources: Sources | undefined): string {
  const args = ['heapdiff', 'peek'];
  if (report.granularity !== 'functions') args.push('-g', report.granularity);
  if (report.sampleType.type !== 'inuse_space') args.push('-i', report.sampleType.type);
  for (const [flag, value] of Object.entries(report.filters)) if (typeof value === 'string') args.push(`--${flag}`, value);
  // After a chain of helpers, the function whose callers include the one named.
  args.push(`^${escapeRegex(siteLabel(hint.via ?? hint.site))}$`);
  if (sources?.baseParts || sources?.currentParts) {
    // A side of several paths is named again path by path.
    for (const path of sources.baseParts ?? [sources.base ?? 'base.pb.gz']) args.push('--base', path);
    for (const path of sources.currentParts ?? [sources.current]) args.push('--current', path);
  } else {
    // A saved diff (one file, no base source) is read as a diff by peek too: it is named alone.
    if (report.kind === 'diff' && (sources?.base !== undefined || sources?.current === undefined)) args.push(sources?.base ?? 'base.pb.gz');
    args.push(sources?.current ?? (report.kind === 'diff' ? 'current.pb.gz' : 'profile.pb.gz'));
  }
  return args.map(shellQuote).join(' ');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
