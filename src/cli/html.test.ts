import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { nodeIo } from './node-io.js';

const go = (n: string) => `testdata/go/leakysvc/profiles/heap-${n}.pb.gz`;
const LEAK = 'main.(*dedupeCache).remember';

describe('--format html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-html-'));

  it.each([
    ['top', ['top', go('01'), go('08')], LEAK],
    ['list', ['list', 'dedupeCache', '--source-path', 'testdata/go', go('01'), go('08')], 'fp := make([]byte, fingerprintSize)'],
    ['trend', ['trend', '--limit', '100MB', go('0*')], 'class="projection"'],
  ])('%s writes one HTML file with --output through the atomic writer, and nothing to stdout', async (name, argv, expected) => {
    const path = join(dir, `${name}.html`);
    const written: string[] = [];
    const io = nodeIo();
    const writeFileAtomic = async (target: string, data: Uint8Array | string) => {
      written.push(target);
      await io.writeFileAtomic(target, data);
    };
    const result = await runCli([...argv, '--format', 'html', '--output', path], { writeFileAtomic });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(written).toEqual([path]);
    const html = readFileSync(path, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(expected);
  });

  it('goes to stdout without --output', async () => {
    const result = await runCli(['top', '--format', 'html', go('01'), go('08')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^<!doctype html>[^]*<\/html>\n$/);
  });

  it('names the formats each command takes when the format is wrong', async () => {
    const result = await runCli(['list', 'x', '--format', 'htm', go('01')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^heapdiff: .*'htm'.*text, json, html.*\n$/);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });
});
