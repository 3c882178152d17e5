import { resolve } from 'node:path';
import type { Command } from 'commander';
import { diffProfiles } from '../../analysis/diff.js';
import { hasFilters } from '../../analysis/filters.js';
import { ProfileError } from '../../model/errors.js';
import type { GateRule } from '../../report/gates.js';
import type { TopReport } from '../../report/top.js';
import type { Sources } from '../../render/text-top.js';
import { FAIL_ON_HELP, FAIL_ON_RAW_HELP, WARN_ON_RAW_HELP, ruleCollector, rulesOf, summarizeThenGate, type GateIo, type SummaryIo } from '../gates-output.js';
import { wantsColor, type Codecs, type ColourIo, type Files, type ReportOut, type Terminal } from '../io.js';
import { loadProfiles, type LoadIo } from '../load.js';
import { addSideOptions, isSetComparison, resolveSides, type Sides, type SidesIo } from '../sides.js';
import type { SetDiff } from '../../analysis/profile-set.js';
import type { FlameGraph } from '../../analysis/flame.js';
import type { PeekReport } from '../../report/peek.js';
import { isStoreSide, type StoreSide } from '../../store/side.js';
import { refuseStackFeatures } from '../store-sides.js';
import { addCommonOptions, addErrorOptions, sampleOptions, wholeNumber, type CommonOptions, type ErrorOptions } from '../options.js';

interface TopCliOptions extends CommonOptions, ErrorOptions {
  store?: string;
  cum?: boolean;
  nodecount: number;
  failOn: GateRule[];
  warnOn: GateRule[];
  failOnRaw: GateRule[];
  warnOnRaw: GateRule[];
  output?: string;
  outputPprof?: string;
  base?: string[];
  current?: string[];
  paired?: boolean;
}

/** Printing a report and its gates. */
type DeliverIo = ReportOut & GateIo & SummaryIo & ColourIo;
/** Reading a diff of sets (from files, or from the store named in the environment) and printing it. */
type SetsIo = LoadIo & DeliverIo & Pick<Terminal, 'env'>;
/** top reads profiles from files, URLs or the store, and can write the diff as gzipped pprof. */
type TopIo = SetsIo & SidesIo & Pick<Files, 'cwd'> & Pick<Codecs, 'gzip'>;

