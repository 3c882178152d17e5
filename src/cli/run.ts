import { Command, CommanderError } from 'commander';
import { registerCapture } from './commands/capture.js';
import { registerIngest } from './commands/ingest.js';
import { registerList } from './commands/list.js';
import { registerPeek } from './commands/peek.js';
import { registerTop } from './commands/top.js';
import { inFlagTerms } from './flag-names.js';
import { EXIT_BREACHED, GateBreached } from './gates-output.js';
import { registerTrend } from './commands/trend.js';
import { escapeTerminal } from '../format/escape-terminal.js';
import { withoutWorkflowCommands } from './github.js';
import { checkCommandName, translatePprofFlags, valueFlags } from './argv.js';
import { addHelpExamples, usage } from './help-examples.js';
import type { Io } from './io.js';
import { note } from './note.js';
import { packageVersion } from './version.js';

/** Exit codes as GNU diff: 0 fine, 1 a growth gate was breached (EXIT_BREACHED), 2 trouble. */
export const EXIT_OK = 0;
export const EXIT_TROUBLE = 2;

/**
 * The whole CLI behind one seam: parse argv (without node and the script), run, write through
 * `io`, return the exit code. Never throws and never calls process.exit.
 */
export async function run(argv: readonly string[], unguarded: Io): Promise<number> {
  const debug = argv.includes('--debug');
  // Whatever a profile holds, nothing written below can become a workflow command in a CI log.
  const io = withoutWorkflowCommands(unguarded);
  try {
    const program = buildProgram(io, commandToRun(argv));
    if (argv.length === 0) {
      // As `go` does: the usage, with every command, on stderr and exit 2 (an empty $VAR in a script is not a success).
      io.stderr(usage(program));
      return EXIT_TROUBLE;
    }
    await checkCommandName(argv, program, io);
    await program.parseAsync(translatePprofFlags(argv, valueFlags(program)), { from: 'user' });
    return EXIT_OK;
  } catch (thrown) {
    if (thrown instanceof GateBreached) return EXIT_BREACHED;
    if (thrown instanceof CommanderError) {
      // Help and --version end here with code 0; usage errors were already printed by commander.
      return thrown.exitCode === 0 ? EXIT_OK : EXIT_TROUBLE;
    }
    note(io, inFlagTerms(thrown instanceof Error ? thrown.message : String(thrown)));
    if (debug && thrown instanceof Error && thrown.stack) io.stderr(`${thrown.stack}\n`);
    return EXIT_TROUBLE;
  }
}

/** Each command's registration, in the order help lists them. */
const COMMANDS: ReadonlyArray<readonly [string, (program: Command, io: Io) => void]> = [
  ['top', registerTop],
  ['list', registerList],
  ['peek', registerPeek],
  ['trend', registerTrend],
  ['capture', registerCapture],
  ['ingest', registerIngest],
];

/** Help and the version are the program's, and list every command. */
const NEEDS_ALL = new Set(['help', '--help', '--version']);
/** A word that checkCommandName (argv.ts) may take for a mistyped command, and suggest one for. */
const COMMAND_WORD = /^[a-z][a-z_-]*$/i;

/**
 * The one command a run needs registered, or undefined for all of them: registering all six
 * commands' options, and reading package.json for --version, is ~1-2 ms of the main thread's CPU
 * (the small real pair: 85.9 -> 84.7 ms, medians of 41 runs). argv[0] names the command, or is a
 * profile for the default one (top). No arguments, help, --version, a short flag that may hold -h or -V, a
 * leading flag, or a word that may be a mistyped command: all of them.
 */
export function commandToRun(argv: readonly string[]): string | undefined {
  if (argv.some((arg) => NEEDS_ALL.has(arg) || /^-[^-]*[hV]/.test(arg))) return undefined;
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  if (COMMANDS.some(([name]) => name === first)) return first;
  return COMMAND_WORD.test(first) ? undefined : 'top';
}

function buildProgram(io: Io, only: string | undefined): Command {
  const program = new Command('heapdiff')
    .description('Find memory leaks by comparing pprof heap profiles: which allocation site grew, and by how much.')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // One line: commander puts its "(Did you mean …?)" hint on a line of its own.
      outputError: (s, write) => write(`heapdiff: ${escapeTerminal(s.replace(/^error: /, '').trimEnd().replace(/\n+/g, ' '))}\n`),
    });
  // Read from package.json: only a run that may print it (below, all commands) asks.
  if (only === undefined) program.version(packageVersion());
  // Each command registers its flags here and imports its report code only when it runs.
  for (const [name, register] of COMMANDS) if (only === undefined || name === only) register(program, io);
  addHelpExamples(program);
  program.hook('preAction', async (_, command) => {
    if (REGEX_COMMANDS.has(command.name()) || FILTERS.some((name) => command.getOptionValue(name) !== undefined)) await io.linearRegex?.();
  });
  return program;
}

/** Commands whose first argument is a regex, and the options that take one. */
const REGEX_COMMANDS = new Set(['list', 'peek']);
const FILTERS = ['focus', 'ignore', 'hide'];
