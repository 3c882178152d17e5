import { ProfileError } from './errors.js';

/**
 * The library's edge: every public function checks its options here, so a wrong value fails
 * with the option's name and what it may be, instead of a wrong report or a TypeError later.
 * Messages say "the X option"; the CLI names its own flag instead (cli/flag-names.ts).
 */
export type OptionRule = (value: unknown, name: string) => void;
export type OptionRules = Readonly<Record<string, OptionRule>>;

/** Throws for an unknown key or a value its rule refuses; undefined values mean "not given". */
export function checkOptions(options: unknown, rules: OptionRules): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ProfileError('invalid option', `options must be an object, not ${show(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    const rule = rules[key];
    if (rule === undefined) {
      throw new ProfileError('invalid option', `unknown option ${JSON.stringify(key)}: the options are ${Object.keys(rules).join(', ')}`);
    }
    if (value !== undefined) rule(value, key);
  }
}

/** The error for a value an option does not take. */
export function invalidOption(name: string, wanted: string, value: unknown): ProfileError {
  return new ProfileError('invalid option', `the ${name} option must be ${wanted}, not ${show(value)}`);
}

export function oneOf(values: readonly string[]): OptionRule {
  return (value, name) => {
    if (typeof value !== 'string' || !values.includes(value)) throw invalidOption(name, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
  };
}

/** A whole number from `min` up to `max` (unbounded by default); `infinite` also allows Infinity. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, infinite = false): OptionRule {
  return (value, name) => {
    if (infinite && value === Infinity) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw invalidOption(name, `a whole number ${range}${infinite ? ' (or Infinity)' : ''}`, value);
    }
  };
}

/** A finite number in [min, max]; `above` makes the lower bound exclusive. */
export function numberIn(min: number, max: number, above = false): OptionRule {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (above && value === min)) {
      const range = max === Infinity ? `${above ? '>' : '≥'} ${min}` : `from ${min} to ${max}`;
      throw invalidOption(name, `a number ${range}`, value);
    }
  };
}

/** A finite number (the function checks its range where the range needs other options). */
export const isNumber: OptionRule = (value, name) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidOption(name, 'a finite number', value);
};

export const isString: OptionRule = (value, name) => {
  if (typeof value !== 'string') throw invalidOption(name, 'a string', value);
};

export const isBoolean: OptionRule = (value, name) => {
  if (typeof value !== 'boolean') throw invalidOption(name, 'true or false', value);
};

export const isFunction: OptionRule = (value, name) => {
  if (typeof value !== 'function') throw invalidOption(name, 'a function', value);
};

export function arrayOf(what: string, item: (value: unknown) => boolean = () => true): OptionRule {
  return (value, name) => {
    if (!Array.isArray(value) || !value.every(item)) throw invalidOption(name, `an array of ${what}`, value);
  };
}

/** An object whose keys follow `rules` (e.g. `sources: { base, current }`); `required` keys must be there. */
export function objectOf(what: string, rules: OptionRules, required = false): OptionRule {
  return (value, name) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidOption(name, what, value);
    for (const [key, rule] of Object.entries(rules)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) rule(v, `${name}.${key}`);
      else if (required) throw invalidOption(name, what, value);
    }
  };
}

/** A sample type by name, or by index as a whole number ≥ 0 (the profile checks the range). */
export const sampleSelector: OptionRule = (value, name) => {
  if (typeof value === 'string') return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalidOption(name, "a sample type's name or index (a whole number ≥ 0)", value);
};

/** A value as a message quotes it: strings quoted, everything on one line. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