export function registerTop(program: Command, io: TopIo): void {
  addErrorOptions(addCommonOptions(
    addSideOptions(
      program
        .command('top', { isDefault: true })
        .description('rank allocation sites by growth from <base> to [current] (or rank one profile)')
        .argument('[profiles...]', 'BASE CURRENT, or one profile (pprof protobuf, gzipped or raw); each a file, URL, directory or quoted glob'),
    )
      .option('--store <url>', 'ClickHouse store for store:key=value,… sides (default: $HEAPDIFF_STORE)')
      .option('--cum', 'sort by cum growth instead of flat growth')
      .option('-n, --nodecount <n>', 'show this many rows, 0 for all', wholeNumber, 10)
      .option('--fail-on <rule>', FAIL_ON_HELP, ruleCollector(false), [])
      .option('--warn-on <rule>', 'like --fail-on, but only warn (repeatable)', ruleCollector(false), [])
      .option('--fail-on-raw <rule>', FAIL_ON_RAW_HELP, ruleCollector(false, true), [])
      .option('--warn-on-raw <rule>', WARN_ON_RAW_HELP, ruleCollector(false, true), [])
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
      .option('--output-pprof <file>', 'also write the diff as a gzipped pprof profile that go tool pprof opens'),
    { formats: ['text', 'json', 'markdown', 'html'] },
  )).action(async (positional: string[], options: TopCliOptions) => {
    if (options.output !== undefined && options.outputPprof !== undefined && resolve(io.cwd, options.output) === resolve(io.cwd, options.outputPprof)) {
      throw new ProfileError('invalid option', '-o and --output-pprof name the same file: one would overwrite the other');
    }
    if ([...positional, ...(options.base ?? []), ...(options.current ?? [])].some(isStoreSide)) {
      await topOfStore(io, positional, options);
      return;
    }
    const sides = await resolveSides(io, 'top', positional, options);
    if (isSetComparison(sides, options.paired)) {
      await topOfSets(io, sides, options);
      return;
    }
    const sources = sides.sources;
    const paths = [...(sides.base ?? []), ...sides.current];
    // A pair without filters: the helper thread aggregates the side it decodes (the report adopts it).
    const side = paths.length === 2 && !hasFilters(options) ? { granularity: options.granularity, ...(options.sampleIndex !== undefined ? { sampleIndex: options.sampleIndex } : {}) } : undefined;
    const profiles = await loadProfiles(io, paths, options, side);
    const input = profiles.length === 2 ? diffProfiles(profiles[0]!, profiles[1]!) : profiles[0]!;
    const { top } = await import('../../report/top.js');
    const report = top(input, {
      granularity: options.granularity,
      sort: options.cum ? 'cum' : 'flat',
      // Markdown folds the rows beyond --nodecount into <details>, so it takes them all.
      nodeCount: options.format === 'markdown' ? 0 : options.nodecount,
      failOn: rulesOf(options.failOn, options.failOnRaw),
      warnOn: rulesOf(options.warnOn, options.warnOnRaw),
      confidence: options.confidence,
      sameProcess: options.sameProcess ?? false,
      ...sampleOptions(options),
    });
    const html = async (): Promise<HtmlData> => {
      const [{ flameGraph }, { peekSites }] = await Promise.all([import('../../analysis/flame.js'), import('../../report/peek.js')]);
      // Each row's callers and callees, for the page's peek view of a selected row.
      return { flame: flameGraph(input, sampleOptions(options)), peek: peekSites(input, report.rows, { granularity: options.granularity, ...sampleOptions(options) }) };
    };
    const text = await render(report, html, sources, options, io);
    if (options.outputPprof !== undefined) {
      const { encodeAsPprof } = await import('../../encode/diff-to-pprof.js');
      await io.writeFileAtomic(options.outputPprof, io.gzip(encodeAsPprof(input)));
    }
    await deliver(io, report, text, sources, options, async (breaches) =>
      (await import('../breach-locations.js')).locateBreaches(breaches, input, sampleOptions(options), io.env['GITHUB_WORKSPACE']),
    );
  });
}

/** Sides that are sets of profiles: each aggregated as it decodes, reported as per-profile means. */
async function topOfSets(io: SetsIo, sides: Sides, options: TopCliOptions): Promise<void> {
  if (options.outputPprof !== undefined) {
    throw new ProfileError(
      'invalid option',
      '--output-pprof writes the diff of two profiles; sets of them are kept as per-site sums, not samples, so there is no profile to write: give one profile per side, or use -f json',
    );
  }
  if (options.sameProcess) throw new ProfileError('invalid option', '--same-process bounds the error of two snapshots of one process; for sets of profiles use --paired');
  const [{ setOptions }, { aggregateSides }] = await Promise.all([import('../../report/top-sets.js'), import('../load-sets.js')]);
  const set = await aggregateSides(
    io,
    { base: sides.base!, current: sides.current },
    {
      ...setOptions({ granularity: options.granularity, ...sampleOptions(options), ...(options.paired ? { paired: true } : {}) }),
      // The HTML page's flame graph and its peek of a selected row, of the per-profile means.
      ...(options.format === 'html' ? { flame: true, callEdges: true } : {}),
    },
    options,
  );
  await printSets(io, set, sides.sources, options);
}

