import { siteLabel } from '../analysis/sites.js';
import type { Verdict } from '../analysis/trend.js';
import { sparkline } from '../format/sparkline.js';
import { formatSigned, goFixed, scaledLabel } from '../format/units.js';
import type { TrendReport, TrendRow } from '../report/trend.js';
import { criticalValue } from '../stats/difference.js';
import type { Column, Tone } from './column.js';
import { siteNoun } from './top.js';

const HOUR = 3600;

/**
 * The `trend` report's columns: the series at a glance, the verdict, the fit and the site.
 * Text and Markdown show them as a table; the HTML page draws `trend`, `verdict` and `site` in its
 * own way (CARD_OWN) and lists every other column as a fact on the site's card.
 */
export function trendColumns(report: TrendReport): Column<TrendRow>[] {
  const unit = report.sampleType.unit;
  const perShown = report.slopePer === 'snapshot' ? 1 : HOUR;
  const first = (row: TrendRow) => row.series[0]!;
  const last = (row: TrendRow) => row.series[row.series.length - 1]!;
  return [
    { id: 'trend', header: 'trend', align: 'left', format: (row) => sparkline(row.series) },
    { id: 'verdict', header: 'verdict', align: 'left', format: (row) => row.verdict, tone: (row) => verdictTone(row.verdict) },
    { id: 'slope', header: report.slopePer === 'snapshot' ? 'slope/snapshot' : 'slope/h', align: 'right', format: (row) => formatSigned(row.slope * perShown, unit) },
    { id: 'r2', header: 'R²', align: 'right', format: (row) => goFixed(row.r2, 2) },
    { id: 'rose', header: 'rose', align: 'right', format: (row) => `${row.rose}/${row.series.length - 1}` },
    { id: 'retained', header: 'retained', align: 'right', format: (row) => (row.retained === null ? 'n/a' : formatRetained(row.retained)) },
    { id: 'firstToLast', header: `${report.value}: first → last`, align: 'right', format: (row) => `${scaledLabel(first(row), unit)} → ${scaledLabel(last(row), unit)}` },
    ...netInterval(report),
    { id: 'site', header: siteNoun(report.granularity), align: 'left', format: siteLabel, code: true },
  ];
}

/**
 * `±` of the change first → last: its interval at the report's confidence under the one-process
 * model (what a `leak` verdict tests), blank for no change, `?` when unknown; none when the
 * snapshots are exact counts.
 */
function netInterval(report: TrendReport): Column<TrendRow>[] {
  if (report.exactCounts) return [];
  const z = criticalValue(report.confidence);
  const unit = report.sampleType.unit;
  return [
    {
      id: 'netInterval',
      header: '±',
      align: 'right',
      format: (row) => (row.net === 0 ? '' : row.netError === null ? '?' : scaledLabel(z * row.netError, unit)),
    },
  ];
}

/** Columns a trend site card draws itself (chart, badge, title) rather than as a fact. */
export const CARD_OWN: readonly string[] = ['trend', 'verdict', 'site'];

/** A fraction as a whole percentage, never `-0%`. */
export function formatRetained(fraction: number): string {
  const percent = goFixed(fraction * 100, 0);
  return `${percent === '-0' ? '0' : percent}%`;
}

function verdictTone(verdict: Verdict): Tone | undefined {
  if (verdict === 'leak') return 'alarm';
  if (verdict === 'growing') return 'growth';
  if (verdict === 'shrinking') return 'shrink';
  return verdict === 'noise' ? 'muted' : undefined;
}
