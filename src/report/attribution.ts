import { isAllocationHelper, isPassThrough, isWaitingFunction } from '../analysis/allocation-helpers.js';
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
  const reason = inline ? 'inline' : isAllocationHelper(site.name) ? 'helper' : isWaitingFunction(site.name) ? 'wait' : null;
  if (reason === null) return null;
  const id = sites.idOf(site.name, site.file, site.line);
  let best = id < 0 ? null : largest(id);
  if (best === null) return null;
  // The caller may be a helper or a wait itself (runtime.gopark is called by runtime.chanrecv):
  // follow the largest growth up to the first caller that is neither.
  let via = id;
  for (let hop = 0; hop < MAX_HOPS && isPassThrough(sites.names[best.caller]!); hop++) {
    const next = largest(best.caller);
    if (next === null) break;
    via = best.caller;
    best = next;
  }
  const key = (s: number) => ({ name: sites.names[s]!, file: sites.files[s]!, line: sites.lines[s]! });
  return {
    site: { name: site.name, file: site.file, line: site.line },
    reason,
    caller: key(best.caller),
    ...(via !== id ? { via: key(via) } : {}),
    change: best.change,
  };
}

/** How far up a chain of helpers and waits the hint looks. */
const MAX_HOPS = 8;
