import { ProfileError } from '../model/errors.js';

/** The ProfileError `fn` throws; anything else thrown, or nothing, fails the test. */
export function profileErrorFrom(fn: () => unknown): ProfileError {
  try {
    fn();
  } catch (thrown) {
    if (thrown instanceof ProfileError) return thrown;
    throw new Error(`expected a ProfileError, got ${String(thrown)}`);
  }
  throw new Error('expected a ProfileError, but nothing was thrown');
}