/** `top store:… store:…`: both sides are queries over the ClickHouse store, reported as sets. */
async function topOfStore(io: SetsIo, positional: readonly string[], options: TopCliOptions): Promise<void> {
  const given = [...(options.base ?? []), ...positional, ...(options.current ?? [])];
  if (given.length !== 2 || !given.every(isStoreSide)) {
    throw new ProfileError('invalid arguments', 'a diff over the store takes two store:key=value,… sides (base, then current), and no files');
  }
  refuseStackFeatures('top', options);
  const [{ openStore }, { parseStoreSide }, { storeSetDiff }] = await Promise.all([
    import('../store-option.js'),
    import('../../store/side.js'),
    import('../../store/sets.js'),
  ]);
  const [base, current] = given.map(parseStoreSide) as [StoreSide, StoreSide];
  const store = await openStore(io, options.store);
  let set;
  try {
    set = await storeSetDiff(store, base, current, { granularity: options.granularity, ...(options.sampleIndex !== undefined ? { sampleIndex: options.sampleIndex } : {}) });
  } finally {
    await store.close();
  }
  await printSets(io, set, { base: base.text, current: current.text }, options);
}

/** Renders and gates a diff of sets, from files or from the store alike. */
async function printSets(io: DeliverIo, set: SetDiff, sources: Sources, options: TopCliOptions): Promise<void> {
  const { topOfSets } = await import('../../report/top-sets.js');
  const report = topOfSets(set, {
    sort: options.cum ? 'cum' : 'flat',
    nodeCount: options.format === 'markdown' ? 0 : options.nodecount,
    failOn: rulesOf(options.failOn, options.failOnRaw),
    warnOn: rulesOf(options.warnOn, options.warnOnRaw),
    confidence: options.confidence,
  });
  const html = async (): Promise<HtmlData> => {
    // The store keeps no stacks: its sides refused -f html before querying (refuseStackFeatures).
    if (set.flame === null) throw new ProfileError('invalid option', 'the HTML report of sets needs them aggregated with their call paths');
    const { peekSitesOfSets } = await import('../../report/peek-sets.js');
    return { flame: set.flame, peek: peekSitesOfSets(set, report.rows, { confidence: report.confidence }) };
  };
  const text = await render(report, html, sources, options, io);
  // Breaches are not placed at source lines: that would need the profiles again.
  await deliver(io, report, text, sources, options, async (breaches) => breaches.map((breach) => ({ breach })));
}

/** Writes the report (to --output or stdout), then the step summary and the gates' verdict. */
async function deliver(
  io: DeliverIo,
  report: TopReport,
  text: string,
  sources: Sources,
  options: TopCliOptions,
  locate: Parameters<typeof summarizeThenGate>[3],
): Promise<void> {
  if (options.output !== undefined) await io.writeFileAtomic(options.output, text);
  else io.stdout(text);
  await summarizeThenGate(
    io,
    async () => (await import('../../render/markdown-top.js')).renderTopMarkdown(report, { sources, tableRows: options.nodecount || Infinity }),
    report.gates,
    locate,
  );
}

/** What the HTML page shows beside the table: the flame graph, and the peek of each row. */
interface HtmlData {
  readonly flame: FlameGraph;
  readonly peek: PeekReport;
}

/** The report in --format; `html` builds what only the HTML page needs (from two profiles, or from sets). */
async function render(report: TopReport, html: () => Promise<HtmlData>, sources: Sources, options: TopCliOptions, io: ColourIo): Promise<string> {
  switch (options.format) {
    case 'html': {
      const [{ renderTopHtml }, { flame, peek }] = await Promise.all([import('../../render/html/top.js'), html()]);
      return renderTopHtml(report, flame, { sources, peek });
    }
    case 'json':
      return (await import('../../render/json-top.js')).renderTopJson(report, sources);
    case 'markdown':
      return (await import('../../render/markdown-top.js')).renderTopMarkdown(report, { sources, tableRows: options.nodecount || Infinity });
    default: {
      const [{ renderTopText }, { ANSI, PLAIN }] = await Promise.all([import('../../render/text-top.js'), import('../../render/style.js')]);
      return renderTopText(report, { sources, style: wantsColor(io) && options.output === undefined ? ANSI : PLAIN });
    }
  }
}
