import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { wholeChunk } from '../cli/zlib-gunzip.js';

/**
 * The floor: native gunzip, then one walk over every sample's location ids and values, summing
 * them so nothing is optimised away. Nothing that reads the samples can do less; the bench runs
 * this as a whole process beside heapdiff. Usage: node dist/bench/floor.js FILE...
 */
function walkSamples(buf: Uint8Array): number {
  let pos = 0;
  let sum = 0;
  const varint = (): number => {
    let b = buf[pos++]!;
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    do {
      b = buf[pos++]!;
      value += (b & 0x7f) * scale;
      scale *= 0x80;
    } while (b >= 0x80);
    return value;
  };
  const skip = (wireType: number): void => {
    if (wireType === 0) varint();
    else if (wireType === 2) {
      const length = varint();
      pos += length;
    } else pos += wireType === 1 ? 8 : 4;
  };
  while (pos < buf.length) {
    const tag = varint();
    if (tag !== 0x12) {
      skip(tag & 7);
      continue;
    }
    const sampleEnd = varint() + pos;
    while (pos < sampleEnd) {
      const field = varint();
      if (field === 0x0a || field === 0x12) {
        const end = varint() + pos;
        while (pos < end) sum += varint();
      } else if (field === 0x08 || field === 0x10) sum += varint();
      else skip(field & 7);
    }
  }
  return sum;
}

let total = 0;
for (const path of process.argv.slice(2)) {
  // Inflated into one buffer as heapdiff does (zlib-gunzip.ts): the floor is the least work.
  const bytes = readFileSync(path);
  total += walkSamples(gunzipSync(bytes, { chunkSize: wholeChunk(bytes, 2 ** 30) ?? 16 * 1024 }));
}
process.stdout.write(`${total}\n`);
