// inspect.mjs — print the header and top functions of gzipped pprof profiles.
//
//   node testdata/node/inspect.mjs testdata/node/heap-base.pb.gz [more.pb.gz ...]
//
// Uses pprof-format (a heapdiff dependency) + node:zlib only.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Profile } = require('pprof-format');

for (const file of process.argv.slice(2)) {
  const raw = readFileSync(file);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const p = Profile.decode(bytes);
  const s = (i) => p.stringTable.strings[Number(i)];
  const types = p.sampleType.map((t) => `${s(t.type)}/${s(t.unit)}`);
  console.log(`== ${file} (${raw.length} bytes on disk, ${bytes.length} decoded)`);
  console.log(`sampleType:        [${types.join(', ')}]`);
  console.log(`defaultSampleType: ${Number(p.defaultSampleType)} (${p.defaultSampleType ? JSON.stringify(s(p.defaultSampleType)) : 'unset'})`);
  console.log(`periodType:        ${p.periodType ? `${s(p.periodType.type)}/${s(p.periodType.unit)}` : 'unset'}  period: ${p.period}`);
  console.log(`timeNanos:         ${p.timeNanos} (${new Date(Number(BigInt(p.timeNanos) / 1000000n)).toISOString()})  durationNanos: ${p.durationNanos}`);
  console.log(`samples: ${p.sample.length}  locations: ${p.location.length}  functions: ${p.function.length}  mappings: ${p.mapping.length}  strings: ${p.stringTable.strings.length}`);
  const labelKeys = new Set();
  for (const smp of p.sample) for (const l of smp.label) labelKeys.add(s(l.key));
  console.log(`label keys: [${[...labelKeys].join(', ')}]`);
  const totals = p.sampleType.map((_, i) => p.sample.reduce((a, smp) => a + Number(smp.value[i]), 0));
  console.log(`totals: ${types.map((t, i) => `${t}=${totals[i]}`).join('  ')}`);

  // flat per leaf function, by last sample type (space)
  const fnById = new Map(p.function.map((f) => [Number(f.id), f]));
  const locById = new Map(p.location.map((l) => [Number(l.id), l]));
  const flat = new Map();
  const vi = p.sampleType.length - 1;
  for (const smp of p.sample) {
    const leaf = locById.get(Number(smp.locationId[0]));
    const fn = leaf && leaf.line.length ? fnById.get(Number(leaf.line[0].functionId)) : undefined;
    const name = fn ? s(fn.name) || '(anonymous)' : '(no location)';
    const file = fn ? s(fn.filename) : '';
    const key = `${name}  ${file.replace(/^.*\//, '')}`;
    flat.set(key, (flat.get(key) ?? 0) + Number(smp.value[vi]));
  }
  console.log(`top leaf functions by ${types[vi]}:`);
  for (const [k, v] of [...flat].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${String(v).padStart(10)}  ${k}`);
  }
  console.log();
}
