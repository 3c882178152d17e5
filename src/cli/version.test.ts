import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/fake-io.js';
import { packageVersion } from './version.js';

const ROOT_PACKAGE = new URL('../../package.json', import.meta.url);

describe('--version', () => {
  it("prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(ROOT_PACKAGE, 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('is read from the file, not written in the code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-version-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"x","version":"7.3.1-rc.2"}');
    expect(packageVersion(pathToFileURL(join(dir, 'package.json')))).toBe('7.3.1-rc.2');
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    expect(() => packageVersion(pathToFileURL(join(dir, 'package.json')))).toThrow(/has no version/);
  });
});
