import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { wantsColor, type ColourIo, type Files, type ReportOut } from '../io.js';
import { loadInputs, type LoadIo } from '../load.js';
import { addCommonOptions, addErrorOptions, sampleOptions, type CommonOptions, type ErrorOptions } from '../options.js';

interface ListCliOptions extends Omit<CommonOptions, 'granularity'>, ErrorOptions {
  sourcePath?: string[];
  trimPath?: string[];
  output?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerList(program: Command, io: LoadIo & ReportOut & ColourIo & Pick<Files, 'cwd'>): void {
  addErrorOptions(addCommonOptions(
    program
      .command('list')
      .description('show the source lines behind the growth of every function matching <regex>, as go tool pprof -list')
      .argument('<regex>', 'function name regex (unanchored; matched against the function name only)')
      .argument('<base>', 'base profile, or the only profile (pprof protobuf, gzipped or raw)')
      .argument('[current]', 'current profile; the report shows current − base')
      .option('--source-path <dir>', 'also look for source files under this directory (repeatable)', collect)
      .option('--trim-path <prefix>', 'strip this prefix from file names in the profile before looking (repeatable)', collect)
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout'),
    { granularity: false, formats: ['text', 'json', 'html'] },
  )).action(async (regex: string, first: string, second: string | undefined, options: ListCliOptions) => {
    const { input, sources } = await loadInputs(io, first, second, options);
    const [{ list }, { createSourceReader }, { findGoRoot }] = await Promise.all([
      import('../../report/list.js'),
      import('../source-reader.js'),
      import('../go-root.js'),
    ]);
    const lookup = createSourceReader({
      cwd: io.cwd,
      sourcePaths: options.sourcePath ?? [],
      trimPaths: options.trimPath ?? [],
      goRoot: () => findGoRoot(io.env),
    });
    const report = list(input, regex, {
      ...sampleOptions(options),
      readSource: lookup.read,
      confidence: options.confidence,
      sameProcess: options.sameProcess ?? false,
    });
    // Roots under the working directory read best (and the same on every machine) as relative paths.
    const shown = (root: string) => {
      const rel = relative(io.cwd, root);
      return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? root : rel;
    };
    const searchedRoots = (file: string) => lookup.searchedRoots(file).map(shown);
    const missingSourceHint = '--source-path DIR adds a directory to look under (repeatable); --trim-path PREFIX strips a build prefix first.';
    let text: string;
    if (options.format === 'json') {
      const { renderListJson } = await import('../../render/json-list.js');
      text = renderListJson(report, sources);
    } else if (options.format === 'html') {
      const { renderListHtml } = await import('../../render/html/list.js');
      text = renderListHtml(report, { sources, searchedRoots, missingSourceHint });
    } else {
      const [{ renderListText }, { ANSI, PLAIN }] = await Promise.all([import('../../render/text-list.js'), import('../../render/style.js')]);
      text = renderListText(report, { sources, style: wantsColor(io) && options.output === undefined ? ANSI : PLAIN, searchedRoots, missingSourceHint });
    }
    if (options.output !== undefined) await io.writeFileAtomic(options.output, text);
    else io.stdout(text);
  });
}
