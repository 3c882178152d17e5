import { describe, expect, it } from 'vitest';
import * as lib from './index.js';
import { encodeProfile, heap } from './test-support/build-profile.js';
import { profileErrorFrom } from './test-support/profile-error.js';

/**
 * The library checks its options at the edge: a wrong value fails as ProfileError('invalid
 * option') naming the option and what it may be, never as a wrong report or a TypeError later.
 */
const bytes = encodeProfile({ samples: [heap(['leak@a.go:3', 'main@a.go:9'], 4096), heap(['keep@b.go:2', 'main@a.go:9'], 1024)] });
const profile = lib.parseProfile(bytes);
const diff = lib.diffProfiles(profile, profile);
const report = lib.top(profile);
const trendReport = lib.trend([profile, profile, profile]);
const listReport = lib.list(profile, 'leak');

/** Calls `fn` with a bad option and returns the message, after checking the error's kind. */
function refusal(fn: () => unknown): string {
  const error = profileErrorFrom(fn);
  expect(error.step).toBe('invalid option');
  expect(error.message.split('\n')).toHaveLength(1);
  return error.detail;
}

describe('the library refuses bad options, naming the option and what it may be', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['a negative sample index', () => lib.top(profile, { sampleIndex: -1 }), /the sampleIndex option must be a sample type's name or index \(a whole number ≥ 0\), not -1/],
    ['a fractional sample index', () => lib.top(diff, { sampleIndex: 1.5 }), /the sampleIndex option .* not 1\.5/],
    ['a negative index to resolveSampleType', () => lib.resolveSampleType(profile, -2), /the sampleIndex option .* not -2/],
    ['an unknown granularity', () => lib.top(profile, { granularity: 'line' as never }), /the granularity option must be one of "functions", "lines", "files", not "line"/],
    ['an unknown sort', () => lib.top(profile, { sort: 'size' as never }), /the sort option must be one of "flat", "cum", not "size"/],
    ['a fractional node count', () => lib.top(profile, { nodeCount: 2.5 }), /the nodeCount option must be a whole number ≥ 0, not 2\.5/],
    ['an unknown option', () => lib.top(profile, { nodecount: 3 } as never), /unknown option "nodecount": the options are sampleIndex, granularity, sort, nodeCount, confidence, sameProcess, focus, ignore, hide, failOn, warnOn/],
    ['options that are not an object', () => lib.top(profile, 'cum' as never), /options must be an object, not "cum"/],
    ['a gate rule that is a string', () => lib.top(profile, { failOn: ['total>1MB'] as never }), /the failOn option must be an array of growth rules from parseGateRule/],
    ['a filter that is not a string', () => lib.top(profile, { focus: /leak/ as never }), /the focus option must be a string, not an object/],
    ['a trend value', () => lib.trend([profile, profile, profile], { value: 'self' as never }), /the value option must be one of "flat", "cum", not "self"/],
    ['a negative trend limit', () => lib.trend([profile, profile, profile], { limit: -1 }), /the limit option must be a number > 0, not -1/],
    ['a list source reader that is not a function', () => lib.list(profile, 'leak', { readSource: 'src/' as never }), /the readSource option must be a function, not "src\/"/],
    ['an unknown peek granularity', () => lib.peek(profile, 'leak', { granularity: 'line' as never }), /the granularity option must be one of "functions", "lines", "files", not "line"/],
    ['a peek regex that is not a string', () => lib.peek(profile, /leak/ as never), /the regex option must be a string/],
    ['a flame fraction above 1', () => lib.flameGraph(profile, { minFraction: 2 }), /the minFraction option must be a number from 0 to 1, not 2/],
    ['a zero byte cap', () => lib.parseProfile(bytes, { maxBytes: 0 }), /the maxBytes option must be a whole number ≥ 1, not 0/],
    ['an unknown parse option', () => lib.parseProfile(bytes, { maxSize: 10 } as never), /unknown option "maxSize": the options are maxBytes, onProgress, gunzip/],
    ['a style without its functions', () => lib.renderTopText(report, { style: {} as never }), /the style option must be a Style \(\{ growth, shrink, strong, dim \} functions\), not an object/],
    ['sources as a string', () => lib.renderTopText(report, { sources: 'a.pb.gz' as never }), /the sources option must be an object \{ base\?, current \} of strings, not "a\.pb\.gz"/],
    ['trend sources of numbers', () => lib.renderTrendText(trendReport, { sources: [1, 2, 3] as never }), /the sources option must be an array of strings/],
    ['Markdown rows below zero', () => lib.renderTopMarkdown(report, { tableRows: -1 }), /the tableRows option must be a whole number ≥ 0 \(or Infinity\), not -1/],
    ['a set node count below zero', () => lib.diffSets([profile], [profile, profile], { nodeCount: -1 }), /^the nodeCount option must be a whole number ≥ 0, not -1$/],
    ['paired that is not a boolean', () => lib.diffSets([profile, profile], [profile, profile], { paired: 'yes' as never }), /^the paired option must be true or false, not "yes"$/],
    ['sameProcess for sets', () => lib.diffSets([profile], [profile], { sameProcess: true } as never), /^unknown option "sameProcess": the options are sampleIndex, granularity, sort, nodeCount, confidence, focus, ignore, hide, failOn, warnOn, paired$/],
    ['a set side that is not an array', () => lib.diffSets([profile], profile as never), /^the current side must be an array of profiles, not object$/],
    ['an aggregation option for topOfSets', () => lib.topOfSets(lib.aggregateSets([profile], [profile]), { granularity: 'lines' } as never), /^unknown option "granularity": the options are sort, nodeCount, failOn, warnOn, confidence$/],
    ['topOfSets given no set', () => lib.topOfSets(diff as never), /^topOfSets takes sets aggregated by aggregateSets or SetDiffBuilder\.finish\(\), not object$/],
    ['an unknown aggregation granularity', () => lib.aggregateSets([profile], [profile], { granularity: 'stacks' as never }), /^the granularity option must be one of "functions", "lines", "files", not "stacks"$/],
    ['callEdges that is not a boolean', () => new lib.SetDiffBuilder({ base: 1, current: 1 }, { callEdges: 1 as never }), /^the callEdges option must be true or false, not 1$/],
    ['listOfSets on sets by function', () => lib.listOfSets(lib.aggregateSets([profile], [profile]), 'leak'), /^listOfSets needs sets aggregated by lines \(granularity: 'lines'\), not by functions$/],
    ['listOfSets with a top option', () => lib.listOfSets(lib.aggregateSets([profile], [profile], { granularity: 'lines' }), 'leak', { sort: 'cum' } as never), /^unknown option "sort": the options are readSource, confidence$/],
    ['peekOfSets without call edges', () => lib.peekOfSets(lib.aggregateSets([profile], [profile]), 'leak'), /^peekOfSets needs sets aggregated with their call edges \(callEdges: true\)$/],
    ['flame that is not a boolean', () => lib.aggregateSets([profile], [profile], { flame: 'yes' as never }), /^the flame option must be true or false, not "yes"$/],
    ['peekSitesOfSets without call edges', () => lib.peekSitesOfSets(lib.aggregateSets([profile], [profile]), []), /^peekSitesOfSets needs sets aggregated with their call edges \(callEdges: true\)$/],
    ['a peekOfSets confidence of 1', () => lib.peekOfSets(lib.aggregateSets([profile], [profile], { callEdges: true }), 'leak', { confidence: 0.1 }), /^the confidence option must be a number from 0\.5 to 1, not 0\.1$/],
    ['an unknown HTML option', () => lib.renderListHtml(listReport, { source: {} } as never), /unknown option "source": the options are sources, searchedRoots/],
    ['peek text with a style missing its functions', () => lib.renderPeekText(lib.peek(profile, 'leak'), { style: {} as never }), /the style option must be a Style/],
    ['an unknown peek HTML option', () => lib.renderPeekHtml(lib.peek(profile, 'leak'), { style: {} } as never), /^unknown option "style": the options are sources$/],
    ['a raw gate flag that is not a boolean', () => lib.parseGateRule('total>1MB', { raw: 'yes' as never }), /^the raw option must be true or false, not "yes"$/],
  ])('%s', (_, fn, message) => {
    expect(refusal(fn)).toMatch(message);
  });

  it('keeps the regular expression engine’s own reason', () => {
    expect(refusal(() => lib.top(profile, { focus: 'a{2,1}' }))).toMatch(/^the focus option "a\{2,1\}" is not a valid regular expression: numbers out of order/);
    expect(refusal(() => lib.list(profile, '('))).toMatch(/^the function regex "\(" is not a valid regular expression: unterminated group$/);
  });

  it('still takes what it documents', () => {
    expect(lib.top(profile, { sampleIndex: 'inuse_space', granularity: 'lines', sort: 'cum', nodeCount: 0, focus: 'leak' }).rows).toHaveLength(2);
    expect(lib.top(profile, { sampleIndex: '3' }).sampleType.type).toBe('inuse_space');
    expect(lib.renderTopMarkdown(report, { tableRows: Infinity })).toContain('leak');
  });
});
