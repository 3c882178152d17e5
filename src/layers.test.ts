import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Folders import one way. Each folder of src/ says in its README.md what it may import
 * ("May import: a, b."; src/README.md speaks for index.ts); every import of a file outside the
 * tests must be allowed there, and the allowed imports themselves must not form a cycle.
 */
const SRC = resolve(import.meta.dirname);
const ROOT = '(index.ts)';

function allowedImports(folder: string): string[] | null {
  const readme = join(SRC, folder === ROOT ? '' : folder, 'README.md');
  if (!existsSync(readme)) return null;
  const m = /^May import: (.*)\.$/m.exec(readFileSync(readme, 'utf8'));
  if (!m) return null;
  return m[1] === 'nothing' ? [] : m[1]!.split(/,\s*/);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The src folder a file belongs to; ROOT for files directly in src/. */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(/[\\/]/);
  return parts.length === 1 ? ROOT : parts[0]!;
}

/** Relative specifiers of static imports, re-exports and dynamic imports. */
export function importsOf(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

const files = sourceFiles(SRC).filter((f) => !f.endsWith('.test.ts'));
const folders = [...new Set(files.map(folderOf))];

describe('layers', () => {
  it('finds imports in every form', () => {
    const code = "import a from './a.js';\nimport type { B } from '../b/b.js';\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('../e/e.js');\nimport {\n  f,\n} from 'node:fs';";
    expect(importsOf(code)).toEqual(['./a.js', '../b/b.js', './c.js', './d.js', '../e/e.js']);
  });

  it.each(folders)('%s says what it may import, and imports nothing else', (folder) => {
    const allowed = allowedImports(folder);
    expect(allowed, `src/${folder === ROOT ? '' : `${folder}/`}README.md needs a line "May import: a, b." (or "May import: nothing.")`).not.toBeNull();
    const bad: string[] = [];
    for (const file of files.filter((f) => folderOf(f) === folder)) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const target = folderOf(resolve(dirname(file), spec));
        if (target !== folder && !allowed!.includes(target)) bad.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(bad, `imports against src/${folder === ROOT ? '' : `${folder}/`}README.md`).toEqual([]);
  });

  it('documents no cycle between folders', () => {
    const documented = readdirSync(SRC).filter((d) => existsSync(join(SRC, d, 'README.md')));
    const edges = new Map(documented.map((d) => [d, allowedImports(d) ?? []]));
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (d: string, path: string[]): void => {
      if (state.get(d) === 'done' || cycle.length > 0) return;
      if (state.get(d) === 'open') return void cycle.push(...path, d);
      state.set(d, 'open');
      for (const next of edges.get(d) ?? []) visit(next, [...path, d]);
      state.set(d, 'done');
    };
    for (const d of documented) visit(d, []);
    expect(cycle).toEqual([]);
  });
});
