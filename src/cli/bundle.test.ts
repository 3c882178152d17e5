import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Needs `npm run build`, as the other tests of bin/ do.
const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist/bin');
const profiles = ['heap-01.pb.gz', 'heap-08.pb.gz'].map((name) => join(root, 'testdata/go/leakysvc/profiles', name));
const bundles = () => readdirSync(dist).filter((name) => name.endsWith('.cjs'));

describe('the CLI bundles as built (scripts/bundle-cli.mjs, bin/load-bundle.js)', () => {
  it('are ASCII, each one function as Node would wrap a module: bin/ compiles the text as read, as latin1', () => {
    expect(bundles()).toEqual(expect.arrayContaining(['heapdiff.cjs', 'decode-worker.cjs']));
    for (const name of bundles()) {
      const bytes = readFileSync(join(dist, name));
      expect(bytes.findIndex((byte) => byte > 0x7f), name).toBe(-1);
      const text = bytes.toString('latin1');
      expect(text.startsWith('(function (exports, require, module, __filename, __dirname) {'), name).toBe(true);
      expect(text.trimEnd().endsWith('\n})'), name).toBe(true);
    }
  });

  it('still match what they matched with their characters past ASCII escaped (units, terminal-safe text)', () => {
    const out = spawnSync(process.execPath, [join(root, 'bin/heapdiff.js'), 'top', '-f', 'json', '-n', '3', ...profiles], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    // The JSON report's strings went through the text-safety regex, whose class holds − ← → … as escapes now.
    expect(JSON.parse(out.stdout).rows[0].name).toBe('main.(*dedupeCache).remember');
  });

  it('run the same without their code caches (a build without them, or a cache V8 refuses)', () => {
    const run = (cached: boolean) => {
      const script = `
        const { BUNDLE, compileBundle } = require('./bin/load-bundle.js');
        compileBundle(BUNDLE, ${cached ? 'undefined' : 'null'}).exports.main(${JSON.stringify(['top', '-n', '5', ...profiles])});`;
      const out = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      return out.stdout;
    };
    const cached = run(true);
    expect(cached).toContain('main.(*dedupeCache).remember');
    expect(run(false)).toBe(cached);
  });
});
