import type { Profile } from '../model/profile.js';
import { stackOf } from './stacks.js';

/**
 * A decoder-independent view of a Profile for comparing two decoders: string and frame ids may
 * be numbered differently, so every sample is spelled out as resolved frames, values and the
 * base mark. One string per sample keeps deep comparison fast.
 */
export function canonical(p: Profile) {
  const { frames, strings, samples } = p;
  const frame = (f: number) =>
    [strings[frames.name[f]!], strings[frames.file[f]!], frames.line[f], frames.startLine[f], frames.inlined[f], p.unsymbolized?.get(frames.name[f]!) ?? ''].join('|');
  const stride = p.sampleTypes.length;
  return {
    sampleTypes: p.sampleTypes.map((t) => `${t.type}/${t.unit}`),
    defaultSampleType: strings[p.defaultSampleType],
    period: p.period,
    periodType: p.periodType && `${p.periodType.type}/${p.periodType.unit}`,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    comments: p.comments,
    mainBinary: p.mainBinary,
    hasBase: samples.fromBase !== null,
    samples: Array.from({ length: samples.count }, (_, i) =>
      [
        [...stackOf(p, i)].map(frame).join(' < '),
        samples.values.subarray(i * stride, (i + 1) * stride).join(','),
        samples.fromBase?.[i] ?? 0,
      ].join(' # '),
    ),
  };
}

/** What the compact model promises: '' first, strings and frames interned, stacks in range. */
export function modelProblems(p: Profile): string[] {
  const problems: string[] = [];
  const { frames, samples } = p;
  if (p.strings[0] !== '') problems.push('strings[0] is not empty');
  if (new Set(p.strings).size !== p.strings.length) problems.push('a string appears twice');
  const tuples = new Set<string>();
  for (let f = 0; f < frames.count; f++) tuples.add(`${frames.name[f]}:${frames.file[f]}:${frames.line[f]}:${frames.startLine[f]}:${frames.inlined[f]}`);
  if (tuples.size !== frames.count) problems.push('a frame appears twice');
  if (samples.stackStart.length !== samples.count + 1 || samples.stackStart[samples.count] !== samples.stackFrames.length) {
    problems.push('stackStart does not cover stackFrames');
  }
  if (samples.stackFrames.some((f) => f >= frames.count)) problems.push('a stack refers to a missing frame');
  if (samples.values.length !== samples.count * p.sampleTypes.length) problems.push('values is not count × types long');
  return problems;
}
