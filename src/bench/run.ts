import { spawnSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchInputs } from './inputs.js';
import { measure, onPath, rssMethod, type Command, type Measurement } from './measure.js';
import { renderStore, storeBench } from './store.js';
import { judge, measurementsOf, renderTable } from './targets.js';

/**
 * `npm run bench` (which builds first): issue 3's performance targets, measured as whole-process
 * runs on this machine. Options: --json, --runs N (default 7).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 7;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs wants a whole number ≥ 1');
const loadBefore = loadavg()[0]!;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const node = process.execPath;
const heapdiff = (...rest: string[]) => [node, join(root, 'bin/heapdiff.js'), ...rest];
const inputs = benchInputs(root, log);
const smallPair = ['testdata/go/leakysvc/profiles/heap-01.pb.gz', 'testdata/go/leakysvc/profiles/heap-08.pb.gz'];
const help = spawnSync(node, [join(root, 'bin/heapdiff.js'), '--help'], { encoding: 'utf8' }).stdout;
const hasTrend = /^\s+trend\b/m.test(help);

// Each target compares two runs: they take turns, so a busy moment hits both alike.
const pair = (what: string, a: Command, b: Command, n = runs): [Measurement, Measurement] => {
  log(what);
  const [first, second] = measure([a, b], n, root);
  return [first!, second!];
};
const [nodeBaseline, small] = pair('node -e 0 and heapdiff top on a small real pair', { label: 'node -e 0', argv: [node, '-e', '0'] }, {
  label: 'heapdiff top, small real pair (heap-01 vs heap-08)',
  argv: heapdiff('top', ...smallPair),
});
const [floor, fat] = pair('floor and heapdiff top on the fat pair', { label: 'floor: gunzip + walk, fat pair', argv: [node, join(root, 'dist/bench/floor.js'), ...inputs.fat] }, {
  label: 'heapdiff top, fat pair',
  argv: heapdiff('top', ...inputs.fat),
});
const tenKCommand: Command = { label: 'heapdiff top, 10k pair', argv: heapdiff('top', ...inputs.tenK) };
const goCommand: Command = { label: 'go tool pprof -top -diff_base, 10k pair', argv: ['go', 'tool', 'pprof', '-top', '-diff_base', ...inputs.tenK] };
const [tenK, goPprof]: [Measurement, Measurement | string] = onPath('go')
  ? pair('heapdiff top and go tool pprof on the 10k pair (slow)', tenKCommand, goCommand, Math.min(runs, 5))
  : [measure([tenKCommand], runs, root)[0]!, 'go is not on PATH'];
if (hasTrend) log('heapdiff trend over 10 snapshots');
const trend: Measurement | string = hasTrend
  ? measure([{ label: 'heapdiff trend, 10 × 10k snapshots', argv: heapdiff('trend', ...inputs.trend()) }], runs, root)[0]!
  : 'heapdiff has no trend command yet';
const fleetFiles = inputs.fleet();
const [fleetFloor, fleet] = pair(
  'decode floor and heapdiff top on a fleet of 20 + 20 × 10k',
  { label: 'decode floor: 20 + 20 × 10k on every core', argv: [node, join(root, 'dist/bench/decode-floor.js'), ...fleetFiles.files] },
  { label: 'heapdiff top, fleet 20 + 20 × 10k', argv: heapdiff('top', fleetFiles.base, fleetFiles.current) },
);
const smallSides = inputs.smallFleet();
log('heapdiff top on a fleet of 200 + 200 small profiles');
const smallFleet = measure([{ label: 'heapdiff top, fleet 200 + 200 small', argv: heapdiff('top', smallSides.base, smallSides.current) }], runs, root)[0]!;
const measured = { nodeBaseline, floor, fat, tenK, goPprof, small, trend, fleetFloor, fleet, smallFleet };

const targets = judge(measured);
const store = await storeBench(root, runs, log);
// The load average before and after tells how busy the machine was while measuring.
const machine = { node: process.version, cpus: cpus().length, loadAverage: [loadBefore, loadavg()[0]!].map((l) => Number(l.toFixed(2))), runs, rss: rssMethod };
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, measurements: measurementsOf(measured), targets, store }, null, 2)}\n`);
} else {
  const header = [
    `heapdiff bench: node ${machine.node}, ${machine.cpus} CPUs, load average ${machine.loadAverage.join(' → ')} (before → after)`,
    `median of ${runs} whole-process runs after a warm-up, compared runs taking turns (10k pair and go tool pprof: ${Math.min(runs, 5)}); ${rssMethod}`,
  ].join('\n');
  process.stdout.write(renderTable(header, measurementsOf(measured), targets) + renderStore(store));
}
