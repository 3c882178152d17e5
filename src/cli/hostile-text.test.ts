import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { HOSTILE_NAMES, TERMINAL_CONTROL, workflowCommandLines, writeHostileProfiles } from '../test-support/hostile-names.js';

/** Lines a hostile profile's strings must never produce: each report line starts with heapdiff's own text. */
function expectInert(output: string): void {
  expect(workflowCommandLines(output)).toEqual([]);
  expect(output).not.toMatch(TERMINAL_CONTROL);
}

describe('hostile names in terminal text', () => {
  const [base, current, third] = writeHostileProfiles();

  it('top, list and trend show every control and bidi character escaped; no name starts a line', async () => {
    for (const argv of [
      ['top', base!, current!],
      ['top', current!],
      ['top', '-g', 'lines', base!, current!, '--fail-on', 'site>1kB', '--warn-on', 'site>1kB'],
      ['list', 'main\\.', base!, current!],
      ['trend', base!, current!, third!, '--fail-on', 'site>1kB'],
    ]) {
      const result = await runCli(argv, { decodeOffThread: () => undefined });
      expect(result.code, argv.join(' ')).not.toBe(2);
      expectInert(result.stdout);
      expectInert(result.stderr);
      expect(result.stdout).toContain('main.lf\\n::error file=x.go,line=1::forged');
      expect(result.stdout).toContain('main.bidi\\u202etxt.exe');
      expect(result.stdout).toContain('\\n::error::name\\x1b]0;t\\x07.pb.gz');
    }
  });

  it('on GitHub Actions the only command lines are heapdiff’s own annotations', async () => {
    const result = await runCli(['top', base!, current!, '--fail-on', 'site>1kB', '--warn-on', 'site>1kB'], {
      env: { GITHUB_ACTIONS: 'true' },
      decodeOffThread: () => undefined,
    });
    expect(result.code).toBe(1);
    const commands = workflowCommandLines(result.stderr);
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(/^::(error|warning) title=heapdiff gate site>1kB::[^\r\n]*$|^::notice::\d+ more gate (breaches|warnings) were not annotated/);
    expect(commands.some((l) => l.includes('main.lf\\n::error file=x.go,line=1::forged'))).toBe(true);
    expect(result.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(workflowCommandLines(result.stdout)).toEqual([]);
  });

  it('JSON and HTML on stdout keep every name exactly, spelled so that no log line is a command', async () => {
    const json = await runCli(['top', '-f', 'json', '-n', '0', base!, current!], { decodeOffThread: () => undefined });
    expect(workflowCommandLines(json.stdout)).toEqual([]);
    expect(json.stdout).not.toMatch(TERMINAL_CONTROL);
    const names = JSON.parse(json.stdout).rows.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining([...HOSTILE_NAMES]));
    const html = await runCli(['top', '-f', 'html', base!, current!], { decodeOffThread: () => undefined });
    expect(workflowCommandLines(html.stdout)).toEqual([]);
    expect(html.stdout).toContain('main.lf&#10;::error file=x.go');
  });

  it('error messages that carry profile strings stay on one line, the strings quoted', async () => {
    const [weird] = writeHostileProfiles({ types: [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse\n::error::type\x1b[2J', 'bytes\r::add-mask::unit']] });
    for (const argv of [
      ['top', '-i', 'inuse_space', weird!],
      ['top', '-i', '7', weird!],
      ['top', `${weird!}.missing`],
      ['list', 'no-such-function\n::error::x', weird!],
      ['top', '--fail-on', 'site>1MB', '-i', '0', weird!],
    ]) {
      const result = await runCli(argv, { decodeOffThread: () => undefined });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^heapdiff: [^\n]+\n$/);
      expectInert(result.stderr);
    }
    const missing = await runCli(['top', '-i', 'inuse_space', weird!], { decodeOffThread: () => undefined });
    expect(missing.stderr).toContain('"inuse\\n::error::type\\u001b[2J"');
  });

  it('trend warnings and gate messages on stderr are one line each', async () => {
    const [a, b, c] = writeHostileProfiles({ types: [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['alloc_\n::error::x', 'count']] });
    const result = await runCli(['trend', a!, b!, c!, '--fail-on', 'site>1'], { decodeOffThread: () => undefined });
    expect(result.code).toBe(1);
    expectInert(result.stderr);
    for (const line of result.stderr.trimEnd().split('\n')) expect(line).toMatch(/^heapdiff: /);
    expect(HOSTILE_NAMES.length).toBeGreaterThan(10);
  });
});
