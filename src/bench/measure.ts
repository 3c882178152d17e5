import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measurement {
  readonly label: string;
  readonly command: string;
  /** Median wall time of whole-process runs, start to exit. */
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /** Largest peak RSS over the runs (GNU time's %M), or null when /usr/bin/time is missing. */
  readonly peakRssMb: number | null;
  /** Median user + system CPU time (GNU time's %U + %S): less swayed than wall time by a busy machine. */
  readonly medianCpuMs: number | null;
}

const TIME = '/usr/bin/time';
export const rssMethod = existsSync(TIME)
  ? 'peak RSS and CPU time by /usr/bin/time -f "%M %U %S" (RSS: max over the runs)'
  : 'peak RSS and CPU time not measured (/usr/bin/time missing)';

export interface Command {
  readonly label: string;
  readonly argv: readonly string[];
}

/**
 * Runs each command once to warm up, then `runs` rounds of each in turn, so commands compared
 * with each other share the same moments of a busy machine; keeps each one's median wall time.
 * The clock runs around the whole child (spawn to exit); GNU time wraps every run alike.
 */
export function measure(commands: readonly Command[], runs: number, cwd: string): Measurement[] {
  const results = commands.map(() => [] as Run[]);
  commands.forEach((c) => once(c.argv, cwd));
  for (let round = 0; round < runs; round++) commands.forEach((c, i) => results[i]!.push(once(c.argv, cwd)));
  return commands.map((c, i) => {
    const rs = results[i]!;
    const rss = rs.map((r) => r.rssMb).filter((r): r is number => r !== null);
    const cpu = rs.map((r) => r.cpuMs).filter((r): r is number => r !== null);
    return {
      label: c.label,
      command: c.argv.join(' '),
      medianMs: median(rs.map((r) => r.ms)),
      runsMs: rs.map((r) => r.ms),
      peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
      medianCpuMs: cpu.length > 0 ? median(cpu) : null,
    };
  });
}

interface Run {
  readonly ms: number;
  readonly rssMb: number | null;
  readonly cpuMs: number | null;
}

function once(argv: readonly string[], cwd: string): Run {
  const wrapped = existsSync(TIME) ? [TIME, '-f', '%M %U %S', ...argv] : [...argv];
  const start = process.hrtime.bigint();
  const child = spawnSync(wrapped[0]!, wrapped.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stderr = child.stderr?.toString() ?? '';
  if (child.status !== 0) throw new Error(`${argv.join(' ')} exited with ${child.status ?? child.signal}: ${stderr.trim().split('\n').pop()}`);
  const [kb, user, system] = (existsSync(TIME) ? stderr.trim().split('\n').pop()!.split(' ') : []).map(Number);
  return { ms, rssMb: Number.isFinite(kb) ? kb! / 1024 : null, cpuMs: Number.isFinite(user! + system!) ? (user! + system!) * 1000 : null };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Whether a program is on PATH. */
export function onPath(program: string): boolean {
  return spawnSync(program, ['version'], { stdio: 'ignore' }).status === 0;
}
