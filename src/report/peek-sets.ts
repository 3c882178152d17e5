import type { SetDiff } from '../analysis/profile-set.js';
import { siteLabel } from '../analysis/sites.js';
import { ProfileError } from '../model/errors.js';
import { checkOptions, invalidOption, numberIn, type OptionRule } from '../model/options.js';
import { peekOfTop, peekOfTopWhere, type PeekReport } from './peek.js';
import type { SiteKey } from './top.js';
import { checkSetDiff, topOfSets } from './top-sets.js';

/** Options of peekOfSets. */
export interface SetPeekOptions {
  /** Two-sided confidence of the entries' verdicts, default 0.95. */
  readonly confidence?: number;
}

/**
 * `peek` for two sides that are sets of profiles, aggregated with their call edges
 * (`aggregateSets(base, current, { callEdges: true })`): each entry is `topOfSets`'s row (per-profile
 * means, n, spread, Welch or per-pair verdict), each edge the per-profile mean of what flows
 * through it on each side. The granularity, sample type and filters are the aggregation's.
 */
export function peekOfSets(set: SetDiff, regex: string, options: SetPeekOptions = {}): PeekReport {
  checkOptions(options, { confidence: numberIn(0.5, 1) } satisfies Record<keyof SetPeekOptions, OptionRule>);
  checkSetDiff(set, 'peekOfSets');
  if (typeof regex !== 'string') throw invalidOption('regex', 'a string', regex);
  if (set.callEdges === null) throw new ProfileError('invalid option', 'peekOfSets needs sets aggregated with their call edges (callEdges: true)');
  const report = topOfSets(set, { nodeCount: 0, ...(options.confidence !== undefined ? { confidence: options.confidence } : {}) });
  return peekOfTop(report, regex, set.sites, set.callEdges, { base: set.base.profiles, current: set.current.profiles });
}

/**
 * `peekOfSets` of exactly the given sites (as report rows name them): what the HTML `top` page of
 * two sets shows beside a selected row. No error when none has changed; the report's regex is empty.
 */
export function peekSitesOfSets(set: SetDiff, rows: readonly SiteKey[], options: SetPeekOptions = {}): PeekReport {
  checkOptions(options, { confidence: numberIn(0.5, 1) } satisfies Record<keyof SetPeekOptions, OptionRule>);
  checkSetDiff(set, 'peekSitesOfSets');
  if (set.callEdges === null) throw new ProfileError('invalid option', 'peekSitesOfSets needs sets aggregated with their call edges (callEdges: true)');
  const report = topOfSets(set, { nodeCount: 0, ...(options.confidence !== undefined ? { confidence: options.confidence } : {}) });
  const wanted = new Set(rows.map((r) => siteLabel(r)));
  return peekOfTopWhere(report, '', (label) => wanted.has(label), set.sites, set.callEdges, { base: set.base.profiles, current: set.current.profiles });
}
