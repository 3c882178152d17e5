import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

const tenants = (n: string) => `testdata/go/tenants/profiles/heap-${n}.pb.gz`;

describe('heapdiff peek', () => {
  it('shows the leak behind the inlined helper: its largest caller, with the edge marked inline', async () => {
    const result = await runCli(['peek', 'main\\.small$', tenants('01'), tenants('06')]);
    expect(result.code).toBe(0);
    const callers = result.stdout.split('\n').filter((l) => l.includes('  ← '));
    expect(callers[0]).toMatch(/\+163\.32MB\s+91\.57%\s+← main\.indexDocument \(inline\)$/);
    expect(callers).toHaveLength(3);
  });

  it('the entry line carries top\'s ± and ~ (the same row); --confidence widens them, --same-process says so in the header', async () => {
    const entryOf = (text: string, name: string) => text.split('\n').find((l) => l.endsWith(` ${name}`) && !l.includes('←') && !l.includes('→'))!;
    const at = async (...flags: string[]) => (await runCli(['peek', ...flags, '^main\\.(small|indexDocument)$', tenants('01'), tenants('06')])).stdout;
    const top = (await runCli(['top', '-n', '0', tenants('01'), tenants('06')])).stdout;
    const plain = await at();
    // main.small grew beyond noise; indexDocument's own flat (+2.14MB) is within it, as top says.
    expect(entryOf(plain, 'main.small (inline)')).toMatch(/^\+178\.35MB\s+22\.65MB\s/);
    expect(entryOf(plain, 'main.indexDocument')).toMatch(/^\s*\+2\.14MB\s+2\.28MB~\s/);
    expect(top.split('\n').find((l) => l.endsWith(' main.indexDocument'))).toMatch(/2\.28MB .* grew~ /);
    expect(plain).toContain('Errors:   ± is the 95% interval of the flat value');
    const half = (text: string) => Number(/^\S+\s+([\d.]+)MB/.exec(entryOf(text, 'main.small (inline)').trim())![1]);
    expect(half(await at('--confidence', '0.999'))).toBeGreaterThan(half(plain) * 1.6);
    expect(await at('--same-process')).toMatch(/^ {10}--same-process: one-process error bounds/m);
  });

  it('--same-process is refused for sets of profiles, in one line', async () => {
    const result = await runCli(['peek', '--same-process', 'remember', '--base', 'testdata/go/fleet/base', '--current', 'testdata/go/fleet/current']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('heapdiff: invalid option: --same-process bounds the error of two snapshots of one process; for sets of profiles use --paired\n');
  });

  it('--diff-base works as for top, and the JSON carries each edge', async () => {
    const result = await runCli(['peek', '-f', 'json', 'buildTree$', '--diff-base', tenants('01'), tenants('06')]);
    const doc = JSON.parse(result.stdout);
    expect(doc.command).toBe('peek');
    expect(doc.entries.map((e: { name: string }) => e.name)).toEqual(['main.buildTree']);
    expect(doc.entries[0].callees).toEqual([
      expect.objectContaining({ name: 'main.small', inline: true, cum: doc.entries[0].callees[0].current - doc.entries[0].callees[0].base }),
    ]);
  });

  it.each([
    [['peek', 'nothing-like-this', tenants('06')], /^heapdiff: .*no function matches \/nothing-like-this\/\n$/],
    [['peek', '(', tenants('06')], /^heapdiff: .*not a valid regular expression[^\n]*\n$/],
    [['peek', 'x', 'testdata/nowhere.pb.gz'], /^heapdiff: .*nowhere\.pb\.gz.*\n$/],
  ])('bad input: one line on stderr, exit 2 (%j)', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
