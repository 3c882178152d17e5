import { isAllocationHelper } from '../analysis/allocation-helpers.js';
import { largestCaller, type ProfileSide } from '../analysis/call-edges.js';
import type { SampleFilters } from '../analysis/filters.js';
import type { SiteTable } from '../analysis/sites.js';
import type { AttributionHint, SiteKey } from './top.js';

/**
 * The attribution hint for one site (shared by `top` and `trend`): when the site is inlined into
 * every caller (`inline`) or a known allocation helper, its caller whose edge into it grew most
 * over `sides` (base → current; one side: holds most). Null for any other site, or when no
 * caller's edge grew.
 */
export function attributionHint(site: SiteKey, inline: boolean, sides: readonly ProfileSide[], sites: SiteTable, filters: SampleFilters): AttributionHint | null {
  const reason = inline ? 'inline' : isAllocationHelper(site.name) ? 'helper' : null;
  if (reason === null) return null;
  const id = sites.idOf(site.name, site.file, site.line);
  const best = id < 0 ? null : largestCaller(sides, sites, id, filters);
  if (best === null) return null;
  const caller = { name: sites.names[best.caller]!, file: sites.files[best.caller]!, line: sites.lines[best.caller]! };
  return { site: { name: site.name, file: site.file, line: site.line }, reason, caller, change: best.change };
}
