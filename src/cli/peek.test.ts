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
