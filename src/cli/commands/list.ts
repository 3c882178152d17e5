import { isAbsolute, relative } from 'node:path';
import type { Command } from 'commander';
import { diffProfiles } from '../../analysis/diff.js';
import type { ListReport } from '../../report/list.js';
import { ProfileError } from '../../model/errors.js';
import { wantsColor, type ColourIo, type Files, type ReportOut } from '../io.js';
import { loadProfiles, type LoadIo } from '../load.js';
import { addCommonOptions, addErrorOptions, sampleOptions, type CommonOptions, type ErrorOptions } from '../options.js';
import { addSideOptions, isSetComparison, resolveSides, type SideOptions, type SidesIo } from '../sides.js';

interface ListCliOptions extends Omit<CommonOptions, 'granularity'>, SideOptions, ErrorOptions {
  sourcePath?: string[];
  trimPath?: string[];
  output?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerList(program: Command, io: LoadIo & SidesIo & ReportOut & ColourIo & Pick<Files, 'cwd'>): void {
  addErrorOptions(addCommonOptions(
    addSideOptions(
      program
        .command('list')
        .description('show the source lines behind the growth of every function matching <regex>, as go tool pprof -list')
        .argument('<regex>', 'function name regex (unanchored; matched against the function name only)')
        .argument('[profiles...]', 'BASE CURRENT (the report shows current − base), or one profile; each a file, URL, directory or quoted glob'),
    )
      .option('--source-path <dir>', 'also look for source files under this directory (repeatable)', collect)
      .option('--trim-path <prefix>', 'strip this prefix from file names in the profile before looking (repeatable)', collect)
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout'),
    { granularity: false, formats: ['text', 'json', 'html'] },
  )).action(async (regex: string, positional: string[], options: ListCliOptions) => {
    const sides = await resolveSides(io, 'list', positional, options);
    const sources = sides.sources;
    const [{ createSourceReader }, { findGoRoot }] = await Promise.all([import('../source-reader.js'), import('../go-root.js')]);
    const lookup = createSourceReader({
      cwd: io.cwd,
      sourcePaths: options.sourcePath ?? [],
      trimPaths: options.trimPath ?? [],
      goRoot: () => findGoRoot(io.env),
    });
    let report: ListReport;
    if (isSetComparison(sides, options.paired)) {
      // Sides of several profiles: each line is a per-profile mean, with n, spread and a verdict.
      if (options.sameProcess) throw new ProfileError('invalid option', '--same-process bounds the error of two snapshots of one process; for sets of profiles use --paired');
      const [{ aggregateSides }, { listOfSets }] = await Promise.all([import('../load-sets.js'), import('../../report/list-sets.js')]);
      const aggregation = { granularity: 'lines' as const, ...sampleOptions(options), ...(options.paired ? { paired: true } : {}) };
      const set = await aggregateSides(io, { base: sides.base, current: sides.current }, aggregation, options);
      report = listOfSets(set, regex, { readSource: lookup.read, confidence: options.confidence });
    } else {
      const profiles = await loadProfiles(io, [...(sides.base ?? []), ...sides.current], options);
      const input = profiles.length === 2 ? diffProfiles(profiles[0]!, profiles[1]!) : profiles[0]!;
      const { list } = await import('../../report/list.js');
      report = list(input, regex, {
        ...sampleOptions(options),
        readSource: lookup.read,
        confidence: options.confidence,
        sameProcess: options.sameProcess ?? false,
      });
    }
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
