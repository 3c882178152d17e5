/**
 * Go-exact number formatting and pprof's unit model (`internal/measurement`).
 *
 * Go's `%.2f` / `%.2g` round the exact binary value of a double and break exact ties to even,
 * while JS `toFixed` breaks ties up; byte values divided by 1024ⁿ are exact binary fractions,
 * so ties are common (1152 B = 1.125 kB prints as `1.12kB` in pprof). Everything here therefore
 * rounds with BigInt arithmetic on the double's exact mantissa and exponent.
 */

// ---------------------------------------------------------------------------------------------
// Exact decimal rounding

interface Decomposed {
  negative: boolean;
  /** |x| = mantissa · 2^exponent exactly. */
  mantissa: bigint;
  exponent: number;
}

const bitsView = new DataView(new ArrayBuffer(8));

function decompose(x: number): Decomposed {
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // Subnormals have no implicit leading 1 and a fixed exponent.
  if (biased === 0) return { negative, mantissa: fraction, exponent: -1074 };
  return { negative, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** n / d rounded to the nearest integer, exact ties to even (n, d ≥ 0). */
function divRoundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twiceR = (n % d) * 2n;
  if (twiceR > d || (twiceR === d && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function pow10(k: number): bigint {
  return 10n ** BigInt(k);
}

/** Go's spelling of the non-finite values, as both strconv and fmt print them. */
function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

function checkDigits(name: string, digits: number, min: number): void {
  if (!Number.isInteger(digits) || digits < min || digits > 1100) {
    throw new RangeError(`${name}: digits must be an integer in [${min}, 1100], got ${digits}`);
  }
}

/**
 * Go's `strconv.FormatFloat(x, 'f', digits, 64)` (what `fmt` prints for `%.<digits>f`):
 * the exact binary value rounded half-even. Negative zero keeps its sign (`-0.00`), as in Go.
 */
export function goFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  checkDigits('goFixed', digits, 0);
  const { negative, mantissa, exponent } = decompose(x);
  const scaled =
    exponent >= 0
      ? (mantissa << BigInt(exponent)) * pow10(digits)
      : divRoundHalfEven(mantissa * pow10(digits), 1n << BigInt(-exponent));
  let text = scaled.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, '0');
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return negative ? `-${text}` : text;
}

/**
 * The significant digits of |x| rounded to `prec` digits, with trailing zeros removed
 * (Go's `decimalSlice`): value = 0.d₁d₂… · 10^dp. Zero has no digits and dp = 0.
 */
function significantDigits(x: number, prec: number): { digits: string; dp: number } {
  const { mantissa, exponent } = decompose(x);
  if (mantissa === 0n) return { digits: '', dp: 0 };
  const num = exponent >= 0 ? mantissa << BigInt(exponent) : mantissa;
  const den = exponent >= 0 ? 1n : 1n << BigInt(-exponent);
  // e = floor(log10(num/den)) is k or k-1, where k is the difference in decimal lengths.
  const k = num.toString().length - den.toString().length;
  const atLeast10k = k >= 0 ? num >= den * pow10(k) : num * pow10(-k) >= den;
  let e = atLeast10k ? k : k - 1;
  const shift = prec - 1 - e;
  let q =
    shift >= 0
      ? divRoundHalfEven(num * pow10(shift), den)
      : divRoundHalfEven(num, den * pow10(-shift));
  // Rounding can carry into a new digit (9.96 → 10.0).
  if (q === pow10(prec)) {
    q = pow10(prec - 1);
    e += 1;
  }
  return { digits: q.toString().replace(/0+$/, ''), dp: e + 1 };
}

/** Go's `fmtE`: d.ddde±XX with at least two exponent digits. */
function formatE(digits: string, dp: number, prec: number): string {
  let out = digits[0] ?? '0';
  if (prec > 0) out += `.${digits.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = digits === '' ? 0 : dp - 1;
  const sign = exp < 0 ? '-' : '+';
  return `${out}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Go's `fmtF` on a digit string: integer part padded with zeros, then `prec` decimals. */
function formatF(digits: string, dp: number, prec: number): string {
  let out = dp > 0 ? digits.slice(0, dp).padEnd(dp, '0') : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dp + i - 1;
      out += j >= 0 && j < digits.length ? digits[j] : '0';
    }
  }
  return out;
}

/**
 * Go's `%.<prec>g` (`strconv.FormatFloat(x, 'g', prec, 64)`): `prec` significant digits rounded
 * half-even on the exact value, trailing zeros dropped, exponent form iff the decimal exponent
 * after rounding is < -4 or ≥ prec.
 */
export function goG(x: number, prec: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  checkDigits('goG', prec, 0);
  if (prec === 0) prec = 1; // as strconv does
  const { negative } = decompose(x);
  const { digits, dp } = significantDigits(Math.abs(x), prec);
  const nd = digits.length;
  // Mirrors strconv/ftoa.go formatDigits for %g with an explicit precision.
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  const exp = dp - 1;
  let text: string;
  if (exp < -4 || exp >= eprec) {
    text = formatE(digits, dp, Math.min(prec, nd) - 1);
  } else {
    const p = prec > dp ? nd : prec;
    text = formatF(digits, dp, Math.max(p - dp, 0));
  }
  return negative ? `-${text}` : text;
}

/** Go's `%.2g`: what pprof uses for percentages below 1%. */
export function goG2(x: number): string {
  return goG(x, 2);
}

/** Go's `%<width>s`: left-pads with spaces to `width` runes and never truncates. */
export function goPadLeft(text: string, width: number): string {
  let runes = 0;
  for (const _ of text) runes++;
  return runes >= width ? text : ' '.repeat(width - runes) + text;
}

// ---------------------------------------------------------------------------------------------
// Units (pprof internal/measurement, identical in Go 1.19 and current pprof)

/** `gcu` exists in pprof's tables (Google Compute Units); heap profiles only use bytes/count. */
export type UnitFamily = 'bytes' | 'time' | 'gcu' | 'count';

interface UnitDef {
  canonical: string;
  aliases: readonly string[];
  factor: number;
}

interface UnitTable {
  family: Exclude<UnitFamily, 'count'>;
  units: readonly UnitDef[];
  defaultUnit: UnitDef;
}

const NS_PER_SECOND = 1e9;

const UNIT_TABLES: readonly UnitTable[] = [
  {
    family: 'bytes',
    units: [
      { canonical: 'B', aliases: ['b', 'byte'], factor: 1 },
      { canonical: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { canonical: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { canonical: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { canonical: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { canonical: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { canonical: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    family: 'time',
    units: [
      { canonical: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      // 'μs' can never match: it is 3 UTF-8 bytes, so sniffing strips its 's' first (as in Go).
      { canonical: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { canonical: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { canonical: 's', aliases: ['s', 'sec', 'second'], factor: NS_PER_SECOND },
      { canonical: 'hrs', aliases: ['hour', 'hr'], factor: 3600 * NS_PER_SECOND },
    ],
    defaultUnit: { canonical: 's', aliases: [], factor: NS_PER_SECOND },
  },
  {
    family: 'gcu',
    units: [
      { canonical: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { canonical: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { canonical: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { canonical: 'GCU', aliases: ['gcu'], factor: 1 },
      { canonical: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { canonical: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { canonical: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { canonical: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { canonical: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: { canonical: 'GCU', aliases: [], factor: 1 },
  },
];

/** pprof's byte units, smallest first: the one table both printing and parsing sizes read. */
export const BYTE_UNITS: readonly { readonly unit: string; readonly factor: number }[] = UNIT_TABLES[0]!.units.map((u) => ({
  unit: u.canonical,
  factor: u.factor,
}));

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** pprof's sniffUnit: lower-case, and drop one trailing 's' if longer than 2 (UTF-8) bytes. */
function sniffUnit(table: UnitTable, unit: string): UnitDef | undefined {
  // Go lower-cases rune by rune; JS would turn 'İ' into two code points.
  let name = unit.replace(/\u0130/g, 'i').toLowerCase();
  if (utf8Length(name) > 2 && name.endsWith('s')) name = name.slice(0, -1);
  return table.units.find((u) => u.aliases.includes(name));
}

function findUnit(unit: string): { table: UnitTable; def: UnitDef } | undefined {
  for (const table of UNIT_TABLES) {
    const def = sniffUnit(table, unit);
    if (def !== undefined) return { table, def };
  }
  return undefined;
}

/** Which pprof unit family a sample-type unit belongs to; anything unknown is a plain count. */
export function unitFamily(unit: string): UnitFamily {
  return findUnit(unit)?.table.family ?? 'count';
}

/**
 * pprof's `measurement.Scale`: converts `value` (in `fromUnit`) to `toUnit`, or autoscales when
 * `toUnit` is `auto`/`minimum`. The returned unit is `''` for counts (nothing to print).
 */
export function scale(
  value: number,
  fromUnit: string,
  toUnit: string,
): { value: number; unit: string } {
  if (value < 0) {
    const positive = scale(-value, fromUnit, toUnit);
    return { value: -positive.value, unit: positive.unit };
  }
  const from = findUnit(fromUnit);
  if (from === undefined) {
    const bare = ['count', 'sample', 'unit', 'minimum', 'auto'].includes(toUnit);
    return { value, unit: bare ? '' : toUnit };
  }
  const { table } = from;
  // Same float operations as Go (multiply to base units, then divide), so results match bit for bit.
  const base = value * from.def.factor;
  if (toUnit === 'minimum' || toUnit === 'auto') {
    let factor = 0;
    let unit = '';
    for (const u of table.units) {
      if (u.factor >= factor && base / u.factor >= 1) {
        factor = u.factor;
        unit = u.canonical;
      }
    }
    if (factor !== 0) return { value: base / factor, unit };
    return { value: base / table.defaultUnit.factor, unit: table.defaultUnit.canonical };
  }
  const to = sniffUnit(table, toUnit) ?? table.defaultUnit;
  return { value: base / to.factor, unit: to.canonical };
}

/**
 * pprof's `measurement.ScaledLabel`: `%.2f` of the scaled value, a trailing `.00` removed,
 * and anything that prints as zero shown as a bare `0` (`1536 B` → `1.50kB`, `1024` → `1kB`).
 */
export function scaledLabel(value: number, unit: string, to = 'auto'): string {
  const scaled = scale(value, unit, to);
  let text = goFixed(scaled.value, 2);
  if (text.endsWith('.00')) text = text.slice(0, -3);
  if (text === '0' || text === '-0') return '0';
  return text + scaled.unit;
}

/**
 * pprof's `measurement.Percentage`, padded to width 5 like Go's `%5.2f%%` / `%5.2g%%`
 * (`17.24%`, `  0.1%`, `1e-05%`, `  100%` for anything within ±0.05 of 100).
 */
export function percentage(value: number, total: number): string {
  // Double-precision division first, exactly as Go's float64(value)/float64(total).
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goPadLeft(goFixed(ratio, 2), 5)}%`;
  return `${goPadLeft(goG2(ratio), 5)}%`;
}

// ---------------------------------------------------------------------------------------------
// heapdiff's own presentation of deltas

/**
 * A delta as a scaled label with an explicit sign: `+5.50MB`, `-512kB`, and `0` when it prints
 * as zero. `to` works as in {@link scaledLabel}, so a report can keep one unit for all columns.
 */
export function formatSigned(value: number, unit: string, to = 'auto'): string {
  const label = scaledLabel(value, unit, to);
  if (label === '0' || label.startsWith('-')) return label;
  return `+${label}`;
}

/**
 * A delta relative to a base as a signed percentage with at most 3 significant digits
 * (`+12.5%`, `-0.05%`), or whole percents once it reaches 1000 (`+2844%`). Ratios below 0.01%
 * print as `+<0.01%`. Returns `null` when there is no base
 * (`total` 0) so the caller can print `new` or similar. The sign follows `value`, not `total`.
 */
export function formatPercentSigned(value: number, total: number): string | null {
  if (total === 0) return null;
  const ratio = (value / Math.abs(total)) * 100;
  if (!Number.isFinite(ratio)) return null;
  if (ratio === 0) return '0%';
  const magnitude = Math.abs(ratio);
  // Below a hundredth of a percent the digits are noise to a reader; say so instead.
  if (magnitude < 0.01) return `${ratio < 0 ? '-' : '+'}<0.01%`;
  let text = goG(magnitude, 3);
  // %.3g switches to e+03 at 1000; whole percents read better there.
  if (text.includes('e+')) text = goFixed(magnitude, 0);
  return `${ratio < 0 ? '-' : '+'}${text}%`;
}
