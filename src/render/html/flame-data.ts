import type { FlameGraph } from '../../analysis/flame.js';
import { Interner } from '../../base/interner.js';
import { flameColumns } from '../../view/flame.js';

/**
 * The flame graph as the page's script reads it: columns of numbers in pre-order (a node, then
 * its subtree), names and formatted labels interned once. The labels are view/flame.ts's columns,
 * so the page shows the text report's numbers without a copy of its formatters in the browser.
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
  /** The ids of each node's labels, in order: the script finds a label by its id. */
  readonly fields: readonly string[];
  /** fields.length label indices per node. */
  readonly text: readonly number[];
}

export function flameData(flame: FlameGraph, percentOf: number): FlameData {
  const columns = flameColumns(flame, percentOf);
  const names = new Interner();
  const labels = new Interner();
  const out = { name: [] as number[], kids: [] as number[], base: [] as number[], current: [] as number[], extent: [] as number[], growth: [] as number[], merged: [] as number[], text: [] as number[] };
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
    for (const column of columns) out.text.push(labels.id(column.format(node, 0)));
    for (let k = node.children.length - 1; k >= 0; k--) pending.push(node.children[k]!);
  }
  return { kind: flame.kind, names: names.values, labels: labels.values, fields: columns.map((c) => c.id), ...out };
}
