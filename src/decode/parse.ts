import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { DEFAULT_MAX_PROFILE_BYTES, isGzip, pakoGunzip, wrapGunzipError, type Gunzip } from './gunzip.js';
import { decodeWire } from './wire-decoder.js';

export interface ParseOptions {
  /** Inflater for gzipped input; defaults to pako so the library runs in browsers. */
  readonly gunzip?: Gunzip;
  /** Refuse profiles that inflate beyond this many bytes (default 1 GiB). */
  readonly maxBytes?: number;
}

/**
 * Decodes a pprof profile, gzipped or raw protobuf (told apart by the gzip magic bytes), into
 * the compact model. Throws ProfileError naming the step that failed.
 */
export function parseProfile(bytes: Uint8Array, options: ParseOptions = {}): Profile {
  if (bytes.length === 0) throw new ProfileError('parsing profile', 'the input is empty');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PROFILE_BYTES;
  let raw = bytes;
  if (isGzip(bytes)) {
    try {
      raw = (options.gunzip ?? pakoGunzip)(bytes, maxBytes);
    } catch (thrown) {
      throw wrapGunzipError(thrown);
    }
    if (raw.length === 0) throw new ProfileError('parsing profile', 'the gzip stream holds no data');
  }
  const profile = decodeWire(raw);
  // Arbitrary bytes sometimes decode as a protobuf with no fields at all.
  if (profile.sampleTypes.length === 0) {
    throw new ProfileError('parsing profile', 'no sample types found: this does not look like a pprof profile');
  }
  return profile;
}
