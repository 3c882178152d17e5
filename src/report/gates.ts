import { parseSize } from '../format/size.js';
import { formatPercentSigned, scaledLabel, unitFamily } from '../format/units.js';
import { ProfileError, quoteName } from '../model/errors.js';
import { criticalValue } from '../stats/difference.js';
import { arrayOf, checkOptions, isBoolean, type OptionRule } from '../model/options.js';
import type { ValueType } from '../model/profile.js';

/**
 * Growth gates for CI: `total>10MB`, `site>=512kB`, `total>5%`, `site>50%`, `site>1000` (a count,
 * or bytes), `leaks>0`. What a rule measures:
 * - total: the net change of the whole profile (current − base); a percentage is of the base total;
 * - site: each site's flat change; a percentage is of that site's own base flat value, and a site
 *   new in current counts as infinite growth (pair such a rule with a size rule);
 * - leaks: how many sites a trend calls a leak.
 * A total or site rule counts only growth that is beyond sampling noise (the row's `significant`)
 * unless the rule is `raw` (`--fail-on-raw`): then every change counts, as heapdiff 0.1 did.
 */
export interface GateRule {
  /** The rule as written, for messages. */
  readonly text: string;
  readonly subject: 'total' | 'site' | 'leaks';
  readonly op: '>' | '>=';
  readonly amount: number;
  /** 'size' needs a bytes sample type; 'plain' is in the sample type's base unit. */
  readonly kind: 'size' | 'plain' | 'percent';
  /** Count every change, significant or not (`--fail-on-raw`, `--warn-on-raw`). */
  readonly raw?: boolean;
}

/** A rule as parseGateRule makes it (or an object of the same shape). */
function isGateRule(value: unknown): boolean {
  const r = value as Partial<GateRule> | null;
  return (
    typeof r === 'object' && r !== null && typeof r.text === 'string' && ['total', 'site', 'leaks'].includes(r.subject as string) &&
    (r.op === '>' || r.op === '>=') && typeof r.amount === 'number' && ['size', 'plain', 'percent'].includes(r.kind as string)
  );
}

/** The gate options' checks, for every report that takes GateOptions. */
export const GATE_RULES = {
  failOn: arrayOf('growth rules from parseGateRule', isGateRule),
  warnOn: arrayOf('growth rules from parseGateRule', isGateRule),
} satisfies Record<keyof GateOptions, OptionRule>;

const RULE = /^\s*(total|site|leaks)\s*(>=|>)\s*(\S+?)\s*$/;

/** Parses one rule; fails before any profile is read, so a typo never passes a gate silently. */
export function parseGateRule(text: string, options: { raw?: boolean } = {}): GateRule {
  checkOptions(options, { raw: isBoolean });
  const rule = parseRuleText(text);
  return options.raw ? { ...rule, raw: true } : rule;
}

function parseRuleText(text: string): GateRule {
  const m = RULE.exec(text);
  const fail = (why: string) =>
    new ProfileError('invalid option', `bad growth rule ${JSON.stringify(text)}: ${why}`);
  if (!m) throw fail('expected total>AMOUNT, site>AMOUNT (also >=) or leaks>N, e.g. total>10MB, site>=512kB, total>5%, leaks>0');
  const [, subject, op, amountText] = m as unknown as [string, GateRule['subject'], '>' | '>=', string];
  if (subject === 'leaks' && !/^\d+$/.test(amountText)) throw fail('leaks counts sites with a leak verdict: give a whole number, e.g. leaks>0');
  if (amountText.endsWith('%')) {
    const amount = Number(amountText.slice(0, -1));
    if (amountText.length === 1 || !Number.isFinite(amount) || amount < 0) throw fail('the percentage is not a number ≥ 0');
    return { text: text.trim(), subject, op, amount, kind: 'percent' };
  }
  if (/^\d+$/.test(amountText)) return { text: text.trim(), subject, op, amount: Number(amountText), kind: 'plain' };
  try {
    return { text: text.trim(), subject, op, amount: parseSize(amountText), kind: 'size' };
  } catch (thrown) {
    throw fail((thrown as Error).message);
  }
}

/**
 * What a gate reads: the report's totals and every changed site (not only the rows shown); for a
 * trend, the first and last snapshots and how many sites leak.
 */
export interface GateInput {
  readonly sampleType: ValueType;
  readonly baseTotal: number | null;
  readonly currentTotal: number;
  readonly sites: ReadonlyArray<{
    name: string;
    file: string;
    line: number;
    flat: number;
    baseFlat: number | null;
    /** 1σ sampling error of `flat`; null or absent when unknown. */
    error?: number | null;
    /** Whether `flat` is beyond sampling noise; absent means yes (no verdict: every change counts). */
    significant?: boolean;
  }>;
  /** Sites with a leak verdict; undefined where there is no verdict (top). */
  readonly leaks?: number;
  /** The confidence of the verdicts, for the ± in messages (default 0.95). */
  readonly confidence?: number;
  /** The total change's error and verdict; absent or null: every change counts. */
  readonly total?: { error: number | null; significant: boolean } | null;
}

/** One change past a gate rule: which rule, where, by how much, and the message the CLI prints. */
export interface GateBreach {
  /** The rule as written (`site>10MB`, `total>5%`, `leaks>0`, …). */
  readonly rule: string;
  /** The site that breached a site rule; null for total rules. */
  readonly site: { name: string; file: string; line: number } | null;
  /** The change that breached it, in the sample type's base unit. */
  readonly change: number;
  /** The change relative to its base, in percent; null where there is no base, Infinity for new sites. */
  readonly percent: number | null;
  /** One line saying what breached which rule, for a log or an annotation. */
  readonly message: string;
}

