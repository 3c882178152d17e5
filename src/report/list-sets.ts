import type { SetDiff } from '../analysis/profile-set.js';
import { ProfileError } from '../model/errors.js';
import { checkOptions, invalidOption, isFunction, numberIn, type OptionRule } from '../model/options.js';
import { listOfTop, type ListReport, type SourceReader } from './list.js';
import { routineErrorsOfSets } from './routine-errors.js';
import { checkSetDiff, topOfSets } from './top-sets.js';

/** Options of listOfSets. */
export interface SetListOptions {
  /** Without one, routines carry line numbers and values but no source text. */
  readonly readSource?: SourceReader;
  /** Two-sided confidence of the lines' verdicts, default 0.95. */
  readonly confidence?: number;
}

/**
 * `list` for two sides that are sets of profiles, aggregated by lines
 * (`aggregateSets(base, current, { granularity: 'lines' })`): each line's base and current are
 * per-profile means with n and the spread between profiles, its change tested as `topOfSets`
 * tests a row (Welch, or per pair), and so is each routine's header, from the per-profile totals
 * the aggregation kept. The sample type and filters are the aggregation's.
 */
export function listOfSets(set: SetDiff, regex: string, options: SetListOptions = {}): ListReport {
  checkOptions(options, { readSource: isFunction, confidence: numberIn(0.5, 1) } satisfies Record<keyof SetListOptions, OptionRule>);
  checkSetDiff(set, 'listOfSets');
  if (typeof regex !== 'string') throw invalidOption('regex', 'a string', regex);
  if (set.granularity !== 'lines' || set.startLines === null) {
    throw new ProfileError('invalid option', `listOfSets needs sets aggregated by lines (granularity: 'lines'), not by ${set.granularity}`);
  }
  const report = topOfSets(set, { nodeCount: 0, ...(options.confidence !== undefined ? { confidence: options.confidence } : {}) });
  return listOfTop(report, regex, set.startLines, options.readSource, routineErrorsOfSets(set, report.confidence));
}
