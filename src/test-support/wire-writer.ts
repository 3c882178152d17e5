/** A tiny protobuf writer for hand-made wire bytes: shapes pprof-format never encodes. */

export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint((BigInt(field) << 3n) | BigInt(wireType));
}

export const int = (field: number, value: number | bigint): number[] => [...tag(field, 0), ...varint(value)];

export function len(field: number, payload: ArrayLike<number>): number[] {
  const out = [...tag(field, 2), ...varint(payload.length)];
  for (let i = 0; i < payload.length; i++) out.push(payload[i]!);
  return out;
}

export const packed = (field: number, values: readonly (number | bigint)[]): number[] => len(field, values.flatMap((v) => varint(v)));

export const str = (text: string): number[] => len(6, new TextEncoder().encode(text));

export const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());
