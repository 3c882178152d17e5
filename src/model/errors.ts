/** The stage a ProfileError names: what heapdiff was doing when the input turned out bad. */
export type ProfileErrorStep =
  | 'reading profile'
  | 'decompressing profile'
  | 'parsing profile'
  | 'malformed profile'
  | 'selecting sample type'
  | 'comparing profiles'
  | 'selecting functions'
  | 'invalid option'
  | 'invalid arguments';

/**
 * The one error type the library throws for bad input. `step` names the stage that failed
 * so a user sees "decompressing profile: …" rather than a codec's internal message; the
 * message is `step: detail`.
 */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  readonly step: ProfileErrorStep;
  readonly detail: string;

  constructor(step: ProfileErrorStep, detail: string) {
    super(`${step}: ${detail}`);
    this.step = step;
    this.detail = detail;
  }
}

/** Turns anything thrown by a third-party codec into a one-line detail. */
export function describeThrown(thrown: unknown): string {
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  const firstLine = text.split('\n', 1)[0] ?? '';
  return firstLine.trim() || 'unknown error';
}

/**
 * A profile string for an error message: as it is when it is a plain identifier or path
 * (`inuse_space`, `bytes`), else JSON-quoted, so a message stays one line and shows where an odd
 * name (with spaces, quotes or line breaks) begins and ends.
 */
export function quoteName(text: string): string {
  return /^[\w./@+-]+$/.test(text) ? text : JSON.stringify(text);
}
