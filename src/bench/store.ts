import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { snapshots, type Shape } from './generate.js';
import { measure, type Measurement } from './measure.js';

/**
 * The ClickHouse store's figures (issue 18): ingesting 1,000 profiles, and a fleet diff and a
 * trend over them, against the server in HEAPDIFF_BENCH_STORE (else HEAPDIFF_TEST_CLICKHOUSE, else
 * the one `.ci/clickhouse start` runs on 127.0.0.1:18123). Skipped, with the reason, when none
 * answers.
 */
export const STORE_PROFILES = 1000;
/** A small service: 100 allocation sites on stacks through 300 functions (~3,800 site rows per profile). */
const SHAPE: Shape = { samples: 100, functions: 300, locations: 600, seed: 18 };
const DATABASE = 'heapdiff_bench';

export interface StoreFigures {
  readonly server: string;
  readonly profiles: number;
  readonly siteRows: number;
  readonly ingest: Measurement;
  readonly profilesPerSecond: number;
  readonly queries: Measurement[];
}

export async function storeBench(root: string, runs: number, log: (line: string) => void): Promise<StoreFigures | string> {
  const server = process.env['HEAPDIFF_BENCH_STORE'] ?? process.env['HEAPDIFF_TEST_CLICKHOUSE'] ?? 'http://127.0.0.1:18123';
  if (!(await answers(server))) return `no ClickHouse answers at ${server} (.ci/clickhouse start DIR, or set HEAPDIFF_BENCH_STORE)`;
  const files = inputs(root, log);
  const store = `${server.replace(/\/$/, '')}/${DATABASE}`;
  const heapdiff = (...rest: string[]) => [process.execPath, join(root, 'bin/heapdiff.js'), ...rest];
  const half = files.length / 2;
  // Two ingests (two halves, labelled) per run, each into an emptied database.
  const ingestRun = () => {
    drop(server);
    let rows = 0;
    for (const [label, part] of [['half=a', files.slice(0, half)], ['half=b', files.slice(half)]] as const) {
      const argv = heapdiff('ingest', '--store', store, '--label', label, ...part);
      const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
      rows += Number(/(\d+) site rows/.exec(r.stdout)![1]);
    }
    return rows;
  };
  log(`ingesting ${files.length} profiles into ${store} (${Math.min(runs, 3)} runs, each into an emptied database)`);
  const times: number[] = [];
  let siteRows = 0;
  for (let k = 0; k < Math.min(runs, 3); k++) {
    const start = process.hrtime.bigint();
    siteRows = ingestRun();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const ms = median(times);
  const ingest: Measurement = {
    label: `heapdiff ingest, ${files.length} profiles (${siteRows.toLocaleString('en')} site rows)`,
    command: `heapdiff ingest --store ${store} --label half=a|b …`,
    medianMs: ms,
    runsMs: times,
    peakRssMb: null,
    medianCpuMs: null,
  };
  log('queries over the stored profiles');
  const queries = measure(
    [
      { label: `heapdiff top store:half=a store:half=b (${half} + ${half} profiles)`, argv: heapdiff('top', '--store', store, 'store:half=a', 'store:half=b') },
      { label: `heapdiff trend store:half=a --bucket 1h (${half} profiles)`, argv: heapdiff('trend', '--store', store, 'store:half=a', '--bucket', '1h') },
    ],
    runs,
    root,
  );
  return { server, profiles: files.length, siteRows, ingest, profilesPerSecond: files.length / (ms / 1000), queries };
}

function inputs(root: string, log: (line: string) => void): string[] {
  const dir = join(root, '.bench-cache', 'v1', `store-${STORE_PROFILES}-${SHAPE.samples}`);
  mkdirSync(dir, { recursive: true });
  const paths = Array.from({ length: STORE_PROFILES }, (_, k) => join(dir, `heap-${String(k + 1).padStart(4, '0')}.pb.gz`));
  if (!paths.every((p) => existsSync(p))) {
    log(`generating ${STORE_PROFILES} × ${SHAPE.samples}-sample profiles, cached in ${dir}`);
    snapshots(SHAPE, STORE_PROFILES).forEach((raw, k) => writeFileSync(paths[k]!, gzipSync(raw)));
  }
  return paths;
}

async function answers(server: string): Promise<boolean> {
  try {
    const response = await fetch(`${server.replace(/\/$/, '')}/?query=SELECT%201`, { signal: AbortSignal.timeout(3000) });
    return (await response.text()).trim() === '1';
  } catch {
    return false;
  }
}

function drop(server: string): void {
  const r = spawnSync(process.execPath, ['-e', `fetch(process.argv[1], { method: 'POST', body: 'DROP DATABASE IF EXISTS ${DATABASE}' }).then((r) => process.exit(r.ok ? 0 : 1))`, server]);
  if (r.status !== 0) throw new Error(`could not drop ${DATABASE} on ${server}`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The figures as a table section, after the other targets. */
export function renderStore(figures: StoreFigures | string): string {
  if (typeof figures === 'string') return `\nClickHouse store: skipped: ${figures}\n`;
  const s = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;
  const rows = [
    [figures.ingest.label, s(figures.ingest.medianMs), `${figures.profilesPerSecond.toFixed(0)} profiles/s`],
    ...figures.queries.map((q) => [q.label, s(q.medianMs), '']),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ').trimEnd());
  return `\nClickHouse store (${figures.server}), whole-process runs, median:\n${lines.join('\n')}\n`;
}
