import { describe, expect, it } from 'vitest';
import { Progress, progressFor } from './progress.js';

// Progress asks only for stderr and whether it is a terminal: the fake is those two, no cast.
function fakeIo(stderrIsTTY: boolean) {
  const written: string[] = [];
  return { io: { stderrIsTTY, stderr: (text: string) => void written.push(text) }, written };
}

describe('progress while loading', () => {
  it('stays quiet for the first second, then redraws one line at most every 100 ms and erases it', () => {
    const { io, written } = fakeIo(true);
    let now = 0;
    const progress = new Progress(io, () => now);
    progress.update('a.pb.gz', 'inflating', 0, 100);
    now = 999;
    progress.update('a.pb.gz', 'decoding', 10, 100);
    expect(written).toEqual([]);
    now = 1000;
    progress.update('a.pb.gz', 'decoding', 45, 100);
    now = 1050;
    progress.update('a.pb.gz', 'decoding', 50, 100);
    now = 1100;
    progress.update('b.pb.gz', 'inflating', 0, 100);
    progress.end();
    expect(written).toEqual(['\r\x1b[Kheapdiff: decoding a.pb.gz 45%…', '\r\x1b[Kheapdiff: inflating b.pb.gz…', '\r\x1b[K']);
  });

  it('counts profiles for a side of many, with the same timing', () => {
    const { io, written } = fakeIo(true);
    let now = 0;
    const progress = new Progress(io, () => now);
    progress.count(1, 40);
    now = 1200;
    progress.count(7, 40);
    now = 1250;
    progress.count(8, 40);
    progress.end();
    expect(written).toEqual(['\r\x1b[Kheapdiff: decoded 7 of 40 profiles…', '\r\x1b[K']);
  });

  it('erases nothing when nothing was shown', () => {
    const { io, written } = fakeIo(true);
    const progress = new Progress(io, () => 0);
    progress.end();
    expect(written).toEqual([]);
  });

  it('is off when stderr is not a terminal, and with --format json', () => {
    expect(progressFor(fakeIo(false).io, 'text')).toBeUndefined();
    expect(progressFor(fakeIo(true).io, 'json')).toBeUndefined();
    expect(progressFor(fakeIo(true).io, 'text')).toBeInstanceOf(Progress);
  });
});
