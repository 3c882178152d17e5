/**
 * The `k` smallest of `items` by `compare` (a total order), smallest first: what sorting all of
 * them and keeping the first `k` gives, at n·log k instead of n·log n, and without ordering the
 * rest. A report that shows ten rows of twenty thousand orders ten.
 */
export function smallest(items: Iterable<number>, k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return [];
  // A max-heap of the k smallest so far: its root is the one to drop when a smaller one comes.
  const heap: number[] = [];
  const up = (at: number) => {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (compare(heap[at]!, heap[parent]!) <= 0) return;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  };
  const down = (at: number) => {
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const larger = right < heap.length && compare(heap[right]!, heap[left]!) > 0 ? right : left;
      if (compare(heap[larger]!, heap[at]!) <= 0) return;
      [heap[at], heap[larger]] = [heap[larger]!, heap[at]!];
      at = larger;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(compare);
}

/**
 * The `items` whose `key` is among the k largest (with `smallestFirst`, the k smallest), ties
 * at the k-th included: every item an order whose first rule is that key can put among its first
 * k. The k-th key comes from a native sort of the keys, so `smallest` then orders a handful
 * instead of comparing thousands of rows, a loop V8 compiles (and recompiles) at a cost of tens
 * of milliseconds in a process that runs it once.
 */
export function leaders(items: readonly number[], key: ArrayLike<number>, k: number, smallestFirst = false): number[] {
  if (k <= 0) return [];
  if (items.length <= k) return items.slice();
  const keys = new Float64Array(items.length);
  for (let j = 0; j < items.length; j++) keys[j] = key[items[j]!]!;
  keys.sort();
  const kth = smallestFirst ? keys[k - 1]! : keys[items.length - k]!;
  const out: number[] = [];
  for (let j = 0; j < items.length; j++) {
    const x = key[items[j]!]!;
    if (smallestFirst ? x <= kth : x >= kth) out.push(items[j]!);
  }
  return out;
}
