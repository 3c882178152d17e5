/**
 * Instances of the WebAssembly kernels (src/wasm/NAME.as.ts, compiled into NAME.wasm.ts by
 * `npm run wasm`). A kernel's code is compiled once per thread, at load, by V8's baseline
 * compiler: unlike JavaScript it runs at full speed from its first call, which is what a process
 * that decodes each profile once needs. Null where WebAssembly is missing (a page whose CSP
 * forbids it): callers keep a JavaScript path for that.
 */
const modules = new Map<string, WebAssembly.Module>();

export function instantiate(base64: string): WebAssembly.Instance | null {
  if (typeof WebAssembly === 'undefined') return null;
  let module = modules.get(base64);
  if (module === undefined) {
    module = new WebAssembly.Module(bytesOf(base64));
    modules.set(base64, module);
  }
  return new WebAssembly.Instance(module, {});
}

/** Grows a kernel's memory to hold at least `bytes`; views of it taken before are then stale. */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
