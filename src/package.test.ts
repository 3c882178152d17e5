import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const GO_BASE = join(root, 'testdata/go/leakysvc/profiles/heap-01.pb.gz');
const GO_CURRENT = join(root, 'testdata/go/leakysvc/profiles/heap-08.pb.gz');

describe('the library in a browser', () => {
  it('bundles for the browser without any Node built-in, and runs there', async () => {
    const result = await build({
      entryPoints: [join(root, 'src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'heapdiff',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/require\(["'](node:)?(fs|zlib|path|process|os|crypto)["']\)/);

    // A bare context has only JavaScript's own globals plus what a browser adds for text.
    const page = { TextDecoder, TextEncoder, Uint8Array } as Record<string, unknown>;
    runInNewContext(`${code}; globalThis.heapdiff = heapdiff;`, page);
    const lib = page['heapdiff'] as typeof import('./index.js');
    const report = lib.top(lib.diffProfiles(lib.parseProfile(readFileSync(GO_BASE)), lib.parseProfile(readFileSync(GO_CURRENT))));
    expect(report.rows[0]!.name).toBe('main.(*dedupeCache).remember');
    expect(lib.renderTopText(report)).toContain('+55.91MB');
  });
});

/** `npm pack` (which builds) is slow: made once, for both tests. */
let packed: { scratch: string; tarball: string } | undefined;
function pack(): { scratch: string; tarball: string } {
  if (!packed) {
    const scratch = mkdtempSync(join(tmpdir(), 'heapdiff-pack-'));
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    packed = { scratch, tarball };
  }
  return packed;
}

describe('the published package', () => {
  it('installs from `npm pack` and works through its exports map and its bin', () => {
    const { scratch, tarball } = pack();
    const app = join(scratch, 'app');
    const installed = join(app, 'node_modules', 'heapdiff');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', installed, '--strip-components=1']);
    // Dependencies come from this checkout rather than the registry: the test is about our files.
    for (const dep of Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies)) {
      mkdirSync(join(app, 'node_modules', dep, '..'), { recursive: true });
      symlinkSync(join(root, 'node_modules', dep), join(app, 'node_modules', dep));
    }
    writeFileSync(join(app, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(app, 'check.js'),
      `import { readFileSync } from 'node:fs';
       import { parseProfile, diffProfiles, top } from 'heapdiff';
       const load = (p) => parseProfile(readFileSync(p));
       console.log(top(diffProfiles(load(${JSON.stringify(GO_BASE)}), load(${JSON.stringify(GO_CURRENT)}))).rows[0].name);`,
    );
    expect(execFileSync('node', ['check.js'], { cwd: app, encoding: 'utf8' }).trim()).toBe('main.(*dedupeCache).remember');

    const files = execFileSync('tar', ['-tzf', join(scratch, tarball)], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/dist/index.d.ts');
    expect(files.some((f) => f.includes('.test.') || f.startsWith('package/src/'))).toBe(false);

    const cli = execFileSync('node', [join(installed, 'bin/heapdiff.js'), 'top', '-n', '1', GO_BASE, GO_CURRENT], { encoding: 'utf8' });
    expect(cli).toMatch(/\+55\.91MB.*main\.\(\*dedupeCache\)\.remember/);
  }, 240_000);

  it('ships only what the library and the CLI run: no test oracle, helper or benchmark', () => {
    const { scratch, tarball } = pack();
    const files = execFileSync('tar', ['-tzf', join(scratch, tarball)], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    expect(files.filter((f) => /test-support|reference-decoder|\.test\.|(^|\/)bench\//.test(f))).toEqual([]);
    // Every module in the package is reached from an entry point (the exports map and the bin) by
    // the relative paths its code names (import, require, the helper thread's new URL): a module
    // only tests use would be left over.
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(scratch, tarball), '-C', unpacked, '--strip-components=1']);
    const pkg = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { main: string; bin: Record<string, string> };
    const reached = new Set<string>();
    const todo = [posix.normalize(pkg.main), ...Object.values(pkg.bin).map((b) => posix.normalize(b))];
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      if (reached.has(file) || !files.includes(file)) continue;
      reached.add(file);
      for (const m of readFileSync(join(unpacked, file), 'utf8').matchAll(/['"](\.\.?\/[^'"\n]+\.[cm]?js)['"]/g)) todo.push(posix.join(posix.dirname(file), m[1]!));
    }
    expect(reached).toContain('dist/index.js');
    expect(reached.size).toBeGreaterThan(20);
    // A module of types only compiles to `export {};`: its .d.ts is what ships it.
    const typesOnly = (f: string) => readFileSync(join(unpacked, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, '').trim() === 'export {};';
    expect(files.filter((f) => /\.[cm]?js$/.test(f) && !reached.has(f) && !typesOnly(f))).toEqual([]);
  }, 240_000);

  it('installs as the README says, from the tarball and from the clone, running no script', () => {
    const { scratch, tarball } = pack();
    // The README's two ways to install: the tarball (dependencies from npm's cache, filled by
    // `npm ci`), and the clone itself; neither runs a script.
    for (const [prefix, what] of [['from-tarball', join(scratch, tarball)], ['from-clone', root]] as const) {
      const install = spawnSync('npm', ['install', '-g', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--prefix', join(scratch, prefix), what], { encoding: 'utf8' });
      expect(install.status, install.stderr).toBe(0);
      expect(install.stderr, prefix).toBe('');
      const version = execFileSync(join(scratch, prefix, 'bin/heapdiff'), ['--version'], { encoding: 'utf8', cwd: scratch });
      expect(version.trim(), prefix).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    }
  }, 240_000);
});

describe('a fresh clone', () => {
  it('settles every install script of the locked dependencies in allowScripts, so `npm ci` is quiet', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0); // esbuild's postinstall, at least
    const allowed = (pkg.allowScripts ?? {}) as Record<string, boolean>;
    const covered = (name: string) => Object.keys(allowed).some((key) => key === name || key.startsWith(`${name}@`));
    expect(withScripts.filter((name) => !covered(name))).toEqual([]);
  });
});
