import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { diffProfiles, type ProfileOrDiff } from '../analysis/diff.js';
import { GRANULARITIES, type Granularity } from '../analysis/sites.js';
import { DEFAULT_MAX_PROFILE_BYTES } from '../decode/gunzip.js';
import { parseSize } from '../format/size.js';
import { ProfileError } from '../model/errors.js';
import { renderTopJson } from '../render/json-top.js';
import { ANSI, PLAIN } from '../render/style.js';
import { renderTopText, type Sources } from '../render/text-top.js';
import { top } from '../report/top.js';
import { wantsColor, type Io } from './io.js';
import { loadProfile } from './load.js';

/** Exit codes as GNU diff: 0 fine, 1 a growth gate was breached, 2 trouble. */
export const EXIT_OK = 0;
export const EXIT_TROUBLE = 2;

interface CommonOptions {
  sampleIndex?: string;
  granularity: Granularity;
  format: 'text' | 'json';
  maxProfileSize: number;
  focus?: string;
  ignore?: string;
  hide?: string;
  debug?: boolean;
}

interface TopCliOptions extends CommonOptions {
  diffBase?: string;
  cum?: boolean;
  nodecount: number;
}

/**
 * The whole CLI behind one seam: parse argv (without node and the script), run, write through
 * `io`, return the exit code. Never throws and never calls process.exit.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Help and --version end here with code 0; usage errors were already printed by commander.
      return thrown.exitCode === 0 ? EXIT_OK : EXIT_TROUBLE;
    }
    io.stderr(`heapdiff: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
    if (debug && thrown instanceof Error && thrown.stack) io.stderr(`${thrown.stack}\n`);
    return EXIT_TROUBLE;
  }
}

function buildProgram(io: Io): Command {
  const program = new Command('heapdiff')
    .description('Find memory leaks by comparing pprof heap profiles: which allocation site grew, and by how much.')
    .version(VERSION)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // One line: commander puts its "(Did you mean …?)" hint on a line of its own.
      outputError: (s, write) => write(`heapdiff: ${s.replace(/^error: /, '').trimEnd().replace(/\n+/g, ' ')}\n`),
    });

  addCommonOptions(
    program
      .command('top', { isDefault: true })
      .description('rank allocation sites by growth from <base> to [current] (or rank one profile)')
      .argument('<base>', 'base profile, or the only profile (pprof protobuf, gzipped or raw)')
      .argument('[current]', 'current profile; the report shows current − base')
      .option('--diff-base <file>', 'base profile, as in go tool pprof (then <base> is the current profile)')
      .option('--cum', 'sort by cum growth instead of flat growth')
      .option('-n, --nodecount <n>', 'show this many rows, 0 for all', wholeNumber, 10),
  ).action(async (first: string, second: string | undefined, options: TopCliOptions) => {
    const { input, sources } = await loadInputs(io, first, second, options);
    const report = top(input, {
      granularity: options.granularity,
      sort: options.cum ? 'cum' : 'flat',
      nodeCount: options.nodecount,
      ...sampleOptions(options),
    });
    io.stdout(
      options.format === 'json'
        ? renderTopJson(report, sources)
        : renderTopText(report, { sources, style: wantsColor(io) ? ANSI : PLAIN }),
    );
  });
  return program;
}

const VERSION = '0.1.0';

function addCommonOptions(command: Command): Command {
  return command
    .addOption(new Option('-i, --sample-index <type>', 'sample type by name or index (default: the profile default, else the last type, i.e. inuse_space for Go heap profiles)'))
    .addOption(new Option('-g, --granularity <level>', 'group by').choices(GRANULARITIES).default('functions'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--focus <regex>', 'keep only samples with a frame whose function or file matches')
    .option('--ignore <regex>', 'drop samples with a frame whose function or file matches')
    .option('--hide <regex>', 'remove matching frames from stacks')
    .option('--max-profile-size <size>', 'refuse profiles that inflate beyond this (e.g. 512MB, 2GB)', sizeOption, DEFAULT_MAX_PROFILE_BYTES)
    .option('--debug', 'print stack traces for internal errors');
}

function sampleOptions(options: CommonOptions) {
  return {
    ...(options.sampleIndex !== undefined ? { sampleIndex: options.sampleIndex } : {}),
    ...(options.focus !== undefined ? { focus: options.focus } : {}),
    ...(options.ignore !== undefined ? { ignore: options.ignore } : {}),
    ...(options.hide !== undefined ? { hide: options.hide } : {}),
  };
}

/** `top A B`, `top A` and `top --diff-base A B` as pprof users write them. */
async function loadInputs(
  io: Io,
  first: string,
  second: string | undefined,
  options: { diffBase?: string; maxProfileSize: number },
): Promise<{ input: ProfileOrDiff; sources: Sources }> {
  if (options.diffBase !== undefined && second !== undefined) {
    throw new ProfileError('invalid option', 'give either --diff-base BASE CURRENT or BASE CURRENT, not both');
  }
  const basePath = options.diffBase ?? (second !== undefined ? first : undefined);
  const currentPath = second ?? first;
  if (basePath === undefined) {
    return { input: await loadProfile(io, currentPath, options.maxProfileSize), sources: { current: currentPath } };
  }
  const [base, current] = await Promise.all([
    loadProfile(io, basePath, options.maxProfileSize),
    loadProfile(io, currentPath, options.maxProfileSize),
  ]);
  return { input: diffProfiles(base, current), sources: { base: basePath, current: currentPath } };
}

function wholeNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a whole number (0 for all)');
  return Number(text);
}

function sizeOption(text: string): number {
  try {
    return parseSize(text);
  } catch (thrown) {
    throw new InvalidArgumentError((thrown as Error).message);
  }
}
