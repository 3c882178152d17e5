import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchInputs } from './inputs.js';
import { measure, onPath, rssMethod, type Command, type Measurement } from './measure.js';
import { renderStore, storeBench } from './store.js';
import { CASES, judge, measurementsOf, renderTable, type Measured } from './targets.js';

/**
 * `npm run bench` (which builds first): issue 17's performance goals, measured as whole-process
 * runs on this machine, each against a floor measured in the same run. Options: --json,
 * --runs N (default 7), --only CASE,… (cases: small, fat, medium, go, trend, fleet, small-fleet,
 * store; default all) to measure a subset on a shared machine.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const runs = Number(flag('--runs') ?? 7);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a whole number ≥ 1');
const only = flag('--only')?.split(',').map((c) => c.trim()) ?? [...CASES];
const unknown = only.filter((c) => !(CASES as readonly string[]).includes(c));
if (unknown.length > 0) throw new Error(`--only: unknown case ${unknown.join(', ')} (cases: ${CASES.join(', ')})`);
const wanted = (c: (typeof CASES)[number]) => only.includes(c);
const loadBefore = loadavg()[0]!;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const node = process.execPath;
const heapdiff = (...rest: string[]) => [node, join(root, 'bin/heapdiff.js'), ...rest];
const floorOf = (files: readonly string[]) => [node, join(root, 'dist/bench/floor.js'), ...files];
const inputs = benchInputs(root, log);
const smallPair = ['testdata/go/leakysvc/profiles/heap-01.pb.gz', 'testdata/go/leakysvc/profiles/heap-08.pb.gz'];

// Each goal compares two runs: they take turns, so a busy moment hits both alike.
const pair = (what: string, a: Command, b: Command, n = runs): [Measurement, Measurement] => {
  log(what);
  const [first, second] = measure([a, b], n, root);
  return [first!, second!];
};
const measured: Measured = {};
if (wanted('small')) {
  [measured.nodeBaseline, measured.small] = pair('node -e 0 and heapdiff top on a small real pair', { label: 'node -e 0', argv: [node, '-e', '0'] }, {
    label: 'heapdiff top, small real pair (heap-01 vs heap-08)',
    argv: heapdiff('top', ...smallPair),
  });
}
if (wanted('fat')) {
  [measured.floor, measured.fat] = pair('floor and heapdiff top on the fat pair', { label: 'floor: gunzip + walk, fat pair', argv: floorOf(inputs.fat) }, {
    label: 'heapdiff top, fat pair',
    argv: heapdiff('top', ...inputs.fat),
  });
}
if (wanted('medium')) {
  [measured.mediumFloor, measured.tenK] = pair('floor and heapdiff top on the 10k pair', { label: 'floor: gunzip + walk, 10k pair', argv: floorOf(inputs.tenK) }, {
    label: 'heapdiff top, 10k pair',
    argv: heapdiff('top', ...inputs.tenK),
  });
}
if (wanted('go')) {
  const goCommand: Command = { label: 'go tool pprof -top -diff_base, 10k pair', argv: ['go', 'tool', 'pprof', '-top', '-diff_base', ...inputs.tenK] };
  if (!onPath('go')) measured.goPprof = 'go is not on PATH';
  else {
    log('go tool pprof on the 10k pair (slow)');
    measured.goPprof = measure([goCommand], Math.min(runs, 5), root)[0]!;
  }
}
if (wanted('trend')) {
  const help = spawnSync(node, [join(root, 'bin/heapdiff.js'), '--help'], { encoding: 'utf8' }).stdout;
  if (!/^\s+trend\b/m.test(help)) measured.trend = 'heapdiff has no trend command yet';
  else {
    log('heapdiff trend over 10 snapshots');
    measured.trend = measure([{ label: 'heapdiff trend, 10 × 10k snapshots', argv: heapdiff('trend', ...inputs.trend()) }], runs, root)[0]!;
  }
}
if (wanted('fleet')) {
  const fleetFiles = inputs.fleet();
  [measured.fleetFloor, measured.fleet] = pair(
    'decode floor and heapdiff top on a fleet of 20 + 20 × 10k',
    { label: 'decode floor: 20 + 20 × 10k on every core', argv: [node, join(root, 'dist/bench/decode-floor.js'), ...fleetFiles.files] },
    { label: 'heapdiff top, fleet 20 + 20 × 10k', argv: heapdiff('top', fleetFiles.base, fleetFiles.current) },
  );
}
if (wanted('small-fleet')) {
  const smallSides = inputs.smallFleet();
  log('heapdiff top on a fleet of 200 + 200 small profiles');
  measured.smallFleet = measure([{ label: 'heapdiff top, fleet 200 + 200 small', argv: heapdiff('top', smallSides.base, smallSides.current) }], runs, root)[0]!;
}

const targets = judge(measured);
const store = wanted('store') ? await storeBench(root, runs, log) : 'not asked for (--only)';
// The load average before and after tells how busy the machine was while measuring.
const machine = { node: process.version, cpus: cpus().length, loadAverage: [loadBefore, loadavg()[0]!].map((l) => Number(l.toFixed(2))), runs, rss: rssMethod };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, measurements: measurementsOf(measured), targets, store }, null, 2)}\n`);
} else {
  const header = [
    `heapdiff bench: node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadAverage.join(' → ')} (before → after)`,
    `median of ${runs} whole-process runs after a warm-up, compared runs taking turns (go tool pprof: ${Math.min(runs, 5)}); ${rssMethod}`,
  ].join('\n');
  process.stdout.write(renderTable(header, measurementsOf(measured), targets) + (wanted('store') ? renderStore(store) : ''));
}
