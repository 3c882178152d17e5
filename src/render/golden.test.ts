import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';

/**
 * Golden reports on the committed real profiles: any change to what a user sees shows up as a
 * diff of testdata/golden/ in review. Update with `npx vitest run -u` and read the diff.
 */
const go = (n: string) => `testdata/go/leakysvc/profiles/heap-${n}.pb.gz`;
const tenants = (n: string) => `testdata/go/tenants/profiles/heap-${n}.pb.gz`;
const node = (side: string) => `testdata/node/heap-${side}.pb.gz`;

const cases: Array<[string, string[]]> = [
  ['top-go-diff.txt', ['top', go('01'), go('08')]],
  ['top-go-diff-lines.txt', ['top', '-g', 'lines', go('01'), go('08')]],
  ['top-go-diff-files-cum.txt', ['top', '-g', 'files', '--cum', go('01'), go('08')]],
  ['top-go-diff-alloc-objects.txt', ['top', '-i', 'alloc_objects', '-n', '5', go('01'), go('08')]],
  ['top-go-diff-focus.txt', ['top', '--focus', 'lruCache', '-n', '0', go('01'), go('08')]],
  ['top-go-single.txt', ['top', go('08')]],
  ['top-go-allocs.txt', ['top', 'testdata/go/leakysvc/profiles/allocs.pb.gz']],
  ['top-node-diff.txt', ['top', node('base'), node('current')]],
  ['top-go-legacy-text-diff.txt', ['top', '-n', '5', 'testdata/go/leakysvc/profiles/heap-01.txt', 'testdata/go/leakysvc/profiles/heap-08.txt']],
  ['top-go-deep.txt', ['top', '-n', '5', 'testdata/go/shapes/profiles/deep.pb.gz']],
  ['top-go-diff.json', ['top', '--format', 'json', '-n', '5', go('01'), go('08')]],
  ['top-go-single.json', ['top', '--format', 'json', '-n', '3', go('08')]],
  ['top-go-diff-gates.txt', ['top', '-n', '3', '--warn-on', 'site>1MB', '--fail-on', 'total>100MB', go('01'), go('08')]],
  ['list-go-diff-dedupe.txt', ['list', 'dedupeCache', '--source-path', 'testdata/go', go('01'), go('08')]],
  ['list-go-diff-buildtree-nosource.txt', ['list', 'buildTree', '--source-path', 'testdata/nowhere', go('01'), go('08')]],
  ['list-go-single-newslot.json', ['list', 'newSlot', '--format', 'json', '--source-path', 'testdata/go', go('08')]],
  ['top-go-diff.md', ['top', '--format', 'markdown', '-n', '5', '--fail-on', 'total>100MB', go('01'), go('08')]],
  ['top-go-tenants-diff.txt', ['top', tenants('01'), tenants('06')]],
  ['peek-go-tenants-small.txt', ['peek', 'main\\.small$', tenants('01'), tenants('06')]],
  ['peek-go-tenants-main-single.txt', ['peek', '^main\\.', tenants('06')]],
  ['peek-go-tenants-lines.json', ['peek', '-f', 'json', '-g', 'lines', 'indexDocument', tenants('01'), tenants('06')]],
  ['peek-go-tenants-small.md', ['peek', '-f', 'markdown', 'main\\.small$', tenants('01'), tenants('06')]],
  ['list-go-single-newslot.txt', ['list', 'newSlot', '--source-path', 'testdata/go', go('08')]],
  ['trend-go.txt', ['trend', go('0*')]],
  ['trend-go-lines-limit.txt', ['trend', '-g', 'lines', '-n', '0', '--limit', '1GB', go('0*')]],
  ['trend-go.json', ['trend', '--format', 'json', '-n', '4', go('0*')]],
  ['trend-go.md', ['trend', '--format', 'markdown', '-n', '5', '--limit', '100MB', go('0*')]],
];

describe('golden reports', () => {
  it.each(cases)('%s', async (name, argv) => {
    const result = await runCli(argv);
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot(`../../testdata/golden/${name}`);
  });
});
