import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FetchFailure, fetchBytes } from './fetch.js';
import { appendStepSummary } from './gates-output.js';
import { wantsColor } from './io.js';
import { loadProfile } from './load.js';
import { zlibGunzip } from './zlib-gunzip.js';

// Each helper asks for the capabilities it uses: these fakes hold those members and nothing else
// (no cast), so the type-check fails if a helper starts to need more.
const HEAP = readFileSync(new URL('../../testdata/go/leakysvc/profiles/heap-01.pb.gz', import.meta.url));
const unused = (what: string) => () => {
  throw new Error(`${what} should not be called`);
};

describe('the CLI asks only for the capabilities it uses', () => {
  it('loads a local profile with a file reader, the network and gunzip only', async () => {
    const read: string[] = [];
    const io = {
      readFile: async (path: string) => (read.push(path), new Uint8Array(HEAP)),
      fetch: unused('fetch'),
      gunzip: zlibGunzip,
    };
    const profile = await loadProfile(io, 'heap-01.pb.gz', 1 << 30);
    expect(read).toEqual(['heap-01.pb.gz']);
    expect(profile.sampleTypes.map((t) => t.type)).toContain('inuse_space');
  });

  it('fetches with the network alone, and names the URL of a failure', async () => {
    const ok = await fetchBytes({ fetch: async () => new Response(new Uint8Array([1, 2, 3])) }, 'http://h/heap', { timeoutMs: 1000, maxBytes: 10 });
    expect([...ok]).toEqual([1, 2, 3]);
    const failing = fetchBytes({ fetch: async () => new Response('busy', { status: 503 }) }, 'http://h/heap', { timeoutMs: 1000, maxBytes: 10 });
    await expect(failing).rejects.toThrow(FetchFailure);
    await expect(failing).rejects.toMatchObject({ transient: true, detail: expect.stringMatching(/^http:\/\/h\/heap: HTTP 503/) });
  });

  it('appends the step summary with the environment and appendFile only', async () => {
    const appended: [string, string][] = [];
    const appendFile = async (path: string, text: string) => void appended.push([path, text]);
    await appendStepSummary({ env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '/s.md' }, appendFile }, async () => '# report');
    await appendStepSummary({ env: { GITHUB_STEP_SUMMARY: '/s.md' }, appendFile }, async () => 'outside Actions');
    expect(appended).toEqual([['/s.md', '# report\n']]);
  });

  it('decides colour from the environment and the terminal only', () => {
    expect(wantsColor({ env: {}, stdoutIsTTY: true })).toBe(true);
    expect(wantsColor({ env: { NO_COLOR: '1' }, stdoutIsTTY: true })).toBe(false);
    expect(wantsColor({ env: { FORCE_COLOR: '1' }, stdoutIsTTY: false })).toBe(true);
  });
});
