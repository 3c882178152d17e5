import type { SideRequest } from '../analysis/side-aggregate.js';
import type { Gunzip } from '../decode/inflate.js';
import type { OnProgress } from '../decode/parse-with.js';
import type { Profile } from '../model/profile.js';

// The outside world by capability. A command or helper asks for the capabilities it uses (an
// intersection, or a Pick where it uses one or two members), so a test fakes only those.

/** Local files and directories. */
export interface Files {
  /** A local profile, refused beyond `maxBytes`; pipes and devices also within `timeoutMs`. */
  readFile(path: string, limits: { maxBytes: number; timeoutMs: number }): Promise<Uint8Array>;
  /** Writes to a temporary name beside `path`, then renames: a failed run never leaves half a file. */
  writeFileAtomic(path: string, data: Uint8Array | string): Promise<void>;
  appendFile(path: string, text: string): Promise<void>;
  /** The names in a directory, to expand globs the shell left alone. */
  listDir(path: string): Promise<string[]>;
  /** Regular files matching a glob the shell left alone (`*`, `?`, `[…]`, `**`), relative to cwd unless the pattern is absolute. */
  glob(pattern: string): Promise<string[]>;
  /** Whether `path` is a directory (false when it is missing: reading it then names the error). */
  isDirectory(path: string): Promise<boolean>;
  /** Creates a directory and its parents; fine when it exists. */
  makeDir(path: string): Promise<void>;
  /** The working directory: the first root for source files, and where a relative --source-path starts. */
  readonly cwd: string;
}

/** HTTP, for URL sources and `capture`. */
export interface Network {
  /** HTTP GET (Node's global fetch). */
  fetch(url: string, init: { signal: AbortSignal }): Promise<Response>;
}

/** The terminal the CLI runs in: its output streams, environment and Ctrl-C. */
export interface Terminal {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Writes GitHub workflow command lines (heapdiff's own annotations) to stderr as they are.
   * run() provides it and makes stdout and stderr refuse to start a command; absent, stderr is used.
   */
  readonly workflowCommands?: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  /** Whether stderr is a terminal: progress lines are shown only there. */
  readonly stderrIsTTY: boolean;
  /**
   * Aborts on Ctrl-C (SIGINT). The handler is installed on the first call, so commands that never
   * ask keep the default; a second Ctrl-C exits as usual.
   */
  interrupts(): AbortSignal;
}

/** Helper threads for decoding; both members absent means there are none. */
export interface Threads {
  /**
   * Decodes a profile on a helper thread, or returns undefined when that thread is busy (or there
   * is none): two big profiles then decode at once on two cores. `side`: aggregate the profile
   * there too, for a report to adopt (side-aggregate.ts). `handOver`: the caller gives the bytes
   * away (their buffer moves to the thread and reads empty here), sparing two copies of them.
   */
  decodeOffThread?(bytes: Uint8Array, maxBytes: number, onProgress?: OnProgress, side?: SideRequest, handOver?: boolean): Promise<Profile> | undefined;
  /**
   * The profile of the file `path` from the helper thread started to decode it early (bin/), or
   * undefined when no thread was: the caller reads and decodes it as any other input.
   */
  decodeEarly?(path: string, maxBytes: number, side?: SideRequest): Promise<Profile> | undefined;
  /**
   * How many decodes decodeOffThread can run at once (its helper threads); 0 or absent: none.
   * A function, so that a run that never asks does not count the cores (node:os) at start-up.
   */
  offThreadLanes?(): number;
  /** Ends the idle helper threads once a command has decoded all it reads (a later decode starts them again). */
  stopOffThread?(): void;
}

/** What inflating gave: the bytes, or the error gunzip would have thrown. */
export type Inflated = { readonly bytes: Uint8Array } | { readonly error: unknown };

/** Native compression. */
export interface Codecs {
  /** Native inflate (node:zlib): the CLI never loads the library's portable pako fallback. */
  readonly gunzip: Gunzip;
  /**
   * gunzip on another thread (libuv's pool): what it inflated, or how it failed, to hand to
   * gunzip in its place (load.ts inflates the next input so while this thread decodes one).
   */
  readonly inflateAside?: ((bytes: Uint8Array, maxBytes: number) => Promise<Inflated>) | undefined;
  /** What was inflating for `bytes` (as readFile gave them) since before the CLI loaded (bin/), if anything. */
  readonly inflatedEarly?: ((bytes: Uint8Array) => Promise<Inflated> | undefined) | undefined;
  /** Native gzip for files heapdiff writes. */
  gzip(bytes: Uint8Array): Uint8Array;
}

/**
 * Switches of the JavaScript engine, set for the whole process: each is set only in a run that
 * needs it, since any change of V8's flags makes Node compile every built-in module it loads
 * afterwards from source (its code cache is kept for the flags it was made with).
 */
export interface Engine {
  /** Lets a RegExp take the `l` flag (V8's linear-time engine): before a run compiles a user's regex. */
  linearRegex?(): Promise<void>;
  /** Told how many bytes of profiles a run is about to decode, before it decodes them. */
  inputBytes?(bytes: number): Promise<void>;
}

/** Everything the CLI needs from the outside world; tests pass a fake, bin/ passes nodeIo(). */
export interface Io extends Files, Network, Terminal, Threads, Codecs, Engine {}

/** Writing a report: to the --output file, else stdout. */
export type ReportOut = Pick<Files, 'writeFileAtomic'> & Pick<Terminal, 'stdout'>;
/** Whether to colour text output. */
export type ColourIo = Pick<Terminal, 'env' | 'stdoutIsTTY'>;

/** Colour when forced, or when stdout is a terminal and NO_COLOR is not set (no-color.org). */
export function wantsColor(io: ColourIo): boolean {
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env['NO_COLOR']) return false;
  return io.stdoutIsTTY;
}
