import { gzipSync } from 'node:zlib';
import { Location, Mapping, Profile as PprofProfile, Sample, StringTable, ValueType } from 'pprof-format';

/**
 * Two runs of one native binary without symbols: ASLR loads it at another address each time,
 * so the same instruction has two addresses. pprof's merge keys it by the mapping (build id,
 * else file; size; offset) and the address's offset in it; so must the diff.
 */
export function nativeRun(start: number, buildId: string, bytes: Record<number, number>): Uint8Array {
  const strings = new StringTable();
  const mapping = new Mapping({ id: 1, memoryStart: start, memoryLimit: start + 0x100000, fileOffset: 0, filename: strings.dedup('/usr/bin/app'), buildId: strings.dedup(buildId) });
  const offsets = Object.keys(bytes).map(Number);
  const profile = new PprofProfile({
    sampleType: [new ValueType({ type: strings.dedup('inuse_space'), unit: strings.dedup('bytes') })],
    mapping: [mapping],
    location: offsets.map((offset, i) => new Location({ id: i + 1, mappingId: 1, address: start + offset })),
    sample: offsets.map((offset, i) => new Sample({ locationId: [i + 1], value: [bytes[offset]!] })),
    stringTable: strings,
  });
  return gzipSync(profile.encode());
}

