import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { DEFAULT_MAX_PROFILE_BYTES, givesOwnBytes, isGzip, wrapGunzipError, type Gunzip } from './inflate.js';
import { isLegacyHeap, parseLegacyHeap } from './legacy-heap.js';
import { READS, sniffNotProfile } from './sniff.js';
import { decodeWire } from './wire-decoder.js';

/** A long step reporting how far it got: bytes done of the step's total. */
export type OnProgress = (step: 'inflating' | 'decoding', done: number, total: number) => void;

export interface DecodeOptions {
  /**
   * Refuse profiles that inflate beyond this many bytes (default 1 GiB), or whose decoded stacks
   * and values would take more memory than that (budget.ts).
   */
  readonly maxBytes?: number;
  /** Called as inflating starts, then about every 4 MB of decoding: for a progress display. */
  readonly onProgress?: OnProgress;
}

/**
 * parseProfile with the inflater given. The CLI calls this with node:zlib, so that pako, the
 * library's portable default, is never loaded there.
 */
export function parseProfileWith(bytes: Uint8Array, gunzip: Gunzip, options: DecodeOptions = {}): Profile {
  if (bytes.length === 0) throw new ProfileError('parsing profile', 'the input is empty');
  const { onProgress } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PROFILE_BYTES;
  let raw = bytes;
  if (isGzip(bytes)) {
    onProgress?.('inflating', 0, bytes.length);
    try {
      raw = gunzip(bytes, maxBytes);
    } catch (thrown) {
      throw wrapGunzipError(thrown);
    }
    if (raw.length === 0) throw new ProfileError('parsing profile', 'the gzip stream holds no data');
  } else if (bytes.length > maxBytes) {
    // The same cap as inflated input: what the decoder holds grows with the bytes it reads.
    throw new ProfileError('parsing profile', `is more than ${maxBytes} bytes (raise the maxBytes option if this is genuine)`);
  }
  if (isLegacyHeap(raw)) {
    try {
      return parseLegacyHeap(raw);
    } catch (thrown) {
      // gperftools writes the same header; say so rather than which of its lines is not Go's.
      const looks = sniffNotProfile(raw);
      throw looks?.includes('gperftools') ? notAProfile(looks) : thrown;
    }
  }
  let profile: Profile;
  try {
    // Bytes our own inflater made for this call are the decoder's: the profile's arrays may take
    // their place. Not a caller's inflater's, which may keep what it returned (a cache, say).
    const owned = raw !== bytes && raw.buffer !== bytes.buffer && givesOwnBytes(gunzip);
    profile = decodeWire(raw, onProgress && ((done, total) => onProgress('decoding', done, total)), maxBytes, owned);
  } catch (thrown) {
    const looks = thrown instanceof ProfileError ? sniffNotProfile(raw) : undefined;
    throw looks ? notAProfile(looks) : thrown;
  }
  // Arbitrary bytes sometimes decode as a protobuf with no fields at all.
  if (profile.sampleTypes.length === 0) {
    const looks = sniffNotProfile(raw);
    throw looks ? notAProfile(looks) : new ProfileError('parsing profile', 'no sample types found: this does not look like a pprof profile');
  }
  return profile;
}

function notAProfile(looks: string): ProfileError {
  return new ProfileError('parsing profile', `not a profile: this looks like ${looks}. ${READS}`);
}
