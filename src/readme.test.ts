import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { runCli, runCliIn } from './test-support/fake-io.js';
import { shellWords } from './test-support/shell-words.js';

/** The README's examples, run as written: a first-time user copies them before anything else. */
const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const PROFILES = 'testdata/go/leakysvc/profiles';

interface Block {
  readonly lang: string;
  readonly body: string;
}
const blocks: Block[] = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));

/** A shell in a fresh directory with the repository's testdata, snapshots beside it and a base/current pair. */
function exampleDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-readme-'));
  symlinkSync(join(root, 'testdata'), join(dir, 'testdata'));
  for (const name of readdirSync(join(root, PROFILES)).filter((n) => /^heap-0\d\.pb\.gz$/.test(n))) copyFileSync(join(root, PROFILES, name), join(dir, name));
  copyFileSync(join(root, PROFILES, 'heap-01.pb.gz'), join(dir, 'base.pb.gz'));
  copyFileSync(join(root, PROFILES, 'heap-08.pb.gz'), join(dir, 'current.pb.gz'));
  return dir;
}

/** No live service in a test: a URL gets a 404, and the example must get as far as asking. */
const noService = { fetch: async () => new Response('', { status: 404, statusText: 'Not Found' }) };

/** `npx heapdiff …` → heapdiff's argv. */
const argvOf = (command: string): string[] => shellWords(command.slice(command.indexOf('npx heapdiff ') + 'npx heapdiff '.length));

