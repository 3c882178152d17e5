import type { Command } from 'commander';
import { wantsColor, type ColourIo, type ReportOut } from '../io.js';
import { loadInputs, type LoadIo } from '../load.js';
import { addCommonOptions, sampleOptions, type CommonOptions } from '../options.js';

interface PeekCliOptions extends CommonOptions {
  output?: string;
}

export function registerPeek(program: Command, io: LoadIo & ReportOut & ColourIo): void {
  addCommonOptions(
    program
      .command('peek')
      .description('show the callers and callees of every function matching <regex>, with the change on each edge, as go tool pprof -peek')
      .argument('<regex>', 'function regex (unanchored; matched against the printable name, which by lines includes file:line)')
      .argument('<base>', 'base profile, or the only profile (pprof protobuf, gzipped or raw)')
      .argument('[current]', 'current profile; the report shows current − base')
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout'),
    { formats: ['text', 'json', 'markdown', 'html'] },
  ).action(async (regex: string, first: string, second: string | undefined, options: PeekCliOptions) => {
    const { input, sources } = await loadInputs(io, first, second, options);
    const { peek } = await import('../../report/peek.js');
    const report = peek(input, regex, { granularity: options.granularity, ...sampleOptions(options) });
    let text: string;
    if (options.format === 'json') text = (await import('../../render/json-peek.js')).renderPeekJson(report, sources);
    else if (options.format === 'markdown') text = (await import('../../render/markdown-peek.js')).renderPeekMarkdown(report, { sources });
    else if (options.format === 'html') text = (await import('../../render/html/peek.js')).renderPeekHtml(report, { sources });
    else {
      const [{ renderPeekText }, { ANSI, PLAIN }] = await Promise.all([import('../../render/text-peek.js'), import('../../render/style.js')]);
      text = renderPeekText(report, { sources, style: wantsColor(io) && options.output === undefined ? ANSI : PLAIN });
    }
    if (options.output !== undefined) await io.writeFileAtomic(options.output, text);
    else io.stdout(text);
  });
}
