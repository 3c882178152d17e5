import { isAllocationHelper } from '../analysis/allocation-helpers.js';
import { largestCaller, largestCallerIn, type CallEdges, type LargestCaller, type ProfileSide } from '../analysis/call-edges.js';
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
  return hintWith(site, inline, sites, (id) => largestCaller(sides, sites, id, filters));
}

/**
 * The same from an edge table already built over sets of profiles (every edge into inlined and
 * helper sites, weights summed over each side's `profiles`): the change is of per-profile means.
 */
export function attributionHintOfSets(site: SiteKey, inline: boolean, edges: CallEdges, sites: SiteTable, profiles: { readonly base: number; readonly current: number }): AttributionHint | null {
  return hintWith(site, inline, sites, (id) => largestCallerIn(edges, sites, id, profiles));
}

function hintWith(site: SiteKey, inline: boolean, sites: SiteTable, largest: (site: number) => LargestCaller | null): AttributionHint | null {
  const reason = inline ? 'inline' : isAllocationHelper(site.name) ? 'helper' : null;
  if (reason === null) return null;
  const id = sites.idOf(site.name, site.file, site.line);
  const best = id < 0 ? null : largest(id);
  if (best === null) return null;
  const caller = { name: sites.names[best.caller]!, file: sites.files[best.caller]!, line: sites.lines[best.caller]! };
  return { site: { name: site.name, file: site.file, line: site.line }, reason, caller, change: best.change };
}