describe('README', () => {
  it('the set-up command prints the report shown under it', async () => {
    const setup = blocks.find((b) => b.lang === 'sh' && b.body.startsWith('npm ci && npx heapdiff '))!;
    const shown = blocks[blocks.indexOf(setup) + 1]!;
    const result = await runCli(argvOf(setup.body.split('\n')[0]!));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(shown.body);
  });

  const transcripts = blocks.filter((b) => b.body.startsWith('$ npx heapdiff '));
  it.each(transcripts.map((b) => [b.body.split('\n')[0]!, b] as const))('%s prints what the README shows', async (_, block) => {
    const [command, ...output] = block.body.split('\n');
    const result = await runCli(argvOf(command!));
    expect(result.code).toBe(0);
    // Notes go to stderr first, as a terminal shows them; a transcript may stop before the end.
    expect(result.stderr + result.stdout).toContain(output.join('\n'));
    expect((result.stderr + result.stdout).startsWith(output.join('\n'))).toBe(true);
  });

  const commands = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.body.split('\n'))
    .filter((line) => line.startsWith('npx heapdiff '));
  it.each(commands)('runs as written: %s', async (line) => {
    const dir = exampleDir();
    const result = await runCliIn(dir, argvOf(line), noService);
    if (line.includes('http://')) {
      expect(result.stderr).toMatch(/^heapdiff: reading profile: http:\/\/.*HTTP 404 Not Found/);
      return;
    }
    expect([0, 1]).toContain(result.code);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('heapdiff: ') && !/^heapdiff: (gate breached|warning): (site|total|leaks)[<>]/.test(l))).toEqual([]);
    const output = argvOf(line).indexOf('-o');
    if (output >= 0) expect(existsSync(join(dir, argvOf(line)[output + 1]!))).toBe(true);
  });

  it('the GitHub Actions recipe installs a pinned tarball and its compare step runs', async () => {
    const workflow = blocks.find((b) => b.lang === 'yaml' && b.body.includes('heapdiff'))!.body;
    expect(workflow).not.toMatch(/npx/);
    expect(workflow).toContain('run: npm install -g --ignore-scripts ./tools/heapdiff-0.1.0.tgz');
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    expect(workflow).toContain(`heapdiff-${version}.tgz`); // the name npm pack gives this version
    const compare = /- name: Compare\n\s+run: >\n((?:\s{10}.*\n)+)/.exec(workflow)![1]!.trim().split(/\s*\n\s*/).join(' ');
    const argv = shellWords(compare);
    expect(argv[0]).toBe('heapdiff');
    const dir = exampleDir();
    mkdirSync(join(dir, 'base'));
    mkdirSync(join(dir, 'current'));
    copyFileSync(join(root, PROFILES, 'heap-01.pb.gz'), join(dir, 'base/heap.pb.gz'));
    copyFileSync(join(root, PROFILES, 'heap-08.pb.gz'), join(dir, 'current/heap.pb.gz'));
    const result = await runCliIn(dir, argv.slice(1));
    expect(result.code).toBe(1); // 55.91MB > 5MB: the gate fails, and the comment is still written
    expect(readFileSync(join(dir, 'heapdiff.md'), 'utf8')).toMatch(/^<!-- heapdiff:report -->/);
  });

  it("trend's --limit example quotes what trend prints on the bundled snapshots", async () => {
    const [, flag, quoted] = /on the bundled\s+snapshots `(--limit \S+)` prints `([^`]+)`/.exec(readme)!;
    const result = await runCliIn(exampleDir(), ['trend', ...flag!.split(' '), ...readdirSync(join(root, PROFILES)).filter((n) => /^heap-0\d\.pb\.gz$/.test(n))]);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(quoted!.replace(/\s+/g, ' '));
  });

  it('the JSON example is what top -f json -n 1 prints, field for field ("…" stands for fields left out)', async () => {
    const shown = JSON.parse(blocks.find((b) => b.lang === 'json' && b.body.includes('"schemaVersion"'))!.body);
    const result = await runCliIn(exampleDir(), ['top', '-f', 'json', '-n', '1', 'heap-01.pb.gz', 'heap-08.pb.gz']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    const elided = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(elided);
      if (value === null || typeof value !== 'object') return value;
      const fields = Object.entries(value).filter(([key]) => key !== '…');
      return '…' in value ? expect.objectContaining(Object.fromEntries(fields.map(([k, v]) => [k, elided(v)]))) : Object.fromEntries(fields.map(([k, v]) => [k, elided(v)]));
    };
    expect(printed).toEqual(elided(shown));
  });

  it('the library example runs as written, readSource returning the text', async () => {
    const snippet = blocks.find((b) => b.lang === 'ts' && b.body.includes("from 'heapdiff'"))!.body;
    const imports = snippet.split('\n').filter((l) => l.startsWith('import '));
    const body = snippet.split('\n').filter((l) => !l.startsWith('import ')).join('\n');
    // The snippet's free names (fetch, chart, document, sources) become parameters; nothing else changes.
    const source = `${imports.join('\n')}\nexport default async function (fetch, chart, document, sources) {\n${body}\nreturn { report, lines };\n}\n`;
    const bundle = await build({
      stdin: { contents: source, loader: 'ts', resolveDir: root },
      alias: { heapdiff: join(root, 'src/index.ts') },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const example = (await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0]!.text).toString('base64')}`)).default;

    const fetch = async (url: string) => new Response(readFileSync(join(root, PROFILES, url.replace('/profiles/', ''))));
    const bars: unknown[][] = [];
    const pre = { textContent: '' };
    const sources = new Map([['example.com/leakysvc/cache.go', readFileSync(join(root, 'testdata/go/leakysvc/cache.go'), 'utf8')]]);
    const { report, lines } = await example(fetch, { addBar: (...args: unknown[]) => bars.push(args) }, { querySelector: () => pre }, sources);

    expect(report.rows.length).toBeGreaterThan(1);
    expect(bars[0]).toEqual(['main.(*dedupeCache).remember', 8125030, 66753933, 'grew']);
    expect(pre.textContent).toContain('+55.91MB');
    const leak = lines.routines[0].lines.find((l: { line: number }) => l.line === 27);
    expect(leak.source).toContain('LEAK: one buffer per request');
  });
});
