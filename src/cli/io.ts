import type { Gunzip } from '../decode/gunzip.js';

/** Everything the CLI needs from the outside world; tests pass a fake, bin/ passes nodeIo(). */
export interface Io {
  readFile(path: string): Promise<Uint8Array>;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  /** The working directory: the first root for source files, and where a relative --source-path starts. */
  readonly cwd: string;
  /** Native inflate where available (node:zlib); the library's pako fallback otherwise. */
  readonly gunzip?: Gunzip;
  /** Native gzip for files heapdiff writes. */
  gzip(bytes: Uint8Array): Uint8Array;
  /** Writes to a temporary name beside `path`, then renames: a failed run never leaves half a file. */
  writeFileAtomic(path: string, data: Uint8Array | string): Promise<void>;
  appendFile(path: string, text: string): Promise<void>;
}

/** Colour when forced, or when stdout is a terminal and NO_COLOR is not set (no-color.org). */
export function wantsColor(io: Io): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR']) return false;
  return io.stdoutIsTTY;
}
