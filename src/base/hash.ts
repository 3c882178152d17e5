/**
 * The one hash for keys of up to four small integers (open-addressing tables over typed arrays:
 * frames in decode/frame-hash.ts, call-tree children in analysis/child-index.ts). Multiplicative
 * mixing of every part; the low bits pick the slot. Unused parts (c = 0, d = -1) add nothing.
 */
export function hashInts(a: number, b: number, c = 0, d = -1): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= Math.imul(c, 0xc2b2ae35) ^ Math.imul(d + 1, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}