/** A set of rules evaluated against one report: what breached, and whether they all passed. */
export interface GateResult {
  /** The rules evaluated, as written. */
  readonly rules: readonly string[];
  /** Changes past a rule that count (beyond sampling noise, or every change for raw rules). */
  readonly breaches: readonly GateBreach[];
  /** Changes past a rule's amount that are within sampling noise, so they did not count. */
  readonly withinNoise: readonly GateBreach[];
  /** No breach. */
  readonly passed: boolean;
}

/** --fail-on rules fail a CI job (exit 1); --warn-on rules only warn. */
export interface Gates {
  readonly failOn: GateResult;
  readonly warnOn: GateResult;
}

/** Gate rules a report evaluates: `failOn` rules fail a CI job, `warnOn` rules only warn. */
export interface GateOptions {
  readonly failOn?: readonly GateRule[];
  readonly warnOn?: readonly GateRule[];
}

/** Both rule sets against one input; null when no rule was given. */
export function evaluateGateOptions(options: GateOptions, input: () => GateInput): Gates | null {
  if (!options.failOn?.length && !options.warnOn?.length) return null;
  const read = input();
  return { failOn: evaluateGates(options.failOn ?? [], read), warnOn: evaluateGates(options.warnOn ?? [], read) };
}

/**
 * Evaluates `rules` against one report's numbers. Throws ProfileError when a rule does not fit
 * the report: a size rule on a count profile, a percentage without a base, `leaks` outside trend.
 */
export function evaluateGates(rules: readonly GateRule[], input: GateInput): GateResult {
  const unit = input.sampleType.unit;
  for (const rule of rules) {
    if (rule.kind === 'size' && unitFamily(unit) !== 'bytes') {
      throw new ProfileError('invalid option', `growth rule ${rule.text} gives a size, but ${quoteName(input.sampleType.type)} counts ${quoteName(unit)}: give a plain number`);
    }
    if (rule.kind === 'percent' && input.baseTotal === null) {
      throw new ProfileError('invalid option', `growth rule ${rule.text} is relative to a base, but only one profile was given`);
    }
    if (rule.subject === 'leaks' && input.leaks === undefined) {
      throw new ProfileError('invalid option', `growth rule ${rule.text} counts leak verdicts, which only trend gives`);
    }
  }
  const breaches: GateBreach[] = [];
  const withinNoise: GateBreach[] = [];
  const z = criticalValue(input.confidence ?? 0.95);
  // No bar where the error is unknown, or 0 (profiles that are not sampled).
  const bar = (error: number | null | undefined) => (error ? ` ± ${scaledLabel(z * error, unit)}` : '');
  const record = (rule: GateRule, breach: GateBreach, significant: boolean | undefined) => {
    if (rule.raw || significant !== false) breaches.push(breach);
    else withinNoise.push({ ...breach, message: `${breach.message}: within sampling noise, not counted` });
  };
  for (const rule of rules) {
    if (rule.subject === 'leaks') {
      const leaks = input.leaks!;
      if (rule.op === '>' ? leaks > rule.amount : leaks >= rule.amount) {
        const message = `${rule.text}: ${leaks} site${leaks === 1 ? '' : 's'} leak`;
        breaches.push({ rule: rule.text, site: null, change: leaks, percent: null, message });
      }
      continue;
    }
    if (rule.subject === 'total') {
      const change = input.currentTotal - (input.baseTotal ?? 0);
      const breach = check(rule, change, input.baseTotal, unit, 'the total', bar(input.total?.error));
      if (breach) record(rule, { ...breach, site: null }, input.total?.significant);
      continue;
    }
    for (const s of input.sites) {
      const where = s.line > 0 ? `${s.name} (${s.file}:${s.line})` : s.name;
      const breach = check(rule, s.flat, s.baseFlat, unit, where, bar(s.error));
      if (breach) record(rule, { ...breach, site: { name: s.name, file: s.file, line: s.line } }, s.significant);
    }
  }
  return { rules: rules.map((r) => (r.raw ? `${r.text} (raw)` : r.text)), breaches, withinNoise, passed: breaches.length === 0 };
}

/** A breach of `rule` by `change` (relative to `base`, null for a single profile), or null. */
function check(rule: GateRule, change: number, base: number | null, unit: string, what: string, errorBar: string): Omit<GateBreach, 'site'> | null {
  const percent = base === null ? null : relative(change, base);
  const value = rule.kind === 'percent' ? percent : change;
  if (value === null || !(rule.op === '>' ? value > rule.amount : value >= rule.amount)) return null;
  let message: string;
  if (base === null) {
    message = `${what} is ${scaledLabel(change, unit)}${errorBar}`;
  } else {
    const size = scaledLabel(Math.abs(change), unit);
    const how = base === 0 ? 'new' : `${formatPercentSigned(change, base)} of ${scaledLabel(base, unit)}`;
    message = `${what} ${change >= 0 ? 'grew by' : 'shrank by'} ${size}${errorBar} (${how})`;
  }
  return { rule: rule.text, change, percent, message: `${rule.text}: ${message}` };
}

function relative(change: number, base: number): number {
  if (base === 0) return change > 0 ? Infinity : change < 0 ? -Infinity : 0;
  return (change / Math.abs(base)) * 100;
}
