/**
 * A report's column, named once for every output: its id, title, alignment and how a row's
 * value reads. Renderers lay columns out by id and never index cells by position, so adding a
 * column to a report is one entry in its view module (view/top.ts, view/trend.ts, view/list.ts).
 */
export interface Column<R> {
  /** Stable name the renderers refer to (e.g. 'flat', 'site'); unique within a view. */
  readonly id: string;
  readonly header: string;
  readonly align: Align;
  /** The cell's text; `index` is the row's position in the view (for running sums). */
  readonly format: (row: R, index: number) => string;
  /** How the cell reads at a glance: text colours it, Markdown bolds `alarm`, HTML sets a class. */
  readonly tone?: (row: R) => Tone | undefined;
  /** A symbol or path: a code span in Markdown, kept on one line in HTML. */
  readonly code?: boolean;
  /** The outputs that show the column; all of them when absent. */
  readonly outputs?: readonly Output[];
  /** Raw values the HTML table sorts by; `label` names a key's button inside a shared header. */
  readonly sort?: readonly SortKey<R>[];
}

export type Align = 'left' | 'right';

/** Growth and shrinkage of a signed change; `alarm` is growth that needs action; `muted` is noise. */
export type Tone = 'growth' | 'shrink' | 'alarm' | 'muted';

export type Output = 'text' | 'markdown' | 'html';

export interface SortKey<R> {
  readonly key: string;
  readonly value: (row: R) => number | string;
  readonly label?: string;
}

/** The columns one output shows, in the view's order. */
export function columnsFor<R>(columns: readonly Column<R>[], output: Output): Column<R>[] {
  return columns.filter((c) => c.outputs === undefined || c.outputs.includes(output));
}

/** The tone of a signed change: growth above zero, shrinkage below, none at zero. */
export function signTone(value: number): Tone | undefined {
  return value > 0 ? 'growth' : value < 0 ? 'shrink' : undefined;
}
