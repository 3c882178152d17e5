/**
 * Byte-wise (UTF-8) string order, which is code-point order: what Go's `<` on strings does.
 * JS `<` compares UTF-16 units, which differs for characters beyond the BMP.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
