/**
 * Instances of the WebAssembly kernels (src/wasm/NAME.as.ts, compiled into NAME.wasm.ts by
 * `npm run wasm`). A kernel's code is compiled once per thread, at load, by V8's baseline
 * compiler: unlike JavaScript it runs at full speed from its first call, which is what a process
 * that decodes each profile once needs. Null where WebAssembly is missing (a page whose CSP
 * forbids it): callers keep a JavaScript path for that.
 */
const modules = new Map<string, WebAssembly.Module>();
let allowed = true;
/** Kernels compiled in the background once a run makes its first one (prepare). */
const prepared: string[] = [];
/** Whether this thread has made a kernel: prepared ones compile from then on. */
let made = false;
/** How the modules' base64 becomes bytes: see useBase64Decoder. */
let decodeBase64: (base64: string) => Uint8Array = nativeFromBase64() ?? bytesOf;

/**
 * Gives a faster base64 decoder than the portable one, which runs cold in a fresh process: ~3-6 ms
 * for the first three modules, against ~0.2 ms for Node's Buffer (the CLI gives that: cli/node-base64.ts).
 * Where JavaScript has Uint8Array.fromBase64, that is the default.
 */
export function useBase64Decoder(decode: (base64: string) => Uint8Array): void {
  decodeBase64 = decode;
}

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
      module = new WebAssembly.Module(decodeBase64(base64) as Uint8Array<ArrayBuffer>);
      modules.set(base64, module);
    }
    made = true;
    compileAhead();
    const imports = WebAssembly.Module.imports(module).some((i) => i.kind === 'memory') ? { env: { memory: memory ?? new WebAssembly.Memory({ initial: 0 }) } } : {};
    return new WebAssembly.Instance(module, imports);
  } catch {
    // Compiling refused (a page whose CSP allows no WebAssembly compiles throws here): the JavaScript path.
    return null;
  }
}

/**
 * Asks for the kernel `base64` to be compiled off the main thread once this run makes its first
 * kernel (the decoder's, in a CLI run): the report's kernels, compiled synchronously where first
 * used, cost the 10k pair's main thread ~2 ms there, while V8's compile threads have the decode's
 * time to do it. A run that never makes a kernel (a small input: allowKernels) compiles none.
 */
export function prepare(base64: string): void {
  prepared.push(base64);
  // Loaded after the run's first kernel was made: now.
  if (made) compileAhead();
}

/** Starts the background compiles of the kernels prepared so far; instantiate takes a module once its compile is done. */
function compileAhead(): void {
  if (!allowed || typeof WebAssembly.compile !== 'function') return;
  for (const base64 of prepared.splice(0)) {
    if (modules.has(base64)) continue;
    WebAssembly.compile(decodeBase64(base64) as Uint8Array<ArrayBuffer>).then(
      (module) => {
        if (!modules.has(base64)) modules.set(base64, module);
      },
      // Refused (a page's CSP): instantiate finds no module and tries itself, and gets null.
      () => undefined,
    );
  }
}

/** For tests: whether the kernel `base64` is compiled (by instantiate, or in the background after prepare). */
export function isCompiled(base64: string): boolean {
  return modules.has(base64);
}

/** Grows a kernel's memory to hold at least `bytes`; views of it taken before are then stale. */
export function ensureBytes(memory: WebAssembly.Memory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The language's own base64 decoder, where it has one (newer engines; Node 20 has not). */
function nativeFromBase64(): ((base64: string) => Uint8Array) | undefined {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (base64: string) => Uint8Array }).fromBase64;
  return typeof fromBase64 === 'function' ? (base64) => fromBase64.call(Uint8Array, base64) : undefined;
}

/** Base64 to bytes, without atob: JavaScript's own globals are all a library may count on. */
export function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
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
