/**
 * Base64 to bytes by Node's Buffer, for the WebAssembly kernels' modules (wasm/instantiate.ts's
 * useBase64Decoder): the library's portable decoder runs cold in a fresh process, ~3-6 ms for
 * the three modules against ~0.2 ms for this. Both CLI threads set it (node-io.ts, decode-worker.ts).
 */
export const nodeBase64 = (base64: string): Uint8Array => Buffer.from(base64, 'base64');
