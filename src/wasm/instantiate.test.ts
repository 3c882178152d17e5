import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { allowKernels, bytesOf, instantiate, isCompiled, prepare, useBase64Decoder } from './instantiate.js';

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

  it('compiles prepared kernels in the background once this thread has made a kernel, and none while kernels are not allowed', async () => {
    // Empty modules, told apart by a custom section: none of the generated kernels, so none compiled yet.
    const module = (name: string) => Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 0, 1 + name.length, name.length, ...Buffer.from(name)]).toString('base64');
    const [made, ahead, notAllowed] = [module('made'), module('ahead'), module('off')];
    allowKernels(false);
    try {
      prepare(notAllowed);
      expect(instantiate(made)).toBeNull();
    } finally {
      allowKernels(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isCompiled(notAllowed)).toBe(false);
    prepare(ahead);
    expect(isCompiled(ahead)).toBe(false);
    expect(instantiate(made)).not.toBeNull();
    await vi.waitFor(() => expect(isCompiled(ahead)).toBe(true));
    // Both prepared kernels went with that first instance.
    await vi.waitFor(() => expect(isCompiled(notAllowed)).toBe(true));
    // One prepared after a kernel was made compiles at once.
    const late = module('late');
    prepare(late);
    await vi.waitFor(() => expect(isCompiled(late)).toBe(true));
  });

  it.each(generated)('decodes %s to the same bytes portably as Node does', async (name) => {
    const { WASM_BASE64 } = (await import(join(dir, name))) as { WASM_BASE64: string };
    expect(Buffer.from(bytesOf(WASM_BASE64)).equals(Buffer.from(WASM_BASE64, 'base64'))).toBe(true);
  });

  it('decodes modules with the decoder given (the CLI gives Node\'s), and takes the JavaScript path when it decodes wrong', () => {
    const module = (name: string) => Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, 0, 1 + name.length, name.length, ...Buffer.from(name)]).toString('base64');
    const native = vi.fn((base64: string) => Buffer.from(base64, 'base64'));
    try {
      useBase64Decoder(native);
      expect(instantiate(module('given'))).not.toBeNull();
      expect(native).toHaveBeenCalledWith(module('given'));
      useBase64Decoder(() => new Uint8Array([1, 2, 3]));
      expect(instantiate(module('garbled'))).toBeNull();
    } finally {
      useBase64Decoder(bytesOf);
    }
  });

  it('returns null for bytes that do not compile, for the caller to take its JavaScript path', () => {
    expect(instantiate(Buffer.from('not a module').toString('base64'))).toBeNull();
  });
});
