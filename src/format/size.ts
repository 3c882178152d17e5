import { BYTE_UNITS } from './units.js';

/**
 * Parsing of human-written sizes and durations for CLI rules and limits.
 *
 * Sizes follow pprof's convention: kB, MB, GB, TB are powers of 1024 (so `10MB` in a rule means
 * what pprof prints as `10MB`); the IEC spellings KiB, MiB, … are accepted as synonyms.
 */

/** Sizes a user writes reach TB: a petabyte limit is a typo. */
const PARSED_UNITS = BYTE_UNITS.filter((u) => u.factor <= 2 ** 40);

/** Each unit of pprof's byte table as written (`MB`), by its letter (`M`) and in IEC form (`MiB`). */
const SIZE_FACTORS: Readonly<Record<string, number>> = Object.fromEntries([
  ['', 1],
  ...PARSED_UNITS.flatMap(({ unit, factor }) => {
    const name = unit.toLowerCase();
    return factor === 1 ? [[name, factor]] : [[name, factor], [name[0]!, factor], [`${name[0]}ib`, factor]];
  }),
]);

// Plain decimal only: exponents would be ambiguous next to unit letters.
const SIZE_PATTERN = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i;

/**
 * Parses `512`, `512B`, `1.5kB`, `10MB`, `1.5GiB`, `2 GB` into an integer number of bytes
 * (rounded to nearest). Units are case-insensitive. Throws an `Error` on anything else.
 */
export function parseSize(text: string): number {
  const match = SIZE_PATTERN.exec(text.trim());
  const factor = match ? SIZE_FACTORS[(match[2] ?? '').toLowerCase()] : undefined;
  const bytes = match && factor !== undefined ? Math.round(Number(match[1]) * factor) : NaN;
  if (!Number.isSafeInteger(bytes)) {
    throw new Error(
      `invalid size ${JSON.stringify(text)}: expected a number with an optional unit ${PARSED_UNITS.map((u) => u.unit).join(', ')} (powers of 1024)`,
    );
  }
  return bytes;
}

const DURATION_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign, as Go accepts
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

// Go's time.ParseDuration syntax (without a sign): one or more <decimal><unit> terms.
const DURATION_TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;

/**
 * Parses Go-style durations (`30s`, `5m`, `1h`, `500ms`, `1h30m`, `1.5h`, and a bare `0`) into
 * milliseconds. Units are case-sensitive as in Go, so `5M` is rejected rather than guessed.
 */
export function parseDuration(text: string): number {
  const input = text.trim();
  // Summed in whole nanoseconds like Go, so `1.1s` is 1100 ms rather than 1100.0000000000002.
  let ns = input === '0' ? 0 : NaN;
  if (input !== '0' && input !== '') {
    ns = 0;
    DURATION_TERM.lastIndex = 0;
    let end = 0;
    for (let m = DURATION_TERM.exec(input); m !== null; m = DURATION_TERM.exec(input)) {
      ns += Math.round(Number(m[1]) * (DURATION_NS[m[2] ?? ''] ?? NaN));
      end = DURATION_TERM.lastIndex;
    }
    if (end !== input.length) ns = NaN;
  }
  if (!Number.isFinite(ns)) {
    throw new Error(
      `invalid duration ${JSON.stringify(text)}: expected a number with a unit ns, us, ms, s, m, h (e.g. 30s, 1h30m, 500ms)`,
    );
  }
  return ns / 1e6;
}
