import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Profile as PprofProfile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import { diffProfiles, type ProfileOrDiff } from '../analysis/diff.js';
import type { Granularity } from '../analysis/sites.js';
import { ProfileError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { stackOf } from '../test-support/stacks.js';
import { top } from '../report/top.js';
import { parsePprofTop } from '../test-support/pprof-output.js';
import { scaleHeapSample } from './legacy-heap.js';
import { parseProfile } from './parse.js';

const LEAKY = 'testdata/go/leakysvc';
const SHAPES = 'testdata/go/shapes';
const load = (path: string) => parseProfile(readFileSync(path));
const text = (s: string) => new TextEncoder().encode(s);

function rows(input: ProfileOrDiff, sampleIndex: string, granularity: Granularity = 'functions') {
  return top(input, { nodeCount: 0, sampleIndex, granularity }).rows.map((r) => ({ name: r.name, file: r.file, line: r.line, flat: r.flat, cum: r.cum }));
}

/**
 * The functions of inlined calls in a protobuf profile of the same program: the inlined callees
 * and the functions they sit in (a location with several lines). pprof symbolizes a legacy
 * profile's addresses with the binary, and names the runtime's pseudo-address of an inlined call
 * after the function around it, so their flat (and, nested, their cum) differ from ours.
 */
function inlining(protobuf: string): Set<string> {
  const p = PprofProfile.decode(gunzipSync(readFileSync(protobuf)));
  const name = new Map(p.function.map((f) => [Number(f.id), p.stringTable.strings[Number(f.name)]!]));
  return new Set(p.location.filter((l) => l.line.length > 1).flatMap((l) => l.line.map((line) => name.get(Number(line.functionId))!)));
}

describe("Go's legacy text heap profile (debug=1)", () => {
  it.each([`${LEAKY}/profiles/heap-01`, `${LEAKY}/profiles/heap-08`, `${SHAPES}/profiles/deep`])(
    'gives exactly the numbers of the protobuf written at the same moment (%s)',
    (path) => {
      const legacy = load(`${path}.txt`);
      const protobuf = load(`${path}.pb.gz`);
      expect(legacy.sampleTypes).toEqual(protobuf.sampleTypes);
      expect(legacy.period).toBe(512);
      for (const type of ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']) {
        for (const granularity of ['functions', 'lines'] as const) {
          expect(rows(legacy, type, granularity), `${type} by ${granularity}`).toEqual(rows(protobuf, type, granularity));
        }
      }
    },
  );

  it.each([
    [`${LEAKY}/pprof/top_legacy08_inuse_space_functions_B.txt`, 'inuse_space', () => load(`${LEAKY}/profiles/heap-08.txt`)],
    [`${LEAKY}/pprof/top_legacy08_alloc_space_functions_B.txt`, 'alloc_space', () => load(`${LEAKY}/profiles/heap-08.txt`)],
    [
      `${LEAKY}/pprof/top_legacy_diff01-08_inuse_space_functions_B.txt`,
      'inuse_space',
      () => diffProfiles(load(`${LEAKY}/profiles/heap-01.txt`), load(`${LEAKY}/profiles/heap-08.txt`)),
    ],
    [`${SHAPES}/pprof/top_deep_legacy_B.txt`, 'inuse_space', () => load(`${SHAPES}/profiles/deep.txt`)],
  ])("equals go tool pprof's %s on every function not in an inlined call", (file, type, input) => {
    const pprof = parsePprofTop(readFileSync(file, 'utf8'));
    const ours = Object.fromEntries(rows(input(), type).map((r) => [r.name, [r.flat, r.cum]]));
    // runtime.goexit roots every whole stack in pprof's symbolization; the runtime never writes it.
    const protobuf = file.startsWith(SHAPES) ? `${SHAPES}/profiles/deep.pb.gz` : `${LEAKY}/profiles/heap-08.pb.gz`;
    const inlined = inlining(protobuf).add('runtime.goexit');
    const comparable = Object.entries(pprof.rows).filter(([name]) => !inlined.has(name));
    expect(comparable.length).toBeGreaterThan(8);
    for (const [name, numbers] of comparable) expect(ours[name], name).toEqual(numbers);
    // Inlined or not, every sample's flat lands on one function: the sums agree.
    expect(Object.values(ours).reduce((sum, [flat]) => sum + flat!, 0)).toBe(pprof.shown);
  });

  it("reads a header whose alloc columns equal its inuse ones as pprof does: two columns, objects and space", () => {
    // The runtime means to write alloc bytes + 1 then (so pprof sees four columns) but prints the unadjusted value.
    const p = load2('heap profile: 2: 1024 [2: 1024] @ heap/1024\n2: 1024 [2: 1024] @ 0x401001\n#\t0x401000\tmain.f+0x10\t/a.go:3\n');
    expect(p.sampleTypes).toEqual([
      { type: 'objects', unit: 'count' },
      { type: 'space', unit: 'bytes' },
    ]);
    expect([...p.samples.values]).toEqual([3, 1619]);
    // `inuse_space` finds the legacy `space`, as pprof's -sample_index does.
    expect(top(p, { sampleIndex: 'inuse_space' }).rows[0]).toMatchObject({ name: 'main.f', flat: 1619 });
  });

  it('keeps the MemStats trailer: every exact number, nothing rounded', () => {
    const { memStats, format } = load(`${LEAKY}/profiles/heap-08.txt`);
    expect(format).toBe('legacy-text');
    expect(memStats).toMatchObject({ HeapInuse: 80740352, HeapAlloc: 78523608, HeapSys: 100401152, NumGC: 15, GCCPUFraction: 0.0009780202865032439 });
    // LastGC (ns since 1970) is beyond 2^53; PauseNs is a list, DebugGC a boolean, Stack a pair.
    expect(Object.keys(memStats!)).not.toContain('LastGC');
    expect(Object.keys(memStats!).filter((k) => ['PauseNs', 'DebugGC', 'Stack'].includes(k))).toEqual([]);
    expect(load(`${LEAKY}/profiles/heap-08.pb.gz`).memStats).toBeUndefined();
  });

  it('a text profile without the MemStats trailer has none: no MemStats line, JSON memStats null', async () => {
    const whole = readFileSync(`${LEAKY}/profiles/heap-08.txt`, 'utf8');
    const cut = whole.slice(0, whole.indexOf('\n# runtime.MemStats') + 1);
    expect(cut).toMatch(/^heap profile: /);
    expect(parseProfile(text(cut)).memStats).toBeUndefined();
    const { runCli } = await import('../test-support/fake-io.js');
    const { scratchFiles } = await import('../test-support/go-pprof.js');
    const path = scratchFiles({ 'heap.txt': text(cut) })['heap.txt']!;
    const shown = await runCli(['top', path]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(/MemStats/);
    expect(JSON.parse((await runCli(['top', '-f', 'json', path])).stdout).current.memStats).toBeNull();
  });

  it("rescales each record as pprof's scaleHeapSample: by 1/(1-exp(-avg/rate)), truncated", () => {
    // One 512-byte object at rate 512 is sampled with probability 1 - 1/e.
    expect(scaleHeapSample(1, 512, 512)).toEqual([1, 809]);
    expect(scaleHeapSample(3, 6000, 512)).toEqual([3, 6123]);
    expect(scaleHeapSample(0, 0, 512)).toEqual([0, 0]);
    expect(scaleHeapSample(4, 100, 1)).toEqual([4, 100]);
    const values = (header: string) => [...load2(`heap profile: 1: 512 [2: 1024] @ ${header}\n1: 512 [2: 1024] @ 0x401001\n#\t0x401000\tmain.f+0x10\t/a.go:3\n`).samples.values];
    expect(values('heap/1024')).toEqual([3, 1619, 1, 809]);
    expect(values('heap_v2/512')).toEqual([3, 1619, 1, 809]);
    expect(values('heapprofile')).toEqual([2, 1024, 1, 512]);
  });

  it('names frames from the # lines, and by address when a record has none', () => {
    const p = load2(
      [
        'heap profile: 2: 2048 [2: 4096] @ heap/0',
        '1: 1024 [1: 2048] @ 0x401001 0x402001',
        '# written by some support tool',
        '#\t0x401000\tmain.(*T).leaf+0x10\t\tC:/src/a.go:3',
        '#\t0x402000',
        '',
        '1: 1024 [1: 2048] @ 0x403001 0x404001',
      ].join('\r\n'),
    );
    const frames = (i: number) => [...stackOf(p, i)].map((f) => `${p.strings[p.frames.name[f]!]} ${p.strings[p.frames.file[f]!]}:${p.frames.line[f]}`);
    expect(frames(0)).toEqual(['main.(*T).leaf C:/src/a.go:3', '[unknown] 0x402000 :0']);
    expect(frames(1)).toEqual(['[unknown] 0x403000 :0', '[unknown] 0x404000 :0']);
    // heap/0: no rate, so nothing is rescaled.
    expect([...p.samples.values]).toEqual([1, 2048, 1, 1024, 1, 2048, 1, 1024]);
  });

  it('reads gzipped text too', () => {
    const bytes = readFileSync(`${LEAKY}/profiles/heap-01.txt`);
    expect(parseProfile(new Uint8Array(gzipSync(bytes)))).toEqual(parseProfile(bytes));
  });

  it.each([
    ['a record it cannot read', 'heap profile: 1: 2 [3: 4] @ heap/1024\n1: 2 [3: 4] @ zz\n', /^malformed profile: legacy heap profile line 2: expected "N: N \[N: N\] @ 0x… 0x…"/],
    ['a count beyond 2^53', 'heap profile: 1: 2 [3: 4] @ heap/1024\n9007199254740993: 2 [3: 4] @ 0x1\n', /line 2: 9007199254740993 is beyond ±2\^53/],
    ['bytes without objects', 'heap profile: 1: 2 [3: 4] @ heap/1024\n0: 2 [3: 4] @ 0x1\n', /line 2: inuse count is 0 but inuse bytes is 2/],
    ['another variant', 'heap profile: 1: 2 [3: 4] @ heapstats/1024\n', /line 1: "heapstats" profiles are not Go heap profiles/],
    ['a broken header', 'heap profile: lots\n', /line 1: expected "heap profile: N: N \[N: N\] @ heap\/N"/],
    ['a line number out of range', 'heap profile: 1: 2 [3: 4] @ heap/1024\n1: 2 [3: 4] @ 0x1\n#\t0x0\tf+0x1\ta.go:99999999999\n', /line 3: line number 99999999999 is out of range/],
  ])('refuses %s with the line it is on', (_, input, message) => {
    let thrown: unknown;
    try {
      load2(input);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProfileError);
    expect((thrown as ProfileError).message).toMatch(message);
  });
});

function load2(input: string): Profile {
  return parseProfile(text(input));
}
