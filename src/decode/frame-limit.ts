import { ProfileError } from '../model/errors.js';
import { ENTRY_BYTES, FRAME_BYTES } from './budget.js';

/**
 * Stacks are expanded into frames, one per inlined line of each location, so a few kilobytes can
 * ask for billions of frames: one location of many lines, referenced over and over. Real
 * profiles hold well under one frame per byte (Go's ~0.15-0.4); past four per byte, and a
 * million besides, a profile is refused before its frames are allocated; and never past what
 * the model's Uint32 stack offsets can index.
 */
export function frameLimit(inputBytes: number): number {
  return Math.min(2 ** 32 - 1, (1 << 20) + 4 * inputBytes);
}

export function tooManyFrames(limit: number): ProfileError {
  return new ProfileError('malformed profile', `its stacks expand to more than ${limit} frames (4 per byte of the profile): locations with many lines are referenced over and over`);
}

/**
 * The most frames a profile's stacks may expand to: the frame limit, or what the memory budget
 * (budget.ts) has left after `entries` location ids and values, whichever is less.
 */
export function stackFrameLimit(maxBytes: number, entries: number, inputBytes: number): { limit: number; budget: number } {
  const budget = Math.max(0, Math.floor((maxBytes - ENTRY_BYTES * entries) / FRAME_BYTES));
  return { limit: Math.min(frameLimit(inputBytes), budget), budget };
}
