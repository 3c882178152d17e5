import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ProfileError } from '../../model/errors.js';
import type { ProfileOrDiff } from '../../analysis/diff.js';
import type { GateRule } from '../../report/gates.js';
import type { TopReport } from '../../report/top.js';
import type { Sources } from '../../render/text-top.js';
import { FAIL_ON_HELP, FAIL_ON_RAW_HELP, WARN_ON_RAW_HELP, ruleCollector, rulesOf, summarizeThenGate } from '../gates-output.js';
import { wantsColor, type Io } from '../io.js';
import { loadInputs } from '../load.js';
import { addCommonOptions, addErrorOptions, sampleOptions, wholeNumber, type CommonOptions, type ErrorOptions } from '../options.js';

interface TopCliOptions extends CommonOptions, ErrorOptions {
  cum?: boolean;
  nodecount: number;
  failOn: GateRule[];
  warnOn: GateRule[];
  failOnRaw: GateRule[];
  warnOnRaw: GateRule[];
  output?: string;
  outputPprof?: string;
}

export function registerTop(program: Command, io: Io): void {
  addErrorOptions(addCommonOptions(
    program
      .command('top', { isDefault: true })
      .description('rank allocation sites by growth from <base> to [current] (or rank one profile)')
      .argument('<base>', 'base profile, or the only profile (pprof protobuf, gzipped or raw)')
      .argument('[current]', 'current profile; the report shows current − base')
      .option('--cum', 'sort by cum growth instead of flat growth')
      .option('-n, --nodecount <n>', 'show this many rows, 0 for all', wholeNumber, 10)
      .option('--fail-on <rule>', FAIL_ON_HELP, ruleCollector(false), [])
      .option('--warn-on <rule>', 'like --fail-on, but only warn (repeatable)', ruleCollector(false), [])
      .option('--fail-on-raw <rule>', FAIL_ON_RAW_HELP, ruleCollector(false, true), [])
      .option('--warn-on-raw <rule>', WARN_ON_RAW_HELP, ruleCollector(false, true), [])
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
      .option('--output-pprof <file>', 'also write the diff as a gzipped pprof profile that go tool pprof opens'),
    { formats: ['text', 'json', 'markdown', 'html'] },
  )).action(async (first: string, second: string | undefined, options: TopCliOptions) => {
    if (options.output !== undefined && options.outputPprof !== undefined && resolve(io.cwd, options.output) === resolve(io.cwd, options.outputPprof)) {
      throw new ProfileError('invalid option', '-o and --output-pprof name the same file: one would overwrite the other');
    }
    const { input, sources } = await loadInputs(io, first, second, options);
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
    const text = await render(report, input, sources, options, io);
    if (options.outputPprof !== undefined) {
      const { encodeAsPprof } = await import('../../encode/diff-to-pprof.js');
      await io.writeFileAtomic(options.outputPprof, io.gzip(encodeAsPprof(input)));
    }
    if (options.output !== undefined) await io.writeFileAtomic(options.output, text);
    else io.stdout(text);
    await summarizeThenGate(
      io,
      async () => (await import('../../render/markdown-top.js')).renderTopMarkdown(report, { sources, tableRows: options.nodecount || Infinity }),
      report.gates,
      async (breaches) => (await import('../breach-locations.js')).locateBreaches(breaches, input, sampleOptions(options), io.env['GITHUB_WORKSPACE']),
    );
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
