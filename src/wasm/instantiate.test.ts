import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowKernels, instantiate } from './instantiate.js';

const dir = import.meta.dirname;
const generated = readdirSync(dir).filter((name) => name.endsWith('.wasm.ts'));

describe('instantiate', () => {
  it.each(generated)('makes an instance of %s (its base64 decoded right: a wrong byte would not compile)', async (name) => {
    const { WASM_BASE64 } = (await import(join(dir, name))) as { WASM_BASE64: string };
    const instance = instantiate(WASM_BASE64);
    expect(instance).not.toBeNull();
    expect(instance!.exports['memory']).toBeInstanceOf(WebAssembly.Memory);
  });

  it('returns null while kernels are not allowed (a small run), and instances again once they are', async () => {
    const { WASM_BASE64 } = (await import(join(dir, generated[0]!))) as { WASM_BASE64: string };
    allowKernels(false);
    try {
      expect(instantiate(WASM_BASE64)).toBeNull();
    } finally {
      allowKernels(true);
    }
    expect(instantiate(WASM_BASE64)).not.toBeNull();
  });

  it('returns null for bytes that do not compile, for the caller to take its JavaScript path', () => {
    expect(instantiate(Buffer.from('not a module').toString('base64'))).toBeNull();
  });
});
