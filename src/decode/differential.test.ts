import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { committedProfiles } from '../test-support/committed-profiles.js';
import { GO_HEAP_TYPES, buildProfile, type ProfileSpec, type SampleSpec } from '../test-support/build-profile.js';
import { canonical, modelProblems } from '../test-support/canonical.js';
import { knownFieldsOf } from '../test-support/wire-oracle.js';
import { wireProfile } from '../test-support/arbitrary-wire.js';
import { decodeWithPprofFormat } from '../test-support/reference-decoder.js';
import { decodeWire } from './wire-decoder.js';

/**
 * The wire decoder against the reference (pprof-format + normalise): on every committed profile,
 * generated ones and mutated bytes, both give the same model or both refuse with a ProfileError.
 * pprof-format is lax about framing (wire-oracle.ts): where the framing is broken only the wire
 * decoder's refusal is checked, and unknown fields are stripped before pprof-format sees them.
 */

type Outcome = { model: ReturnType<typeof canonical> } | { error: ProfileError };

function outcome(decode: () => Profile): Outcome {
  try {
    const profile = decode();
    // parseProfile's own check, shared by both decoders.
    if (profile.sampleTypes.length === 0) return { error: new ProfileError('parsing profile', 'no sample types found') };
    return { model: canonical(profile) };
  } catch (thrown) {
    if (!(thrown instanceof ProfileError)) throw thrown;
    expect(thrown.message).not.toContain('\n');
    return { error: thrown };
  }
}

function expectAgreement(raw: Uint8Array): void {
  const wire = outcome(() => {
    const profile = decodeWire(raw);
    expect(modelProblems(profile)).toEqual([]);
    return profile;
  });
  // Whatever pprof-format makes of the raw bytes, the reference path may only throw ProfileError.
  outcome(() => decodeWithPprofFormat(raw));
  const known = knownFieldsOf(raw);
  if (known === null) {
    expect(wire, 'broken framing must be refused').toHaveProperty('error');
    return;
  }
  const reference = outcome(() => decodeWithPprofFormat(known));
  if ('error' in wire || 'error' in reference) {
    expect('error' in wire && 'error' in reference, `wire: ${summary(wire)}; reference: ${summary(reference)}`).toBe(true);
  } else {
    expect(wire.model).toEqual(reference.model);
  }
}

const summary = (o: Outcome): string => ('error' in o ? o.error.message : 'a profile');

const committed = committedProfiles();

// Generated profiles: shapes from build-profile's one-line stack specs.
const frame = fc
  .tuple(fc.constantFrom('main.a', 'main.(*T).b', 'runtime.mallocgc', 'pkg/ü.f'), fc.constantFrom('/a.go', '/b/c.go', ''), fc.nat(500))
  .map(([fn, file, line]) => `${fn}@${file}:${line}`);
const location = fc.oneof(
  { weight: 6, arbitrary: frame },
  { weight: 2, arbitrary: fc.array(frame, { minLength: 2, maxLength: 3 }).map((inlined) => inlined.join(' + ')) },
  { weight: 1, arbitrary: fc.constantFrom('?1', '?2') },
);
const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1000, max: 1 << 30 }) },
  { weight: 2, arbitrary: fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 53n, -(2n ** 63n), 2n ** 63n - 1n) },
);
const labels = fc.constantFrom<SampleSpec['labels']>(undefined, { 'pprof::base': 'true' }, { 'pprof::base': 'false' }, { bytes: '512' });
const types = fc.constantFrom<ProfileSpec['sampleTypes']>(GO_HEAP_TYPES, [['inuse_objects', 'count'], ['inuse_space', 'bytes']], [['samples', 'count']]);

const spec: fc.Arbitrary<ProfileSpec> = types.chain((sampleTypes) =>
  fc.record({
    sampleTypes: fc.constant(sampleTypes),
    samples: fc.array(
      fc.record({
        stack: fc.array(location, { maxLength: 8 }),
        // Mostly the right number of values; now and then one too many.
        values: fc
          .oneof({ weight: 19, arbitrary: fc.constant(sampleTypes!.length) }, { weight: 1, arbitrary: fc.constant(sampleTypes!.length + 1) })
          .chain((n) => fc.array(value, { minLength: n, maxLength: n })),
        labels,
      }),
      { maxLength: 12 },
    ),
    timeNanos: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    period: fc.nat(1 << 20),
    defaultSampleType: fc.constantFrom(undefined, 'inuse_space', 'samples', 'missing'),
    mapping: fc.constantFrom('/bin/app', '', 'C:\\app.exe'),
    addresses: fc.constant({ '?1': 0x4a10f0, '?2': 0 }),
  }),
) as fc.Arbitrary<ProfileSpec>;

const encode = (s: ProfileSpec): Uint8Array => buildProfile(s).encode();

// 'tweak' keeps a byte's continuation bit, so varints keep their length and framing mostly holds.
type Mutation = readonly ['tweak' | 'flip' | 'insert' | 'truncate' | 'delete', number, number];
const mutation: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('tweak', 'tweak', 'flip', 'insert', 'truncate', 'delete'), fc.nat(), fc.nat(255));

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let out = Array.from(bytes);
  for (const [kind, where, byte] of mutations) {
    const at = out.length === 0 ? 0 : where % out.length;
    if (kind === 'tweak') out[at] = (out[at]! & 0x80) | (byte & 0x7f);
    else if (kind === 'flip') out[at] = byte;
    else if (kind === 'insert') out.splice(at, 0, byte, (byte * 7) & 0xff);
    else if (kind === 'truncate') out = out.slice(0, at);
    else out.splice(at, 1 + (byte % 4));
  }
  return Uint8Array.from(out);
}

describe('wire decoder vs reference decoder', () => {
  it.each(committed.map((c) => [c.path, c.raw] as const))('agrees on %s', (_, raw) => {
    expectAgreement(raw);
    expect('model' in outcome(() => decodeWire(raw))).toBe(true);
  });

  it('agrees on generated profiles', () => {
    fc.assert(fc.property(spec, (s) => expectAgreement(encode(s))), { numRuns: 80 });
  });

  it('agrees on mutated generated profiles', () => {
    fc.assert(fc.property(spec, fc.array(mutation, { minLength: 1, maxLength: 3 }), (s, m) => expectAgreement(mutate(encode(s), m))), {
      numRuns: 120,
    });
  });

  it('agrees on profiles written field by field', () => {
    fc.assert(fc.property(wireProfile, expectAgreement), { numRuns: 250 });
  });

  it('agrees on mutated profiles written field by field', () => {
    fc.assert(fc.property(wireProfile, fc.array(mutation, { minLength: 1, maxLength: 2 }), (raw, m) => expectAgreement(mutate(raw, m))), {
      numRuns: 120,
    });
  });

  it('agrees on mutated committed profiles', () => {
    fc.assert(
      fc.property(fc.nat(committed.length - 1), fc.array(mutation, { minLength: 1, maxLength: 2 }), (i, m) =>
        expectAgreement(mutate(committed[i]!.raw, m)),
      ),
      { numRuns: 120 },
    );
  });
});
