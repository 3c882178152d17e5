import type { Command } from 'commander';
import { ProfileError } from '../model/errors.js';
import type { Files } from './io.js';

/**
 * go tool pprof's flags (Go's flag package: `-name`, `--name`, `-name=value`) that mean exactly one
 * heapdiff option, so they are accepted as written.
 */
const PPROF_FLAGS: Readonly<Record<string, string>> = {
  diff_base: '--diff-base',
  sample_index: '--sample-index',
  nodecount: '--nodecount',
  focus: '--focus',
  ignore: '--ignore',
  hide: '--hide',
  cum: '--cum',
  output: '--output',
  source_path: '--source-path',
  trim_path: '--trim-path',
  lines: '--granularity=lines',
  functions: '--granularity=functions',
  files: '--granularity=files',
  inuse_space: '--sample-index=inuse_space',
  inuse_objects: '--sample-index=inuse_objects',
  alloc_space: '--sample-index=alloc_space',
  alloc_objects: '--sample-index=alloc_objects',
};

const HTML_INSTEAD = 'heapdiff draws no graph viewer; --format html -o report.html writes one self-contained page';

/** pprof flags with no one-to-one heapdiff option: the answer names heapdiff's way in one line. */
const PPROF_HINTS: Readonly<Record<string, string>> = {
  base: "pprof's -base is heapdiff's BASE CURRENT order (or --diff-base BASE CURRENT)",
  list: 'list is a command in heapdiff: heapdiff list REGEX BASE [CURRENT]',
  peek: 'heapdiff has no -peek flag; top ranks sites and list shows their lines',
  http: HTML_INSTEAD,
  web: HTML_INSTEAD,
  svg: HTML_INSTEAD,
  png: HTML_INSTEAD,
  pdf: HTML_INSTEAD,
  dot: HTML_INSTEAD,
  text: 'heapdiff prints text by default (-f json or markdown for machines and pull requests)',
  nodefraction: 'heapdiff leaves out only sites whose change is zero; -n/--nodecount limits the rows',
  edgefraction: 'heapdiff leaves out only sites whose change is zero; -n/--nodecount limits the rows',
  seconds: 'for snapshots over time: heapdiff capture URL --count N --every 30s --out DIR',
};

const PPROF_TOKEN = /^--?([a-z][a-z_]*)(=.*)?$/;

/**
 * The argument list as commander should see it: pprof's spellings rewritten to heapdiff's, or a
 * ProfileError that says heapdiff's spelling. Values of options that take one are left alone
 * (`--focus -cum` keeps its regex), and so is everything after `--`.
 */
export function translatePprofFlags(argv: readonly string[], takesValue: (flag: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const match = PPROF_TOKEN.exec(token);
    const name = match?.[1];
    // A single dash with one letter is commander's own short option; `--name` is ours unless pprof's.
    if (match && name !== undefined && (token.startsWith('--') ? name.includes('_') || !takesValue(`--${name}`) : name.length > 1)) {
      const renamed = PPROF_FLAGS[name];
      if (renamed !== undefined) {
        out.push(renamed + (match[2] ?? ''));
        if (match[2] === undefined && takesValue(renamed) && i + 1 < argv.length) out.push(argv[++i]!);
        continue;
      }
      if (name === 'top') continue; // pprof's report mode; top is heapdiff's default command
      const hint = PPROF_HINTS[name];
      if (hint !== undefined) throw new ProfileError('invalid option', `${token} is go tool pprof's; ${hint}`);
    }
    out.push(token);
    if (!token.includes('=') && takesValue(token) && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}

/** Whether a flag (`-n`, `--nodecount`) takes a value in any of the program's commands. */
export function valueFlags(program: Command): (flag: string) => boolean {
  const flags = new Set<string>();
  for (const command of [program, ...program.commands]) {
    for (const option of command.options) {
      if (!option.required && !option.optional) continue;
      if (option.long) flags.add(option.long);
      if (option.short) flags.add(option.short);
    }
  }
  return (flag) => flags.has(flag);
}

/**
 * A first argument that is neither a command, an option nor a file is a mistyped command
 * (`heapdiff tpo a b`), not the base profile of the default command: name it, with the nearest.
 */
export async function checkCommandName(argv: readonly string[], program: Command, io: Pick<Files, 'listDir' | 'cwd'>): Promise<void> {
  const first = argv[0];
  if (first === undefined || !/^[a-z][a-z_-]*$/i.test(first)) return;
  const names = [...program.commands.flatMap((c) => [c.name(), ...c.aliases()]), 'help'];
  if (names.includes(first)) return;
  try {
    if ((await io.listDir(io.cwd)).includes(first)) return;
  } catch {
    return; // cannot tell: let the default command say what it finds
  }
  const nearest = names
    .map((name) => ({ name, distance: editDistance(first.toLowerCase(), name) }))
    .filter(({ distance }) => distance <= Math.max(1, Math.floor(first.length / 2)))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))[0];
  const commands = program.commands.map((c) => c.name()).join(', ');
  const suggestion = nearest ? `did you mean 'heapdiff ${nearest.name}'? ` : '';
  throw new ProfileError('invalid arguments', `'${first}' is neither a command nor a file; ${suggestion}(commands: ${commands}; heapdiff --help)`);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
