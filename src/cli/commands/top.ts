import { InvalidArgumentError, type Command } from 'commander';
import type { ProfileOrDiff } from '../../analysis/diff.js';
import { parseGateRule, type GateRule } from '../../report/gates.js';
import type { TopReport } from '../../report/top.js';
import type { Sources } from '../../render/text-top.js';
import { annotations } from '../github.js';
import { wantsColor, type Io } from '../io.js';
import { loadInputs } from '../load.js';
import { addCommonOptions, sampleOptions, wholeNumber, type CommonOptions } from '../options.js';

/** Exit code when a --fail-on rule is breached (as diff(1) exits 1 when files differ). */
export const EXIT_BREACHED = 1;

interface TopCliOptions extends CommonOptions {
  cum?: boolean;
  nodecount: number;
  failOn: GateRule[];
  warnOn: GateRule[];
  output?: string;
  outputPprof?: string;
}

export function registerTop(program: Command, io: Io): void {
  addCommonOptions(
    program
      .command('top', { isDefault: true })
      .description('rank allocation sites by growth from <base> to [current] (or rank one profile)')
      .argument('<base>', 'base profile, or the only profile (pprof protobuf, gzipped or raw)')
      .argument('[current]', 'current profile; the report shows current − base')
      .option('--cum', 'sort by cum growth instead of flat growth')
      .option('-n, --nodecount <n>', 'show this many rows, 0 for all', wholeNumber, 10)
      .option('--fail-on <rule>', 'exit 1 when a rule is breached: total>10MB, site>=512kB, total>5%, site>50% (repeatable)', collectRule, [])
      .option('--warn-on <rule>', 'like --fail-on, but only warn (repeatable)', collectRule, [])
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
      .option('--output-pprof <file>', 'also write the diff as a gzipped pprof profile that go tool pprof opens'),
    { formats: ['text', 'json', 'markdown', 'html'] },
  ).action(async (first: string, second: string | undefined, options: TopCliOptions) => {
    const { input, sources } = await loadInputs(io, first, second, options);
    const { top } = await import('../../report/top.js');
    const report = top(input, {
      granularity: options.granularity,
      sort: options.cum ? 'cum' : 'flat',
      // Markdown folds the rows beyond --nodecount into <details>, so it takes them all.
      nodeCount: options.format === 'markdown' ? 0 : options.nodecount,
      failOn: options.failOn,
      warnOn: options.warnOn,
      ...sampleOptions(options),
    });
    const text = await render(report, input, sources, options, io);
    if (options.outputPprof !== undefined) {
      const { encodeAsPprof } = await import('../../encode/diff-to-pprof.js');
      await io.writeFileAtomic(options.outputPprof, io.gzip(encodeAsPprof(input)));
    }
    if (options.output !== undefined) await io.writeFileAtomic(options.output, text);
    else io.stdout(text);
    await reportGates(report, input, sources, options, io);
  });
}

async function render(report: TopReport, input: ProfileOrDiff, sources: Sources, options: TopCliOptions, io: Io): Promise<string> {
  switch (options.format) {
    case 'html': {
      const [{ flameGraph }, { renderTopHtml }] = await Promise.all([import('../../analysis/flame.js'), import('../../render/html/top.js')]);
      return renderTopHtml(report, flameGraph(input, sampleOptions(options)), { sources });
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

/**
 * On GitHub Actions the report also goes to the job summary. Breaches go to stderr (as workflow
 * annotations there), keeping stdout clean for JSON, and a --fail-on breach sets exit code 1.
 */
async function reportGates(report: TopReport, input: ProfileOrDiff, sources: Sources, options: TopCliOptions, io: Io): Promise<void> {
  const onGitHub = io.env['GITHUB_ACTIONS'] === 'true';
  const summary = io.env['GITHUB_STEP_SUMMARY'];
  if (onGitHub && summary) {
    const { renderTopMarkdown } = await import('../../render/markdown-top.js');
    await io.appendFile(summary, renderTopMarkdown(report, { sources, tableRows: options.nodecount || Infinity }) + '\n');
  }
  if (!report.gates) return;
  const { failOn, warnOn } = report.gates;
  if (onGitHub) {
    const { locateBreaches } = await import('../breach-locations.js');
    const place = (breaches: typeof failOn.breaches) => locateBreaches(breaches, input, sampleOptions(options), io.env['GITHUB_WORKSPACE']);
    const lines = [...annotations('error', place(failOn.breaches)), ...annotations('warning', place(warnOn.breaches))];
    if (lines.length > 0) io.stderr(lines.join('\n') + '\n');
  } else {
    for (const b of failOn.breaches) io.stderr(`heapdiff: gate breached: ${b.message}\n`);
    for (const b of warnOn.breaches) io.stderr(`heapdiff: warning: ${b.message}\n`);
  }
  if (!failOn.passed) throw new GateBreached();
}

/** Not an error: the run worked and the answer is "it grew too much". */
export class GateBreached extends Error {
  constructor() {
    super('a growth gate was breached');
  }
}

function collectRule(text: string, previous: GateRule[]): GateRule[] {
  try {
    return [...previous, parseGateRule(text)];
  } catch (thrown) {
    throw new InvalidArgumentError((thrown as Error).message.replace(/^invalid option: /, ''));
  }
}
