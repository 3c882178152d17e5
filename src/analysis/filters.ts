import { describeThrown, ProfileError } from '../model/errors.js';
import { isString, type OptionRule } from '../model/options.js';
import type { Profile } from '../model/profile.js';

/** pprof's sample filters; regexes are unanchored and match a frame's function or file name. */
export interface SampleFilters {
  /** Keep only samples with a frame matching this. */
  readonly focus?: string;
  /** Drop samples with a frame matching this. */
  readonly ignore?: string;
  /** Remove matching frames from stacks; flat moves to the next frame toward the root. */
  readonly hide?: string;
}

/** The filter options' checks, for every function that takes SampleFilters. */
export const FILTER_RULES = { focus: isString, ignore: isString, hide: isString } satisfies Record<keyof SampleFilters, OptionRule>;

/** Only the filters that were given, so reports echo exactly what the user asked for. */
export function pickFilters(options: SampleFilters): SampleFilters {
  const out: { focus?: string; ignore?: string; hide?: string } = {};
  if (options.focus) out.focus = options.focus;
  if (options.ignore) out.ignore = options.ignore;
  if (options.hide) out.hide = options.hide;
  return out;
}

/** Whether any filter is given (an empty one is none, as pickFilters reads it). */
export function hasFilters(filters: SampleFilters): boolean {
  return Boolean(filters.focus || filters.ignore || filters.hide);
}

/** A compiled name regex: `test` is an unanchored search, as pprof's Go regexp does. */
export interface NameMatcher {
  test(text: string): boolean;
}

/**
 * Where the regex must backtrack, names are matched on their first this many characters: a
 * profile's names are untrusted, and `.*X` over a 150,000-character name takes a backtracking
 * engine minutes. Real names (Go generics included) are far shorter.
 */
export const MAX_MATCH_CHARS = 1024;

/**
 * `what` names the regex in messages ("the focus option"). Compiles for V8's linear-time engine (the `l` flag) where the runtime offers it (the CLI
 * enables it) and the pattern allows it (no backreferences or lookaround); otherwise for the
 * backtracking engine, with names cut at MAX_MATCH_CHARS. Each distinct name is tested once.
 */
export function compileRegex(source: string, what: string): NameMatcher {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (thrown) {
    // The engine says "Invalid regular expression: /src/: Unterminated group": keep the reason.
    const message = describeThrown(thrown);
    const reason = message.slice(message.lastIndexOf(': ') + 2);
    throw new ProfileError('invalid option', `${what} ${JSON.stringify(source)} is not a valid regular expression: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`);
  }
  const linear = linearRegex(source);
  const cache = new Map<string, boolean>();
  return {
    test(text) {
      let hit = cache.get(text);
      if (hit === undefined) {
        hit = linear ? linear.test(text) : re.test(text.length > MAX_MATCH_CHARS ? text.slice(0, MAX_MATCH_CHARS) : text);
        cache.set(text, hit);
      }
      return hit;
    },
  };
}

function linearRegex(source: string): RegExp | null {
  try {
    return new RegExp(source, 'l');
  } catch {
    return null; // the engine lacks the flag, or the pattern needs backtracking
  }
}

const NONE = 0;
const FOCUS = 1;
const IGNORE = 2;
const HIDE = 4;

/** Per-frame filter bits, computed once per profile so the sample loop only reads a byte. */
export function frameFilterBits(profile: Profile, filters: SampleFilters): Uint8Array | null {
  const rules: Array<[NameMatcher, number]> = [];
  if (filters.focus) rules.push([compileRegex(filters.focus, 'the focus option'), FOCUS]);
  if (filters.ignore) rules.push([compileRegex(filters.ignore, 'the ignore option'), IGNORE]);
  if (filters.hide) rules.push([compileRegex(filters.hide, 'the hide option'), HIDE]);
  if (rules.length === 0) return null;
  const { frames, strings } = profile;
  const bits = new Uint8Array(frames.count);
  for (let f = 0; f < frames.count; f++) {
    const name = strings[frames.name[f]!]!;
    const file = strings[frames.file[f]!]!;
    let b = NONE;
    for (const [re, bit] of rules) if (re.test(name) || re.test(file)) b |= bit;
    bits[f] = b;
  }
  return bits;
}

/** Whether a sample survives focus/ignore, given its stack's frames. */
export function keepsSample(stack: Uint32Array, bits: Uint8Array, hasFocus: boolean): boolean {
  let focused = !hasFocus;
  for (let k = 0; k < stack.length; k++) {
    const b = bits[stack[k]!]!;
    if (b & IGNORE) return false;
    if (b & FOCUS) focused = true;
  }
  return focused;
}

export function isHidden(bits: Uint8Array | null, frame: number): boolean {
  return bits !== null && (bits[frame]! & HIDE) !== 0;
}
