import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { ProfileError } from '../model/errors.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { parseGateRule } from './gates.js';
import { top } from './top.js';

// Period 1: not sampled, so every change is exact and the rules' arithmetic is all that is tested.
const parse = (samples: ReturnType<typeof heap>[]) => parseProfile(encodeProfile({ samples, period: 1 }));
// base total 1000 B; current total 3100 B: `grow` +1500 B (+300%), `fresh` new with 600 B.
const base = parse([heap(['grow@/a.go:1'], 500), heap(['steady@/a.go:2'], 500)]);
const current = parse([heap(['grow@/a.go:1'], 2000), heap(['steady@/a.go:2'], 500), heap(['fresh@/a.go:3'], 600)]);
const diff = diffProfiles(base, current);

const breachedBy = (...rules: string[]) =>
  top(diff, { failOn: rules.map((r) => parseGateRule(r)), nodeCount: 1 }).gates!.failOn.breaches.map((b) => `${b.rule} ${b.site?.name ?? 'total'}`);

describe('growth gates', () => {
  it('parses sizes (powers of 1024), plain numbers and percentages', () => {
    expect(parseGateRule('site>1.5kB')).toMatchObject({ subject: 'site', op: '>', amount: 1536, kind: 'size' });
    expect(parseGateRule(' total >= 10MB ')).toMatchObject({ subject: 'total', op: '>=', amount: 10 * 2 ** 20, kind: 'size' });
    expect(parseGateRule('site>1000')).toMatchObject({ amount: 1000, kind: 'plain' });
    expect(parseGateRule('total>5%')).toMatchObject({ amount: 5, kind: 'percent' });
  });

  it.each(['sites>1MB', 'total<1MB', 'total>', 'total>%', 'total>-5%', 'site>12XB', 'site>1e3'])('refuses %s with one line', (rule) => {
    expect(() => parseGateRule(rule)).toThrow(ProfileError);
    expect(() => parseGateRule(rule)).toThrow(/^invalid option: bad growth rule "[^\n]+$/);
  });

  it('size rules: breached above the amount, > and >= at the boundary', () => {
    expect(breachedBy('site>1kB')).toEqual(['site>1kB grow']);
    expect(breachedBy('site>1500', 'site>=1500')).toEqual(['site>=1500 grow']);
    expect(breachedBy('site>2kB')).toEqual([]);
    expect(breachedBy('total>2kB')).toEqual(['total>2kB total']);
    expect(breachedBy('total>=2100', 'total>2100')).toEqual(['total>=2100 total']);
  });

  it('percent rules: total relative to the base total, site to its own base, new sites infinite', () => {
    expect(breachedBy('total>200%')).toEqual(['total>200% total']);
    expect(breachedBy('total>210%')).toEqual([]);
    expect(breachedBy('site>250%')).toEqual(['site>250% grow', 'site>250% fresh']);
    expect(breachedBy('site>1000%')).toEqual(['site>1000% fresh']);
  });

  it('reads every changed site, not only the rows kept by nodeCount', () => {
    const report = top(diff, { failOn: [parseGateRule('site>500')], nodeCount: 1 });
    expect(report.rows).toHaveLength(1);
    expect(report.gates!.failOn.breaches.map((b) => b.site?.name)).toEqual(['grow', 'fresh']);
  });

  it('warn-on rules are kept apart from fail-on rules', () => {
    const gates = top(diff, { failOn: [parseGateRule('total>1MB')], warnOn: [parseGateRule('site>1kB')] }).gates!;
    expect(gates.failOn.passed).toBe(true);
    expect(gates.warnOn.breaches).toHaveLength(1);
    expect(gates.warnOn.breaches[0]!.message).toBe('site>1kB: grow grew by 1.46kB (+300% of 500B)');
  });

  it('counts for object types; sizes there and percentages without a base are refused', () => {
    const objects = top(diff, { sampleIndex: 'inuse_objects', failOn: [parseGateRule('site>=1')] }).gates!.failOn;
    expect(objects.breaches.map((b) => b.site?.name)).toEqual(['fresh']);
    expect(() => top(diff, { sampleIndex: 'inuse_objects', failOn: [parseGateRule('site>1MB')] })).toThrow(
      /growth rule site>1MB gives a size, but inuse_objects counts count: give a plain number/,
    );
    expect(() => top(current, { failOn: [parseGateRule('total>5%')] })).toThrow(/relative to a base, but only one profile/);
    expect(top(current, { failOn: [parseGateRule('total>3kB')] }).gates!.failOn.breaches[0]!.message).toBe('total>3kB: the total is 3.03kB');
  });
});

describe('gates count only growth beyond sampling noise', () => {
  // Sampled every 512 KiB, 64-byte objects: a site of B bytes has a 1σ error of about √(R·B).
  const small = (stack: string, bytes: number) => ({ stack: [stack], values: [bytes / 64, bytes, bytes / 64, bytes] });
  const sampled = (samples: ReturnType<typeof small>[]) => parseProfile(encodeProfile({ samples, period: 512 * 1024 }));
  const MiB = 2 ** 20;
  const noisy = diffProfiles(
    sampled([small('leak@/a.go:1', 8 * MiB), small('noise@/a.go:2', 8 * MiB)]),
    sampled([small('leak@/a.go:1', 48 * MiB), small('noise@/a.go:2', 8.5 * MiB)]),
  );

  it('a large, significant growth breaches and says its error bar; a within-noise one is set aside', () => {
    const gates = top(noisy, { failOn: [parseGateRule('site>100kB')] }).gates!.failOn;
    expect(gates.breaches.map((b) => b.site?.name)).toEqual(['leak']);
    expect(gates.breaches[0]!.message).toMatch(/^site>100kB: leak grew by 40MB ± [\d.]+MB \(\+500% of 8MB\)$/);
    expect(gates.withinNoise.map((b) => b.site?.name)).toEqual(['noise']);
    expect(gates.withinNoise[0]!.message).toMatch(/noise grew by 512kB ± [\d.]+MB .*: within sampling noise, not counted$/);
  });

  it('raw rules count every change, as before', () => {
    const gates = top(noisy, { failOn: [parseGateRule('site>100kB', { raw: true })] }).gates!.failOn;
    expect(gates.breaches.map((b) => b.site?.name)).toEqual(['leak', 'noise']);
    expect(gates.rules).toEqual(['site>100kB (raw)']);
  });

  it('the total is tested too', () => {
    const quiet = diffProfiles(sampled([small('a@/a.go:1', 8 * MiB)]), sampled([small('a@/a.go:1', 9 * MiB)]));
    expect(top(quiet, { failOn: [parseGateRule('total>100kB')] }).gates!.failOn.passed).toBe(true);
    expect(top(quiet, { failOn: [parseGateRule('total>100kB', { raw: true })] }).gates!.failOn.passed).toBe(false);
  });
});
