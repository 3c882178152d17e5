import { checkOptions, isFunction, wholeNumber, type OptionRule } from '../model/options.js';
import type { Profile } from '../model/profile.js';
import { pakoGunzip, type Gunzip } from './gunzip.js';
import { parseProfileWith, type DecodeOptions } from './parse-with.js';

/** Options of parseProfile: the size cap (`maxBytes`), a progress callback, and the inflater. */
export interface ParseOptions extends DecodeOptions {
  /** Inflater for gzipped input; defaults to pako so the library runs in browsers. What it returns is never written to. */
  readonly gunzip?: Gunzip;
}

/**
 * Decodes a pprof profile, gzipped or raw protobuf (told apart by the gzip magic bytes), or Go's
 * legacy text heap profile (`heap profile: …`), into the compact model. Throws ProfileError
 * naming the step that failed.
 */
export function parseProfile(bytes: Uint8Array, options: ParseOptions = {}): Profile {
  checkOptions(options, { maxBytes: wholeNumber(1), onProgress: isFunction, gunzip: isFunction } satisfies Record<keyof ParseOptions, OptionRule>);
  return parseProfileWith(bytes, options.gunzip ?? pakoGunzip, options);
}
