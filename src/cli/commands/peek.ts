import type { Command } from 'commander';
import { diffProfiles } from '../../analysis/diff.js';
import type { PeekReport } from '../../report/peek.js';
import { wantsColor, type ColourIo, type ReportOut } from '../io.js';
import { loadProfiles, type LoadIo } from '../load.js';
import { ProfileError } from '../../model/errors.js';
import { addCommonOptions, addErrorOptions, sampleOptions, type CommonOptions, type ErrorOptions } from '../options.js';
import { addSideOptions, isSetComparison, resolveSides, type SideOptions, type SidesIo } from '../sides.js';

interface PeekCliOptions extends CommonOptions, SideOptions, ErrorOptions {
  output?: string;
}

export function registerPeek(program: Command, io: LoadIo & SidesIo & ReportOut & ColourIo): void {
  addErrorOptions(addCommonOptions(
    addSideOptions(
      program
        .command('peek')
        .description('show the callers and callees of every function matching <regex>, with the change on each edge, as go tool pprof -peek')
        .argument('<regex>', 'function regex (unanchored; matched against the printable name, which by lines includes file:line)')
        .argument('[profiles...]', 'BASE CURRENT (the report shows current − base), or one profile; each a file, URL, directory or quoted glob'),
    ).option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout'),
    { formats: ['text', 'json', 'markdown', 'html'] },
  )).action(async (regex: string, positional: string[], options: PeekCliOptions) => {
    const sides = await resolveSides(io, 'peek', positional, options);
    const sources = sides.sources;
    let report: PeekReport;
    if (isSetComparison(sides, options.paired)) {
      if (options.sameProcess) throw new ProfileError('invalid option', '--same-process bounds the error of two snapshots of one process; for sets of profiles use --paired');
      // Sides of several profiles: entries and edges are per-profile means, entries tested as top's rows.
      const [{ aggregateSides }, { peekOfSets }] = await Promise.all([import('../load-sets.js'), import('../../report/peek-sets.js')]);
      const aggregation = { granularity: options.granularity, callEdges: true, ...sampleOptions(options), ...(options.paired ? { paired: true } : {}) };
      const set = await aggregateSides(io, { base: sides.base, current: sides.current }, aggregation, options);
      report = peekOfSets(set, regex, { confidence: options.confidence });
    } else {
      const profiles = await loadProfiles(io, [...(sides.base ?? []), ...sides.current], options);
      const input = profiles.length === 2 ? diffProfiles(profiles[0]!, profiles[1]!) : profiles[0]!;
      const { peek } = await import('../../report/peek.js');
      report = peek(input, regex, { granularity: options.granularity, ...sampleOptions(options), confidence: options.confidence, sameProcess: options.sameProcess ?? false });
    }
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
