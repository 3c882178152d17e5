import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import type { Granularity } from '../analysis/sites.js';
import { parseProfile } from '../decode/parse.js';
import { parsePprofTop } from '../test-support/pprof-output.js';
import { top, type TopRow } from './top.js';

/**
 * Exact equality with `go tool pprof -top -nodefraction=0` on real Go and Node heap profiles (values
 * and the `(inline)` / `(partial-inline)` marks), and
 * on Go's CPU, goroutine and deep-recursion profiles.
 * Each reference output's command comes from the COMMANDS.md table recorded beside it, so the
 * test runs every exact-number `-top` that was captured, and no more.
 */
interface Reference {
  readonly file: string;
  readonly dir: string;
  readonly args: string[];
}

/** (file, command) pairs from a Markdown table (Go data) or a shell block with `> pprof/x.txt` (Node data). */
function recordedCommands(text: string): Array<[string, string]> {
  const table = [...text.matchAll(/^\| `([^`]+\.txt)` \| `([^`]+)` \|$/gm)].map((m) => [m[1]!, m[2]!] as [string, string]);
  const shell = [...text.matchAll(/^(TZ=UTC go tool pprof .*?) > pprof\/(\S+\.txt)$/gm)].map((m) => [m[2]!, m[1]!] as [string, string]);
  return [...table, ...shell];
}

function references(dir: string, commandsFile: string): Reference[] {
  const out: Reference[] = [];
  for (const [file, command] of recordedCommands(readFileSync(join(dir, commandsFile), 'utf8'))) {
    const args = command.split(/\s+/);
    const exactNumbers = args.includes('-unit=B') || args.includes('-unit=ns') || !/space|cpu/.test(command);
    const supported = args.includes('-top') && args.includes('-nodefraction=0') && !args.includes('-noinlines');
    const protobufOnly = args.filter((a) => /\.(txt|pb\.gz)$/.test(a)).every((a) => a.endsWith('.pb.gz'));
    if (exactNumbers && supported && protobufOnly) out.push({ file, dir, args });
  }
  return out;
}

const nodeDir = 'testdata/node';
const label = (r: TopRow) => (r.line > 0 ? `${r.name} ${r.file}:${r.line}` : r.name || r.file);
const profilesOf = (dir: string) => (dir === nodeDir ? dir : join(dir, 'profiles'));

describe.each([
  ['testdata/go/leakysvc', 'pprof/COMMANDS.md', 15],
  ['testdata/go/shapes', 'pprof/COMMANDS.md', 3],
  ['testdata/go/tenants', 'pprof/COMMANDS.md', 9],
  [nodeDir, 'README.md', 8],
])('top equals go tool pprof on %s', (dir, commandsFile, atLeast) => {
  const refs = references(dir, commandsFile);

  it('has reference outputs to compare with', () => {
    expect(refs.length).toBeGreaterThanOrEqual(atLeast);
  });

  it.each(refs.map((r) => [r.file, r]))('%s', (_, ref) => {
    const flag = (name: string) => ref.args.find((a) => a.startsWith(`-${name}=`))?.split('=')[1];
    const granularity: Granularity = ref.args.includes('-lines') ? 'lines' : ref.args.includes('-files') ? 'files' : 'functions';
    const load = (name: string) => parseProfile(readFileSync(join(profilesOf(ref.dir), name)));
    const positional = ref.args.filter((a) => a.endsWith('.pb.gz'));
    const baseIndex = ref.args.indexOf('-diff_base');
    const input =
      baseIndex >= 0 ? diffProfiles(load(ref.args[baseIndex + 1]!), load(positional.at(-1)!)) : load(positional[0]!);
    const sampleIndex = flag('sample_index');
    const report = top(input, { granularity, nodeCount: 0, ...(sampleIndex ? { sampleIndex } : {}) });

    const expected = parsePprofTop(readFileSync(join(ref.dir, 'pprof', ref.file), 'utf8'));
    const actual = Object.fromEntries(
      report.rows.map((r) => [label(r), [r.flat, r.cum]]),
    );
    expect(actual).toEqual(expected.rows);
    // The (inline) and (partial-inline) marks, on exactly the rows pprof marks.
    const marks = Object.fromEntries(
      report.rows.flatMap((r) => (r.inline ? [[label(r), 'inline']] : r.partialInline ? [[label(r), 'partial-inline']] : [])),
    );
    expect(marks).toEqual(expected.marks);
    expect(report.percentOf).toBe(expected.total);
    expect(report.rows.reduce((sum, r) => sum + r.flat, 0)).toBe(expected.shown);
  });
});
