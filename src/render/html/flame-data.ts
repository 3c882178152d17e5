import type { FlameGraph, FlameNode } from '../../analysis/flame.js';
import { formatPercentSigned, formatSigned, percentage, scaledLabel } from '../../format/units.js';

/**
 * The flame graph as the page's script reads it: columns of numbers in pre-order (a node, then
 * its subtree), names and formatted labels interned once. The labels are made here with the text
 * report's formatters, so the page shows the same numbers without a copy of them in the browser.
 */
export interface FlameData {
  readonly kind: 'diff' | 'profile';
  readonly names: readonly string[];
  readonly labels: readonly string[];
  readonly name: readonly number[];
  readonly kids: readonly number[];
  /** Raw totals: base (empty for a single profile) and current. */
  readonly base: readonly number[];
  readonly current: readonly number[];
  readonly extent: readonly number[];
  readonly growth: readonly number[];
  readonly merged: readonly number[];
  /** TEXT_FIELDS[kind].length label indices per node. */
  readonly text: readonly number[];
}

/** What each node's labels are, in order, so the script can name them. */
export const TEXT_FIELDS = {
  diff: ['baseTotal', 'currentTotal', 'deltaTotal', 'deltaPercent', 'baseSelf', 'currentSelf', 'deltaSelf'],
  profile: ['total', 'totalPercent', 'self', 'selfPercent'],
} as const;

export function flameData(flame: FlameGraph, percentOf: number): FlameData {
  const unit = flame.sampleType.unit;
  const names = new Interner();
  const labels = new Interner();
  const out = { name: [] as number[], kids: [] as number[], base: [] as number[], current: [] as number[], extent: [] as number[], growth: [] as number[], merged: [] as number[], text: [] as number[] };
  const texts = (node: FlameNode): string[] => {
    const { current, base } = node;
    if (base === null) {
      const pct = (v: number) => percentage(v, percentOf).trim();
      return [scaledLabel(current.total, unit), pct(current.total), scaledLabel(current.self, unit), pct(current.self)];
    }
    const delta = current.total - base.total;
    return [
      scaledLabel(base.total, unit),
      scaledLabel(current.total, unit),
      formatSigned(delta, unit),
      formatPercentSigned(delta, base.total) ?? (delta > 0 ? 'new' : ''),
      scaledLabel(base.self, unit),
      scaledLabel(current.self, unit),
      formatSigned(current.self - base.self, unit),
    ];
  };
  names.id('');
  // Pre-order with an explicit stack (children pushed last first): stacks can be deeper than the call stack.
  for (const pending = [flame.root]; pending.length > 0; ) {
    const node = pending.pop()!;
    out.name.push(names.id(node.name));
    out.kids.push(node.children.length);
    if (node.base !== null) out.base.push(node.base.total);
    out.current.push(node.current.total);
    out.extent.push(node.extent);
    out.growth.push(node.growth);
    out.merged.push(node.merged);
    for (const text of texts(node)) out.text.push(labels.id(text));
    for (let k = node.children.length - 1; k >= 0; k--) pending.push(node.children[k]!);
  }
  return { kind: flame.kind, names: names.values, labels: labels.values, ...out };
}

class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(text, id);
      this.values.push(text);
    }
    return id;
  }
}
