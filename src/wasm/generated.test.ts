import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const sources = readdirSync(join(root, 'src/wasm')).filter((name) => name.endsWith('.as.ts'));

describe('WebAssembly kernels', () => {
  it('each kernel has its generated module, compiled from its current source', () => {
    for (const source of sources) expect(readdirSync(join(root, 'src/wasm'))).toContain(source.replace(/\.as\.ts$/, '.wasm.ts'));
    const check = spawnSync(process.execPath, [join(root, 'scripts/build-wasm.mjs'), '--check'], { encoding: 'utf8', cwd: root });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 60_000);
});
