import type { Command } from 'commander';

/** One example: the command line as a user types it, and what it is for. */
export interface Example {
  readonly line: string;
  readonly why: string;
}

/**
 * Two or three real invocations per command, ending its --help. A test runs every one of them on
 * the bundled profiles (copied to heap-01.pb.gz … heap-08.pb.gz, snapshots/, base/current), so
 * they stay true; a new command adds its own here.
 */
export const EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  heapdiff: [
    { line: 'heapdiff heap-01.pb.gz heap-08.pb.gz', why: 'what grew between two snapshots (top is the default command)' },
    { line: "heapdiff trend 'snapshots/heap-*.pb.gz'", why: 'leak, plateau or sawtooth, per site, over a series' },
    { line: 'heapdiff capture http://localhost:6060/debug/pprof/heap --count 10 --every 30s --out snapshots', why: 'take that series from a live Go service' },
  ],
  top: [
    { line: 'heapdiff top heap-01.pb.gz heap-08.pb.gz', why: 'largest growth first, by function' },
    { line: 'heapdiff top -i alloc_space -g lines -n 20 heap-01.pb.gz heap-08.pb.gz', why: 'allocation volume, line by line, 20 rows' },
    { line: "heapdiff top base.pb.gz current.pb.gz --fail-on 'site>5MB' -f markdown -o heapdiff.md", why: 'a CI gate (exit 1) and a pull-request comment' },
  ],
  list: [
    { line: 'heapdiff list dedupeCache heap-01.pb.gz heap-08.pb.gz', why: 'the source lines behind a function, sources under the current directory' },
    { line: "heapdiff list 'main\\.' --source-path src --trim-path example.com/leakysvc/ heap-01.pb.gz heap-08.pb.gz", why: 'sources elsewhere, build paths trimmed' },
  ],
  peek: [
    { line: "heapdiff peek 'main\\.newSlot$' heap-01.pb.gz heap-08.pb.gz", why: 'who calls a helper, and how much each caller grew' },
    { line: 'heapdiff peek -g lines -f json remember heap-01.pb.gz heap-08.pb.gz', why: 'callers and callees line by line, as JSON' },
  ],
  trend: [
    { line: "heapdiff trend 'snapshots/heap-*.pb.gz'", why: 'a verdict per site, leaks first' },
    { line: "heapdiff trend --limit 512MB -f html -o trend.html 'snapshots/heap-*.pb.gz'", why: 'charts, and when the heap reaches the limit' },
    { line: "heapdiff trend --fail-on 'leaks>0' 'snapshots/heap-*.pb.gz'", why: 'fail a soak test that leaks' },
  ],
  capture: [
    { line: 'heapdiff capture http://localhost:6060/debug/pprof/heap --count 10 --every 30s --out snapshots', why: 'ten snapshots, then heapdiff trend them' },
    { line: 'heapdiff capture localhost:6060/debug/pprof/heap --every 1m --out snapshots', why: 'until Ctrl-C, then print the trend' },
  ],
  ingest: [
    { line: "heapdiff ingest --store http://localhost:8123/heapdiff --label service=api 'snapshots/heap-*.pb.gz'", why: 'profiles into ClickHouse, labelled, for store: sides' },
    { line: 'heapdiff ingest --store http://localhost:8123/heapdiff --cluster fleet heap-01.pb.gz heap-08.pb.gz', why: 'tables on every shard of a cluster, a Distributed table over them' },
  ],
};

export function examplesText(examples: readonly Example[]): string {
  return `\nExamples:\n${examples.map((e) => `  # ${e.why}\n  ${e.line}\n`).join('')}`;
}

/** Appends the examples to the program's and each command's --help. */
export function addHelpExamples(program: Command): void {
  const more = '\nRun heapdiff <command> --help for its options and examples. Exit: 0 fine, 1 a growth gate was breached, 2 trouble.\n';
  program.addHelpText('after', examplesText(EXAMPLES['heapdiff'] ?? []) + more);
  for (const command of program.commands) {
    const examples = EXAMPLES[command.name()];
    if (examples) command.addHelpText('after', examplesText(examples));
  }
}

/** The program's usage, with every command and the examples, as `heapdiff --help` prints it. */
export function usage(program: Command): string {
  let text = '';
  program.configureOutput({ ...program.configureOutput(), writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  program.outputHelp();
  return text;
}
