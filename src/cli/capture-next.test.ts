import { describe, expect, it } from 'vitest';
import { nextStep } from './commands/capture.js';

describe('capture --count says what to run next', () => {
  it('says nothing for one snapshot: there is nothing to compare it with', () => {
    expect(nextStep(['out/heap-20261128T120000.000Z.pb.gz'], 'out')).toBeNull();
  });

  it('compares two snapshots; a trend needs three', () => {
    expect(nextStep(['out/heap-20261128T120000.000Z.pb.gz', 'out/heap-20261128T120030.000Z.pb.gz'], 'out')).toBe(
      'next: heapdiff top out/heap-20261128T120000.000Z.pb.gz out/heap-20261128T120030.000Z.pb.gz',
    );
  });

  it("names the kind's trend and quotes what a shell would read", () => {
    const saved = ['my dir/goroutine-1.pb.gz', 'my dir/goroutine-2.pb.gz', 'my dir/goroutine-3.pb.gz'];
    expect(nextStep(saved, 'my dir')).toBe(
      "next: heapdiff top 'my dir/goroutine-1.pb.gz' 'my dir/goroutine-3.pb.gz', or the trend: heapdiff trend 'my dir/goroutine-*.pb.gz'",
    );
  });
});
