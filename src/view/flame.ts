import type { FlameGraph, FlameNode } from '../analysis/flame.js';
import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../format/units.js';
import type { Column } from './column.js';

/**
 * What the flame graph's detail box says of a node, as columns the page's script finds by id:
 * base → current, Δ and Δ% of a call path's total and self for a diff; value and share of the
 * profile for a single profile. Labels use the text report's formatters.
 */
export function flameColumns(flame: FlameGraph, percentOf: number): Column<FlameNode>[] {
  const unit = flame.sampleType.unit;
  const col = (id: string, format: (n: FlameNode) => string): Column<FlameNode> => ({ id, header: id, align: 'right', format });
  if (flame.kind === 'profile') {
    const pct = (v: number) => percentage(v, percentOf).trim();
    return [
      col('total', (n) => scaledLabel(n.current.total, unit)),
      col('totalPercent', (n) => pct(n.current.total)),
      col('self', (n) => scaledLabel(n.current.self, unit)),
      col('selfPercent', (n) => pct(n.current.self)),
    ];
  }
  const base = (n: FlameNode) => n.base ?? { total: 0, self: 0 };
  const delta = (n: FlameNode) => n.current.total - base(n).total;
  return [
    col('baseTotal', (n) => scaledLabel(base(n).total, unit)),
    col('currentTotal', (n) => scaledLabel(n.current.total, unit)),
    col('deltaTotal', (n) => formatSigned(delta(n), unit)),
    col('deltaPercent', (n) => formatPercentSigned(delta(n), base(n).total) ?? (delta(n) > 0 ? 'new' : '')),
    col('baseSelf', (n) => scaledLabel(base(n).self, unit)),
    col('currentSelf', (n) => scaledLabel(n.current.self, unit)),
    col('deltaSelf', (n) => formatSigned(n.current.self - base(n).self, unit)),
  ];
}
