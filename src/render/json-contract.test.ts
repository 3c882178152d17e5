import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

/**
 * The JSON contract in docs/json.md, checked against real output both ways: every field printed
 * is documented with its type, and every documented field is printed by some run.
 */
const go = (n: string) => `testdata/go/leakysvc/profiles/heap-${n}.pb.gz`;
const runs: Record<string, string[][]> = {
  top: [
    ['top', '-f', 'json', '-n', '3', '-g', 'lines', '--fail-on', 'site>1MB', '--warn-on', 'total>1kB', '--warn-on', 'site>2MB', go('01'), go('08')],
    ['top', '-f', 'json', '--focus', 'main', '--ignore', 'zzz', '--hide', 'runtime', go('08')],
  ],
  list: [
    ['list', '-f', 'json', 'dedupeCache', '--source-path', 'testdata/go', go('01'), go('08')],
    ['list', '-f', 'json', 'buildTree', '--focus', 'main', '--ignore', 'zzz', '--hide', 'runtime', go('08')],
  ],
};

type Contract = Map<string, Set<string>>;

/** The field tables of docs/json.md: a section per command plus one for every command. */
function documented(): Record<string, Contract> {
  const sections: Record<string, Contract> = {};
  let current: Contract | undefined;
  for (const line of readFileSync('docs/json.md', 'utf8').split('\n')) {
    const heading = /^## (?:`(\w+)`|Every command)/.exec(line);
    if (heading) sections[heading[1] ?? '*'] = current = new Map();
    const row = /^\| `([^`]+)` \| ([a-z|\\]+) \|/.exec(line);
    if (row && current) current.set(row[1]!, new Set(row[2]!.replace(/\\/g, '').split('|')));
  }
  return sections;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Every path in a document with the types seen there (`rows[]` for array elements). */
function shape(value: unknown, path = '', into: Contract = new Map()): Contract {
  if (path !== '') {
    if (!into.has(path)) into.set(path, new Set());
    into.get(path)!.add(typeOf(value));
  }
  if (Array.isArray(value)) for (const item of value) shape(item, `${path}[]`, into);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) shape(child, path ? `${path}.${key}` : key, into);
  }
  return into;
}

describe.each(Object.keys(runs))('the JSON of %s', (command) => {
  it('matches docs/json.md', async () => {
    const docs = documented();
    const contract = new Map([...docs['*']!, ...docs[command]!]);
    const seen: Contract = new Map();
    for (const argv of runs[command]!) {
      const result = await runCli(argv);
      expect([0, 1]).toContain(result.code);
      for (const [path, types] of shape(JSON.parse(result.stdout))) {
        seen.set(path, new Set([...(seen.get(path) ?? []), ...types]));
      }
    }
    const undocumented = [...seen.keys()].filter((p) => !contract.has(p));
    expect(undocumented, 'fields printed but not documented').toEqual([]);
    const missing = [...contract.keys()].filter((p) => !seen.has(p));
    expect(missing, 'documented fields never printed').toEqual([]);
    for (const [path, types] of seen) {
      expect([...types].filter((t) => !contract.get(path)!.has(t)), `types of ${path}`).toEqual([]);
    }
  });
});
