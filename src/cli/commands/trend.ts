import { InvalidArgumentError, Option, type Command } from 'commander';
import { note } from '../note.js';
import { ProfileError } from '../../model/errors.js';
import type { Profile } from '../../model/profile.js';
import type { TrendReport } from '../../report/trend.js';
import type { GateRule } from '../../report/gates.js';
import { diffProfiles } from '../../analysis/diff.js';
import { FAIL_ON_HELP, ruleCollector, summarizeThenGate, type GateIo, type SummaryIo } from '../gates-output.js';
import { expandGlobs } from '../glob.js';
import { wantsColor, type ColourIo, type Files, type ReportOut } from '../io.js';
import { loadProfiles, type LoadIo } from '../load.js';
import { addCommonOptions, confidenceOption, durationOption, sampleOptions, sizeOption, wholeNumber, type CommonOptions } from '../options.js';
import { isStoreSide } from '../../store/side.js';
import { refuseStackFeatures } from '../store-sides.js';

export interface TrendCliOptions extends CommonOptions {
  store?: string;
  bucket?: number;
  cum?: boolean;
  nodecount: number;
  limit?: number;
  overhead?: number;
  /** Absent when a caller (capture) has no --confidence: the library's default. */
  confidence?: number;
  output?: string;
  failOn?: GateRule[];
  warnOn?: GateRule[];
}

/** Printing a trend: warnings and gates on stderr, the report to --output or stdout. */
export type PrintTrendIo = ReportOut & GateIo & SummaryIo & ColourIo;
/** trend reads snapshots from files (globs), URLs or the store named in the environment. */
type TrendIo = LoadIo & PrintTrendIo & Pick<Files, 'glob'>;

export function registerTrend(program: Command, io: TrendIo): void {
  addCommonOptions(
    program
      .command('trend')
      .description('rank allocation sites by how they grow across 3 or more snapshots, with a verdict each (leak, plateau, sawtooth, …)')
      .argument('<profiles...>', 'snapshots of one process: files, globs (heap-*.pb.gz) or http(s) URLs; ordered by capture time')
      .option('--cum', "follow each site's cum (with everything it calls) instead of its flat")
      .option('-n, --nodecount <n>', 'show this many rows, 0 for all', wholeNumber, 10)
      .option('--limit <size>', "memory limit (e.g. 512MB): project when memory reaches it at the leaks' slope (MemStats Sys when the profiles have it, else the heap × --overhead)", sizeOption)
      .option('--overhead <factor>', 'process memory per byte of in-use heap, for --limit (about 2 for Go with GOGC=100; default 1: the heap alone)', factorOption)
      .addOption(new Option('--confidence <level>', "confidence of the verdicts and of --limit's interval, from 0.5 to below 1").argParser(confidenceOption).default(0.95))
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
      .option('--fail-on <rule>', `${FAIL_ON_HELP}; leaks>0 fails when any site is a leak`, ruleCollector(true), [])
      .option('--warn-on <rule>', 'like --fail-on, but only warn (repeatable)', ruleCollector(true), [])
      .option('--store <url>', 'ClickHouse store for a store:key=value,… argument (default: $HEAPDIFF_STORE)')
      .addOption(new Option('--bucket <duration>', 'with a store: side, one snapshot per bucket of this width: the mean of its profiles').argParser(durationOption).default(3_600_000, '1h')),
    { formats: ['text', 'json', 'markdown', 'html'], diffBase: false },
  ).action(async (args: string[], options: TrendCliOptions) => {
    if (options.diffBase !== undefined) {
      throw new ProfileError('invalid option', 'trend orders snapshots by capture time: give them all as arguments, without --diff-base');
    }
    if (args.some(isStoreSide)) {
      await trendFromStore(io, args, options);
      return;
    }
    const sources = await expandGlobs(io, args);
    const profiles = await loadProfiles(io, sources, options);
    await printTrend(io, profiles, sources, options);
  });
}

/** `trend store:… --bucket 1h`: per-bucket means of the stored profiles as snapshots. */
async function trendFromStore(io: PrintTrendIo, args: readonly string[], options: TrendCliOptions): Promise<void> {
  if (args.length !== 1) throw new ProfileError('invalid arguments', 'a trend over the store takes one store:key=value,… argument and no files');
  refuseStackFeatures('trend', options);
  const [{ openStore }, { parseStoreSide }, { bucketSnapshots }] = await Promise.all([
    import('../store-option.js'),
    import('../../store/side.js'),
    import('../../store/trend.js'),
  ]);
  const side = parseStoreSide(args[0]!);
  const store = await openStore(io, options.store);
  let snapshots;
  try {
    snapshots = await bucketSnapshots(store, side, {
      bucketNanos: (options.bucket ?? 3_600_000) * 1e6,
      granularity: options.granularity,
      value: options.cum ? 'cum' : 'flat',
    });
  } finally {
    await store.close();
  }
  await printTrend(io, snapshots.profiles, snapshots.sources, options);
}

/** Computes and prints a trend; `capture` reuses it for what it saved. Warnings go to stderr. */
export async function printTrend(io: PrintTrendIo, profiles: readonly Profile[], sources: readonly string[], options: TrendCliOptions): Promise<void> {
  const { trend } = await import('../../report/trend.js');
  const report = trend(profiles, {
    granularity: options.granularity,
    value: options.cum ? 'cum' : 'flat',
    nodeCount: options.nodecount,
    failOn: options.failOn ?? [],
    warnOn: options.warnOn ?? [],
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.overhead !== undefined ? { overhead: options.overhead } : {}),
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
    ...sampleOptions(options),
  });
  for (const warning of report.warnings) note(io, `warning: ${warning}`);
  const text = await renderTrend(report, sources, options, io);
  if (options.output !== undefined) await io.writeFileAtomic(options.output, text);
  else io.stdout(text);
  // A breached site is placed at its hottest line between the first and the last snapshot.
  const window = diffProfiles(profiles[report.snapshots[0]!.index]!, profiles[report.snapshots.at(-1)!.index]!);
  await summarizeThenGate(
    io,
    async () => (await import('../../render/markdown-trend.js')).renderTrendMarkdown(report, { sources }),
    report.gates,
    async (breaches) => (await import('../breach-locations.js')).locateBreaches(breaches, window, sampleOptions(options), io.env['GITHUB_WORKSPACE']),
  );
}

async function renderTrend(report: TrendReport, sources: readonly string[], options: TrendCliOptions, io: ColourIo): Promise<string> {
  switch (options.format) {
    case 'json':
      return (await import('../../render/json-trend.js')).renderTrendJson(report, sources);
    case 'markdown':
      return (await import('../../render/markdown-trend.js')).renderTrendMarkdown(report, { sources });
    case 'html':
      return (await import('../../render/html/trend.js')).renderTrendHtml(report, { sources });
    default: {
      const [{ renderTrendText }, { ANSI, PLAIN }] = await Promise.all([import('../../render/text-trend.js'), import('../../render/style.js')]);
      return renderTrendText(report, { sources, style: wantsColor(io) && options.output === undefined ? ANSI : PLAIN });
    }
  }
}

/** A plain number such as 2 or 1.5. */
function factorOption(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new InvalidArgumentError('expected a number such as 2 or 1.5');
  return Number(text);
}
