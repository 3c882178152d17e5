import type { Measurement } from './measure.js';

/** One target of issue 3, judged on measurements from the same run. */
export interface Target {
  readonly name: string;
  /** What was measured, e.g. "1.95× (0.80 s vs 0.41 s)", or why it was skipped. */
  readonly measured: string;
  /** null when skipped. */
  readonly met: boolean | null;
}

export interface Measured {
  readonly nodeBaseline: Measurement;
  readonly floor: Measurement;
  readonly fat: Measurement;
  readonly tenK: Measurement;
  readonly goPprof: Measurement | string;
  readonly small: Measurement;
  readonly trend: Measurement | string;
  /** Issue 14: heapdiff's decoder alone over a fleet's files, on every core, and top over them. */
  readonly fleetFloor: Measurement;
  readonly fleet: Measurement;
  readonly smallFleet: Measurement;
}

const s = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;
const ratio = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)}×`;

export function judge(m: Measured): Target[] {
  const fatRatio = m.fat.medianMs / m.floor.medianMs;
  const targets: Target[] = [
    { name: 'fat pair ≤ 2.5× floor', measured: `${ratio(fatRatio)} (${s(m.fat.medianMs)} vs ${s(m.floor.medianMs)})`, met: fatRatio <= 2.5 },
    { name: 'fat pair ≤ 1.2 s', measured: s(m.fat.medianMs), met: m.fat.medianMs <= 1200 },
    m.fat.peakRssMb === null
      ? { name: 'fat pair peak RSS ≤ 400 MB', measured: 'skipped: /usr/bin/time missing', met: null }
      : { name: 'fat pair peak RSS ≤ 400 MB', measured: `${m.fat.peakRssMb.toFixed(0)} MB`, met: m.fat.peakRssMb <= 400 },
  ];
  if (typeof m.goPprof === 'string') {
    targets.push({ name: '10k pair ≥ 20× faster than go tool pprof', measured: `skipped: ${m.goPprof}`, met: null });
  } else {
    const speedup = m.goPprof.medianMs / m.tenK.medianMs;
    targets.push({
      name: '10k pair ≥ 20× faster than go tool pprof',
      measured: `${ratio(speedup)} (${s(m.goPprof.medianMs)} vs ${s(m.tenK.medianMs)})`,
      met: speedup >= 20,
    });
  }
  if (typeof m.trend === 'string') {
    targets.push({ name: 'trend over 10 × 10k snapshots ≤ 2 s', measured: `skipped: ${m.trend}`, met: null });
  } else {
    targets.push({ name: 'trend over 10 × 10k snapshots ≤ 2 s', measured: s(m.trend.medianMs), met: m.trend.medianMs <= 2000 });
  }
  const fleetRatio = m.fleet.medianMs / m.fleetFloor.medianMs;
  targets.push(
    { name: 'fleet 20 + 20 × 10k ≤ 1.5× decode floor', measured: `${ratio(fleetRatio)} (${s(m.fleet.medianMs)} vs ${s(m.fleetFloor.medianMs)})`, met: fleetRatio <= 1.5 },
    m.fleet.peakRssMb === null
      ? { name: 'fleet 20 + 20 peak RSS ≤ 400 MB', measured: 'skipped: /usr/bin/time missing', met: null }
      : { name: 'fleet 20 + 20 peak RSS ≤ 400 MB', measured: `${m.fleet.peakRssMb.toFixed(0)} MB`, met: m.fleet.peakRssMb <= 400 },
    { name: 'fleet 200 + 200 small ≤ 3 s', measured: s(m.smallFleet.medianMs), met: m.smallFleet.medianMs <= 3000 },
  );
  const smallRatio = m.small.medianMs / m.nodeBaseline.medianMs;
  targets.push({
    name: 'small real profile ≤ 2× node -e 0',
    measured: `${ratio(smallRatio)} (${s(m.small.medianMs)} vs ${s(m.nodeBaseline.medianMs)})`,
    met: smallRatio <= 2,
  });
  return targets;
}

export function measurementsOf(m: Measured): Measurement[] {
  return [m.nodeBaseline, m.floor, m.fat, m.tenK, m.goPprof, m.small, m.trend, m.fleetFloor, m.fleet, m.smallFleet].filter((x): x is Measurement => typeof x !== 'string');
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
    ['target', 'measured', 'met'],
    ...targets.map((t) => [t.name, t.measured, t.met === null ? 'skipped' : t.met ? 'yes' : 'NO']),
  ]);
  return `${header}\n\n${runs}\n\n${verdicts}\n`;
}
