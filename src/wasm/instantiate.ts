/**
 * Instances of the WebAssembly kernels (src/wasm/NAME.as.ts, compiled into NAME.wasm.ts by
 * `npm run wasm`). A kernel's code is compiled once per thread, at load, by V8's baseline
 * compiler: unlike JavaScript it runs at full speed from its first call, which is what a process
 * that decodes each profile once needs. Null where WebAssembly is missing (a page whose CSP
 * forbids it): callers keep a JavaScript path for that.
 */
const modules = new Map<string, WebAssembly.Module>();
let allowed = true;

/**
 * Off: instantiate() gives null from then on, and every kernel's JavaScript runs. For a process
 * whose whole input is small (the CLI's engine tuning, src/cli/node-io.ts): compiling the modules
 * and running them cold cost more there than the work they speed up (the bundled Go pair: 94 ms
 * with them, 87 ms without, medians of 31 runs). Kernels already made are not taken back.
 */
export function allowKernels(on: boolean): void {
  allowed = on;
}

/**
 * An instance of the kernel `base64`; one that imports its memory (`env.memory`, asc
 * --importMemory) gets `memory`, else a memory of its own.
 */
export function instantiate(base64: string, memory?: WebAssembly.Memory): WebAssembly.Instance | null {
  if (!allowed || typeof WebAssembly === 'undefined') return null;
  try {
    let module = modules.get(base64);
    if (module === undefined) {
      module = new WebAssembly.Module(bytesOf(base64));
      modules.set(base64, module);
    }
    const imports = WebAssembly.Module.imports(module).some((i) => i.kind === 'memory') ? { env: { memory: memory ?? new WebAssembly.Memory({ initial: 0 }) } } : {};
    return new WebAssembly.Instance(module, imports);
  } catch {
    // Compiling refused (a page whose CSP allows no WebAssembly compiles throws here): the JavaScript path.
    return null;
  }
}

/** Grows a kernel's memory to hold at least `bytes`; views of it taken before are then stale. */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 to bytes, without atob: JavaScript's own globals are all a library may count on. */
function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const digits = new Uint8Array(128);
  for (let i = 0; i < ALPHABET.length; i++) digits[ALPHABET.charCodeAt(i)] = i;
  const length = base64.replace(/=+$/, '').length;
  const out = new Uint8Array((length * 3) >> 2);
  let bits = 0;
  let count = 0;
  let n = 0;
  for (let i = 0; i < length; i++) {
    bits = (bits << 6) | digits[base64.charCodeAt(i)]!;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[n++] = (bits >> count) & 0xff;
    }
  }
  return out;
}
