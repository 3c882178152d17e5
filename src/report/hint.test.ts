import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOCATION_HELPERS, isAllocationHelper } from '../analysis/allocation-helpers.js';
import { diffProfiles } from '../analysis/diff.js';
import { parseProfile } from '../decode/parse.js';
import { encodeProfile, heap } from '../test-support/build-profile.js';
import { peek } from './peek.js';
import { top } from './top.js';

const load = (path: string) => parseProfile(readFileSync(path));
const tenants = (n: string) => load(`testdata/go/tenants/profiles/heap-${n}.pb.gz`);
const leakysvc = (n: string) => load(`testdata/go/leakysvc/profiles/heap-${n}.pb.gz`);

describe('the attribution hint', () => {
  it('looks past an inlined helper to the caller that grew most, the one peek lists first', () => {
    const diff = diffProfiles(tenants('01'), tenants('06'));
    const report = top(diff);
    expect(report.rows[0]!.name).toBe('main.small');
    const [entry] = peek(diff, 'main\\.small$').entries;
    expect(report.hint).toEqual({
      site: { name: 'main.small', file: '', line: 0 },
      reason: 'inline',
      caller: { name: entry!.callers[0]!.name, file: '', line: 0 },
      change: entry!.callers[0]!.cum,
    });
    expect(report.hint!.caller.name).toBe('main.indexDocument');
  });

  it('looks past a runtime allocation helper that is not inlined', () => {
    const spec = (a: number, b: number) => ({
      samples: [
        heap(['runtime.malg@/go/proc.go:4', 'runtime.newproc1@/go/proc.go:9', 'main.spawnWorkers@/s/w.go:3'], a),
        heap(['runtime.malg@/go/proc.go:4', 'runtime.newproc1@/go/proc.go:9', 'main.serve@/s/s.go:7'], b),
      ],
    });
    const report = top(diffProfiles(parseProfile(encodeProfile(spec(100, 100))), parseProfile(encodeProfile(spec(900, 150)))));
    expect(report.hint).toMatchObject({ site: { name: 'runtime.malg' }, reason: 'helper', caller: { name: 'runtime.newproc1' }, change: 850 });
  });

  it('says nothing when the top growing site is the leak itself, or nothing grew', () => {
    expect(top(diffProfiles(leakysvc('01'), leakysvc('08'))).hint).toBeNull();
    expect(top(diffProfiles(tenants('06'), tenants('01'))).hint).toBeNull();
  });

  it('the helper list is data: exact names, each with what it allocates, no duplicates', () => {
    const names = ALLOCATION_HELPERS.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['runtime.malg', 'runtime.makeslice', 'runtime.growslice', 'bytes.growSlice', 'strings.(*Builder).grow']) {
      expect(isAllocationHelper(name)).toBe(true);
    }
    expect(isAllocationHelper('main.small')).toBe(false);
    expect(ALLOCATION_HELPERS.every((h) => h.allocates.length > 0)).toBe(true);
  });
});
