/**
 * heapdiff's library: decode pprof heap profiles, diff snapshots, rank growth, render reports.
 * Runs in Node and in browsers: nothing here touches the file system, the process or the console.
 */
export { parseProfile, type ParseOptions } from './decode/parse.js';
export { pakoGunzip, isGzip, DEFAULT_MAX_PROFILE_BYTES, type Gunzip } from './decode/gunzip.js';
export { ProfileError, type ProfileErrorStep } from './model/errors.js';
export type { Profile, ValueType, FrameTable, SampleTable } from './model/profile.js';
export { resolveSampleType, type SampleTypeSelector } from './model/sample-type.js';
export { diffProfiles, isDiff, type ProfileDiff, type ProfileOrDiff } from './analysis/diff.js';
export type { Granularity } from './analysis/sites.js';
export type { SampleFilters } from './analysis/filters.js';
export {
  top,
  type TopOptions,
  type TopReport,
  type TopRow,
  type FlatCum,
  type SiteStatus,
  type TotalChange,
  type SideSummary,
  type SortOrder,
} from './report/top.js';
export { renderTopText, type TextOptions, type Sources } from './render/text-top.js';
export { renderTopJson, topToJson, SCHEMA_VERSION } from './render/json-top.js';
export { scaledLabel, formatSigned } from './format/units.js';
export { renderText, renderMarkdown, type Report } from './render/any-report.js';
export { renderTopMarkdown, GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, type MarkdownOptions } from './render/markdown-top.js';
export {
  parseGateRule,
  evaluateGates,
  type GateRule,
  type GateBreach,
  type GateResult,
  type Gates,
  type GateInput,
  type GateOptions,
} from './report/gates.js';
export { asDiffIfMarked } from './analysis/diff.js';
export { encodeAsPprof } from './encode/diff-to-pprof.js';
export type { Style } from './render/style.js';
export {
  peek,
  peekSites,
  type PeekOptions,
  type PeekReport,
  type PeekEntry,
  type PeekEdge,
} from './report/peek.js';
export { renderPeekText } from './render/text-peek.js';
export { renderPeekJson, peekToJson } from './render/json-peek.js';
export { renderPeekMarkdown, type MarkdownPeekOptions } from './render/markdown-peek.js';
export { renderPeekHtml, type HtmlPeekOptions } from './render/html/peek.js';
export { list, type ListOptions, type ListReport, type ListRoutine, type ListLine, type SourceFile, type SourceReader } from './report/list.js';
export { renderListText, type ListTextOptions } from './render/text-list.js';
export { renderListJson, listToJson } from './render/json-list.js';
export {
  trend,
  type TrendOptions,
  type TrendReport,
  type TrendRow,
  type TrendSnapshot,
  type TrendProjection,
  type TrendValue,
} from './report/trend.js';
export {
  VERDICTS,
  MIN_SNAPSHOTS,
  NOISE_SIGMAS,
  LEAK_MIN_R2,
  LEAK_MAX_FELL,
  SAWTOOTH_SWING,
  PLATEAU_TAIL_RATIO,
  MIN_RISES,
  type Verdict,
} from './analysis/trend.js';
export { renderTrendText, type TrendTextOptions } from './render/text-trend.js';
export { renderTrendJson, trendToJson } from './render/json-trend.js';
export { renderTrendMarkdown, type MarkdownTrendOptions } from './render/markdown-trend.js';
export { flameGraph, FlameBuilder, MIN_BOX_FRACTION, type FlameGraph, type FlameNode, type FlameOptions, type SelfTotal } from './analysis/flame.js';
export { renderTopHtml, type HtmlTopOptions } from './render/html/top.js';
export { renderListHtml, type HtmlListOptions } from './render/html/list.js';
export { renderTrendHtml, type HtmlTrendOptions } from './render/html/trend.js';
export {
  testDifference,
  welchDf,
  criticalValue,
  benjaminiHochberg,
  poissonInterval,
  poissonUpperBound,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  type Estimate,
  type DifferenceTest,
  type FdrResult,
} from './stats/index.js';
export { sampleVariances, type SamplingModel, type SampleVariances } from './analysis/sampling.js';
export { diffSets, topOfSets, type SetTopOptions, type SetReportOptions } from './report/top-sets.js';
export { listOfSets, type SetListOptions } from './report/list-sets.js';
export { peekOfSets, peekSitesOfSets, type SetPeekOptions } from './report/peek-sets.js';
export { SetDiffBuilder, aggregateSets, type SetDiff, type SetOptions, type SetSummary } from './analysis/profile-set.js';
export { sideEstimate, type SideEstimate } from './analysis/side-estimate.js';
