import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import type { Granularity } from '../analysis/sites.js';
import { parseProfile } from '../decode/parse.js';
import { percentage } from '../format/units.js';
import { parsePprofPeek, type PprofPeekEdge } from '../test-support/pprof-output.js';
import { peek, type PeekEdge, type PeekEntry } from './peek.js';

/**
 * Exact equality with every recorded `go tool pprof -peek` output: the entries and their order,
 * flat, cum and their percentages, and each entry's callers and callees with their change, share
 * of the entry's cum, order and inline marks. Commands come from the COMMANDS.md table recorded
 * beside the outputs.
 */
const DIR = 'testdata/go/tenants';

function recorded(): Array<{ file: string; args: string[] }> {
  const table = readFileSync(join(DIR, 'pprof/COMMANDS.md'), 'utf8');
  return [...table.matchAll(/^\| `(peek_[^`]+\.txt)` \| `TZ=UTC go tool pprof ([^`]+)` \|$/gm)].map((m) => ({
    file: m[1]!,
    // Shell words: single-quoted regexes keep their backslashes and dollars.
    args: [...m[2]!.matchAll(/'([^']*)'|(\S+)/g)].map((w) => w[1] ?? w[2]!),
  }));
}

const load = (name: string) => parseProfile(readFileSync(join(DIR, 'profiles', name)));
const edgeLabel = (e: PeekEdge, granularity: Granularity) => (granularity === 'lines' && e.file !== '' ? `${e.name} ${e.file}:${e.line}` : e.name || e.file);
const entryLabel = (e: PeekEntry, granularity: Granularity) => (granularity === 'lines' && e.file !== '' ? `${e.name} ${e.file}:${e.line}` : e.name || e.file);

describe('peek equals go tool pprof -peek', () => {
  const refs = recorded();

  it('has the recorded outputs: diffs, a recursion, -lines and single profiles', () => {
    expect(refs.length).toBeGreaterThanOrEqual(9);
    expect(refs.some((r) => !r.args.includes('-diff_base'))).toBe(true);
    expect(refs.some((r) => r.args.includes('-lines'))).toBe(true);
  });

  it.each(refs.map((r) => [r.file, r]))('%s', (_, ref) => {
    const flag = (name: string) => ref.args.find((a) => a.startsWith(`-${name}=`))?.split('=')[1];
    const regex = ref.args[ref.args.indexOf('-peek') + 1]!;
    const granularity: Granularity = ref.args.includes('-lines') ? 'lines' : 'functions';
    const positional = ref.args.filter((a) => a.endsWith('.pb.gz'));
    const baseAt = ref.args.indexOf('-diff_base');
    const input = baseAt >= 0 ? diffProfiles(load(ref.args[baseAt + 1]!), load(positional.at(-1)!)) : load(positional[0]!);
    const report = peek(input, regex, { granularity, sampleIndex: flag('sample_index')! });
    const expected = parsePprofPeek(readFileSync(join(DIR, 'pprof', ref.file), 'utf8'));

    expect(report.percentOf).toBe(expected.total);
    expect(report.flatOfAll).toBe(expected.shown);
    const edges = (list: readonly PeekEdge[], cum: number): PprofPeekEdge[] =>
      list.map((e) => ({ name: edgeLabel(e, granularity), value: e.cum, percent: percentage(e.cum, cum), inline: e.inline }));
    let running = 0;
    const actual = report.entries.map((e) => {
      running += e.flat;
      return {
        name: entryLabel(e, granularity),
        flat: e.flat,
        cum: e.cum,
        percents: [percentage(e.flat, report.percentOf), percentage(running, report.percentOf), percentage(e.cum, report.percentOf)],
        callers: edges(e.callers, e.cum),
        callees: edges(e.callees, e.cum),
      };
    });
    expect(actual).toEqual(expected.entries);
  });
});
