import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every symbol src/index.ts exports is the library's contract: each says what it is in a doc
 * comment (a `/** … *\/` on its declaration), read here through the TypeScript compiler.
 */
const INDEX = resolve(import.meta.dirname, 'index.ts');

function undocumentedExports(): { exports: number; missing: string[] } {
  const program = ts.createProgram([INDEX], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  const exported = checker.getExportsOfModule(module);
  const missing = exported
    .filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.getDocumentationComment(checker).length === 0;
    })
    .map((symbol) => symbol.name)
    .sort();
  return { exports: exported.length, missing };
}

describe('the public API', () => {
  it('documents every export of src/index.ts', () => {
    const { exports, missing } = undocumentedExports();
    expect(exports).toBeGreaterThan(90);
    expect(missing).toEqual([]);
  });
});
