import type { ListReport } from '../report/list.js';
import type { PeekReport } from '../report/peek.js';
import type { TopReport } from '../report/top.js';
import type { TrendReport } from '../report/trend.js';
import { checkOptions } from '../model/options.js';
import { renderTopMarkdown } from './markdown-top.js';
import { renderTrendMarkdown } from './markdown-trend.js';
import { STYLE } from './options.js';
import type { Style } from './style.js';
import { renderListText } from './text-list.js';
import { renderPeekText } from './text-peek.js';
import { renderTopText } from './text-top.js';
import { renderTrendText } from './text-trend.js';

/** Any report the library computes. */
export type Report = TopReport | ListReport | TrendReport | PeekReport;

function isList(report: Report): report is ListReport {
  return 'routines' in report;
}

function isPeek(report: Report): report is PeekReport {
  return 'entries' in report;
}

function isTrend(report: Report): report is TrendReport {
  return 'snapshots' in report;
}

/**
 * Any report as the CLI's text (without colour unless a style is given), for dashboards that show
 * whichever report they computed. The report-specific renderers also take the profiles' sources.
 */
export function renderText(report: Report, options: { style?: Style } = {}): string {
  checkOptions(options, { style: STYLE });
  if (isList(report)) return renderListText(report, options);
  if (isTrend(report)) return renderTrendText(report, options);
  if (isPeek(report)) return renderPeekText(report, options);
  return renderTopText(report, options);
}

/** A `top` or `trend` report as a GitHub-flavoured Markdown comment (see renderTopMarkdown). */
export function renderMarkdown(report: TopReport | TrendReport): string {
  return isTrend(report) ? renderTrendMarkdown(report) : renderTopMarkdown(report);
}
