import { ProfileError } from '../model/errors.js';

/**
 * --max-profile-size bounds the memory a decode takes, not only the bytes it reads: a few MB of
 * gzip can inflate to packed location ids that expand into billions of stack entries. The
 * decoded stacks and values may take at most as many bytes as the cap, counted as they are
 * stored: 8 bytes per location id and value read, 4 per expanded frame. Real profiles need
 * 1-4.3 bytes per byte of protobuf (measured on Go heap, CPU, deep-recursion and Node profiles),
 * so any real profile up to a quarter of the cap decodes.
 */
export const ENTRY_BYTES = 8;
export const FRAME_BYTES = 4;

export function overBudget(maxBytes: number): ProfileError {
  return new ProfileError(
    'parsing profile',
    `its stacks and values need more than ${maxBytes} bytes of memory (8 per location id and value, 4 per expanded frame): raise the maxBytes option if this is genuine`,
  );
}
