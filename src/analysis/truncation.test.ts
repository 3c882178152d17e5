import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { resolveSampleType } from '../model/sample-type.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { truncatedStacks } from './truncation.js';

const frames = (n: number, fn = 'main.rec') => Array.from({ length: n }, (_, i) => `${fn}@/r.go:${i + 1}`);
const check = (samples: ReturnType<typeof heap>[]) => {
  const profile = parseProfile(encodeProfile({ samples }));
  return truncatedStacks(profile, resolveSampleType(profile));
};

describe('truncatedStacks', () => {
  it('finds the stacks Go 1.19 cut at 32 frames in a real deep recursion, protobuf and text alike', () => {
    const [protobuf, text] = ['deep.pb.gz', 'deep.txt'].map((f) => parseProfile(readFileSync(`testdata/go/shapes/profiles/${f}`)));
    const cut = truncatedStacks(protobuf!, 3);
    // descend's cut stacks hold 32 frames; twoStep's 33, the inlined call split by the cut re-expanded.
    expect(cut).toMatchObject({ depth: 32 });
    expect(cut!.share).toBeGreaterThan(0.3);
    expect(truncatedStacks(text!, 3)).toEqual(cut);
    expect(truncatedStacks(parseProfile(readFileSync('testdata/go/leakysvc/profiles/heap-08.pb.gz')), 3)).toBeNull();
  });

  it('counts the samples at the cap and their share of the sample type', () => {
    expect(check([heap(frames(32), 300), heap(frames(3), 100)])).toEqual({ depth: 32, samples: 1, share: 0.75 });
    expect(check([heap(frames(130), 300), heap(frames(128, 'main.other'), 100)])).toEqual({ depth: 128, samples: 2, share: 1 });
  });

  it.each([
    ['the deepest stack is under the cap', [heap(frames(31), 300)]],
    ['the deepest stack is past the cap and its slack: nothing was cut at 32', [heap(frames(40), 1), heap(frames(32), 300)]],
    ['the cut stacks hold under 1% of the type', [heap(frames(32), 1), heap(frames(3), 1000)]],
    ['the stacks are far deeper than any cap', [heap(frames(20_000), 5)]],
  ])('says nothing when %s', (_, samples) => {
    expect(check(samples)).toBeNull();
  });
});
