import type { Gunzip } from '../decode/gunzip.js';

/** Everything the CLI needs from the outside world; tests pass a fake, bin/ passes nodeIo(). */
export interface Io {
  readFile(path: string): Promise<Uint8Array>;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  /** Native inflate where available (node:zlib); the library's pako fallback otherwise. */
  readonly gunzip?: Gunzip;
}

/** Colour when forced, or when stdout is a terminal and NO_COLOR is not set (no-color.org). */
export function wantsColor(io: Io): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR']) return false;
  return io.stdoutIsTTY;
}
