import type { Command } from 'commander';
import { wantsColor, type Io } from '../io.js';
import { loadInputs } from '../load.js';
import { addCommonOptions, sampleOptions, wholeNumber, type CommonOptions } from '../options.js';

interface TopCliOptions extends CommonOptions {
  cum?: boolean;
  nodecount: number;
}

export function registerTop(program: Command, io: Io): void {
  addCommonOptions(
    program
      .command('top', { isDefault: true })
      .description('rank allocation sites by growth from <base> to [current] (or rank one profile)')
      .argument('<base>', 'base profile, or the only profile (pprof protobuf, gzipped or raw)')
      .argument('[current]', 'current profile; the report shows current − base')
      .option('--cum', 'sort by cum growth instead of flat growth')
      .option('-n, --nodecount <n>', 'show this many rows, 0 for all', wholeNumber, 10),
  ).action(async (first: string, second: string | undefined, options: TopCliOptions) => {
    const { input, sources } = await loadInputs(io, first, second, options);
    const { top } = await import('../../report/top.js');
    const report = top(input, {
      granularity: options.granularity,
      sort: options.cum ? 'cum' : 'flat',
      nodeCount: options.nodecount,
      ...sampleOptions(options),
    });
    if (options.format === 'json') {
      const { renderTopJson } = await import('../../render/json-top.js');
      io.stdout(renderTopJson(report, sources));
    } else {
      const [{ renderTopText }, { ANSI, PLAIN }] = await Promise.all([import('../../render/text-top.js'), import('../../render/style.js')]);
      io.stdout(renderTopText(report, { sources, style: wantsColor(io) ? ANSI : PLAIN }));
    }
  });
}
