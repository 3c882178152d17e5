import type { Measurement } from './measure.js';

/** The bench's cases, each selectable with --only. */
export const CASES = ['small', 'fat', 'medium', 'go', 'trend', 'fleet', 'small-fleet', 'store'] as const;

/** One goal of issue 17 (and #14's fleet), judged on measurements from the same run. */
export interface Target {
  readonly name: string;
  /** The bar, e.g. "≤ 1.5×". */
  readonly goal: string;
  /** What was measured, e.g. "1.95× (0.80 s vs 0.41 s)", or why it was skipped. */
  readonly measured: string;
  /** null when skipped or only for information. */
  readonly met: boolean | null;
}

/** Whatever --only asked for; a string says why a case was skipped. */
export interface Measured {
  nodeBaseline?: Measurement;
  small?: Measurement;
  floor?: Measurement;
  fat?: Measurement;
  mediumFloor?: Measurement;
  tenK?: Measurement;
  goPprof?: Measurement | string;
  trend?: Measurement | string;
  /** Issue 14: heapdiff's decoder alone over a fleet's files, on every core, and top over them. */
  fleetFloor?: Measurement;
  fleet?: Measurement;
  smallFleet?: Measurement;
}

const s = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;
const ratio = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)}×`;

export function judge(m: Measured): Target[] {
  const targets: Target[] = [];
  const versus = (name: string, run: Measurement | undefined, floor: Measurement | undefined, goal: number) => {
    if (!run || !floor) return;
    const r = run.medianMs / floor.medianMs;
    // CPU time is less swayed by a busy machine than wall time: shown beside it, not judged.
    const cpu = run.medianCpuMs !== null && floor.medianCpuMs ? `; CPU ${ratio(run.medianCpuMs / floor.medianCpuMs)}` : '';
    targets.push({ name, goal: `≤ ${goal}×`, measured: `${ratio(r)} (${s(run.medianMs)} vs ${s(floor.medianMs)}${cpu})`, met: r <= goal });
  };
  const rss = (name: string, run: Measurement | undefined, goalMb: number) => {
    if (!run) return;
    targets.push(
      run.peakRssMb === null
        ? { name, goal: `≤ ${goalMb} MB`, measured: 'skipped: /usr/bin/time missing', met: null }
        : { name, goal: `≤ ${goalMb} MB`, measured: `${run.peakRssMb.toFixed(0)} MB`, met: run.peakRssMb <= goalMb },
    );
  };
  const within = (name: string, run: Measurement | string | undefined, goalMs: number) => {
    if (run === undefined) return;
    if (typeof run === 'string') targets.push({ name, goal: `≤ ${s(goalMs)}`, measured: `skipped: ${run}`, met: null });
    else targets.push({ name, goal: `≤ ${s(goalMs)}`, measured: s(run.medianMs), met: run.medianMs <= goalMs });
  };
  versus('fat pair / floor (gunzip + walk)', m.fat, m.floor, 1.5);
  rss('fat pair peak RSS', m.fat, 200);
  versus('10k pair / floor (gunzip + walk)', m.tenK, m.mediumFloor, 1.5);
  versus('small real pair / node -e 0', m.small, m.nodeBaseline, 1.5);
  versus('fleet 20 + 20 × 10k / decode floor', m.fleet, m.fleetFloor, 1.5);
  rss('fleet 20 + 20 peak RSS', m.fleet, 400);
  within('fleet 200 + 200 small', m.smallFleet, 3000);
  within('trend over 10 × 10k snapshots', m.trend, 2000);
  if (typeof m.goPprof === 'string') targets.push({ name: 'go tool pprof / heapdiff, 10k pair', goal: 'info', measured: `skipped: ${m.goPprof}`, met: null });
  else if (m.goPprof && m.tenK) {
    targets.push({ name: 'go tool pprof / heapdiff, 10k pair', goal: 'info', measured: `${ratio(m.goPprof.medianMs / m.tenK.medianMs)} (${s(m.goPprof.medianMs)} vs ${s(m.tenK.medianMs)})`, met: null });
  }
  return targets;
}

export function measurementsOf(m: Measured): Measurement[] {
  return [m.nodeBaseline, m.small, m.floor, m.fat, m.mediumFloor, m.tenK, m.goPprof, m.trend, m.fleetFloor, m.fleet, m.smallFleet].filter((x): x is Measurement => x !== undefined && typeof x !== 'string');
}

export function renderTable(header: string, measurements: readonly Measurement[], targets: readonly Target[]): string {
  const pad = (rows: string[][]) => {
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ').trimEnd()).join('\n');
  };
  const runs = pad([
    ['scenario', 'median wall', 'median CPU', 'peak RSS'],
    ...measurements.map((m) => [
      m.label,
      s(m.medianMs),
      m.medianCpuMs === null ? 'n/a' : s(m.medianCpuMs),
      m.peakRssMb === null ? 'n/a' : `${m.peakRssMb.toFixed(0)} MB`,
    ]),
  ]);
  const verdicts = pad([
    ['goal', 'measured', 'goal', 'met'],
    ...targets.map((t) => [t.name, t.measured, t.goal, t.met === null ? (t.goal === 'info' ? '' : 'skipped') : t.met ? 'met' : 'NOT MET']),
  ]);
  return `${header}\n\n${runs}\n\n${verdicts}\n`;
}
