import { siteLabel } from '../analysis/sites.js';
import { formatSigned, scaledLabel } from '../format/units.js';
import type { SampleFilters } from '../analysis/filters.js';
import type { AttributionHint } from '../report/top.js';
import type { Sources } from './text-top.js';

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
  const unit = report.sampleType.unit;
  const site = siteLabel(hint.site);
  const why = hint.reason === 'inline' ? `${site} is inlined into its callers` : `${site} allocates on behalf of its callers`;
  const change = report.kind === 'diff' ? `grew most through it (${formatSigned(hint.change, unit)})` : `holds most through it (${scaledLabel(hint.change, unit)})`;
  return `Hint: ${why}; ${siteLabel(hint.caller)} ${change}. All callers: ${peekCommand(hint, report, sources)}`;
}

/** The `heapdiff peek` command line that shows the hinted site's callers, shell-quoted. */
export function peekCommand(hint: AttributionHint, report: HintContext, sources: Sources | undefined): string {
  const args = ['heapdiff', 'peek'];
  if (report.granularity !== 'functions') args.push('-g', report.granularity);
  if (report.sampleType.type !== 'inuse_space') args.push('-i', report.sampleType.type);
  for (const [flag, value] of Object.entries(report.filters)) if (typeof value === 'string') args.push(`--${flag}`, value);
  args.push(`^${escapeRegex(siteLabel(hint.site))}$`);
  if (report.kind === 'diff') args.push(sources?.base ?? 'base.pb.gz');
  args.push(sources?.current ?? (report.kind === 'diff' ? 'current.pb.gz' : 'profile.pb.gz'));
  return args.map(shellQuote).join(' ');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** POSIX single quotes when a word has anything a shell would read. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
