import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { renderTopText } from '../render/text-top.js';
import { peek } from '../report/peek.js';
import { top } from '../report/top.js';
import { encodeProfile, heap, type ProfileSpec } from '../test-support/build-profile.js';
import type { Profile } from '../model/profile.js';
import { GRANULARITIES, SiteTable, siteLabel, type Granularity } from './sites.js';

// Frames without a file (a JIT, a stripped library) beside frames with one, as in top.test.ts.
const spec: ProfileSpec = {
  samples: [heap(['main.a@:0', 'main.b@:0', 'main.main@/m.go:1'], 100), heap(['main.c@:0', 'main.main@/m.go:1'], 10), heap(['main.d@/d.go:3'], 7)],
};
const parse = (s: ProfileSpec) => parseProfile(encodeProfile(s));

describe('the site label: one rule', () => {
  it('reads as pprof prints a row at every granularity', () => {
    expect(siteLabel({ name: 'main.f', file: '', line: 0 })).toBe('main.f');
    expect(siteLabel({ name: 'main.f', file: '/m.go', line: 12 })).toBe('main.f /m.go:12');
    expect(siteLabel({ name: '/m.go', file: '/m.go', line: 0 })).toBe('/m.go');
    expect(siteLabel({ name: '[app]', file: '', line: 0 })).toBe('[app]');
    expect(siteLabel({ name: '', file: '/m.go', line: 0 })).toBe('/m.go');
  });

  it.each(GRANULARITIES)('SiteTable.label is siteLabel of the site at %s', (granularity) => {
    const profile = parse(spec);
    const sites = new SiteTable(granularity);
    sites.siteOfFrames(profile);
    expect(sites.size).toBeGreaterThan(2);
    for (let s = 0; s < sites.size; s++) {
      expect(sites.label(s)).toBe(siteLabel({ name: sites.names[s]!, file: sites.files[s]!, line: sites.lines[s]! }));
    }
  });

  it('names the files row of frames without a file after the binary, or <unknown>, in the text and in peek', () => {
    for (const [mapping, label] of [['/bin/app', '[app]'], ['', '<unknown>']] as const) {
      const profile = parse({ ...spec, mapping });
      const report = top(profile, { granularity: 'files', nodeCount: 0 });
      expect(report.rows.map(siteLabel)).toEqual([label, '/d.go', '/m.go']);
      expect(renderTopText(report)).toMatch(new RegExp(`\\s${label.replace(/[[\]]/g, '\\$&')}\\n`));
      // peek matches the label the reports print, so the row shown is the row a regex finds.
      const matched = peek(profile, `^${label.replace(/[[\]]/g, '\\$&')}$`, { granularity: 'files' });
      expect(matched.entries.map(siteLabel)).toEqual([label]);
    }
  });
});

/** Sites as the joined-string keys define them, numbered in first-use order over the profiles in turn. */
function referenceSites(profiles: readonly Profile[], granularity: Granularity): string[][] {
  const ids = new Map<string, number>();
  return profiles.map((p) => {
    const noFile = p.mainBinary === '' ? '<unknown>' : `[${p.mainBinary}]`;
    const out: string[] = [];
    for (let f = 0; f < p.frames.count; f++) {
      const name = p.strings[p.frames.name[f]!]!;
      const unsymbolized = p.unsymbolized?.get(p.frames.name[f]!);
      const identity = unsymbolized === undefined ? name : `\u0001${unsymbolized}`;
      const file = p.strings[p.frames.file[f]!]!;
      const line = p.frames.line[f]!;
      const key = granularity === 'functions' ? identity : granularity === 'files' ? (file === '' ? `\0${noFile}` : file) : `${identity}\0${file}\0${line}`;
      if (!ids.has(key)) ids.set(key, ids.size);
      out.push(`${ids.get(key)} ${granularity === 'files' ? (file || noFile) : name}|${granularity === 'functions' ? '' : file}|${granularity === 'lines' ? line : 0}`);
    }
    return out;
  });
}

describe('SiteTable: keys by text, whatever order the profiles list them in', () => {
  // Frames from a small pool, so that profiles share some and differ in others; a stack is a run of pool entries.
  const pool = Array.from({ length: 24 }, (_, i) => `pkg${i % 5}.f${i % 9}@${['/a.go', '/b.go', ''][i % 3]}:${1 + (i % 4)}`);
  const profileOf = (picks: readonly number[], mapping: string) =>
    parse({ mapping, samples: picks.map((p, i) => heap([pool[p % pool.length]!, pool[(p * 7 + i) % pool.length]!], 100 + i)) });
  const picks = fc.array(fc.nat(200), { minLength: 1, maxLength: 30 });

  it.each(GRANULARITIES)('maps every frame of two and three profiles to the site its joined key names, at %s', (granularity) => {
    fc.assert(
      fc.property(picks, picks, picks, fc.boolean(), (a, b, c, sameOrder) => {
        const profiles = [profileOf(a, '/bin/app'), profileOf(sameOrder ? a : b, '/bin/app'), profileOf(c, '')];
        // A first profile's sites at once (addFirst) or one by one: the same table.
        for (const atOnce of [true, false]) {
          const sites = new SiteTable(granularity, atOnce);
          const got = profiles.map((p) => Array.from(sites.siteOfFrames(p), (s) => `${s} ${sites.names[s]}|${sites.files[s]}|${sites.lines[s]}`));
          expect(got).toEqual(referenceSites(profiles, granularity));
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each(GRANULARITIES)('joins strings equal in text but apart in the string table (a producer need not intern them), at %s', (granularity) => {
    const profile = parse({ samples: [heap(['main.a@/m.go:1', 'main.b@/m.go:2'], 10), heap(['main.a@/m.go:1'], 5)] });
    // The same table with every string listed twice, frames pointing at the copies.
    const doubled: Profile = {
      ...profile,
      strings: [...profile.strings, ...profile.strings.slice(1)],
      frames: { ...profile.frames, name: profile.frames.name.map((s) => s + profile.strings.length - 1), file: profile.frames.file.map((s) => (s === 0 ? 0 : s + profile.strings.length - 1)) },
    };
    const sites = new SiteTable(granularity);
    const first = Array.from(sites.siteOfFrames(profile));
    expect(Array.from(sites.siteOfFrames(doubled))).toEqual(first);
    expect(sites.siteOf(sites.names[first[0]!]!, sites.files[first[0]!]!, sites.lines[first[0]!]!)).toBe(first[0]);
  });

  it.each(GRANULARITIES)('joins equal strings within the first profile a table maps, and a later profile in another order, at %s', (granularity) => {
    const profile = parse({ samples: [heap(['main.a@/m.go:1', 'main.b@/m.go:2', 'main.c@/n.go:3'], 10), heap(['main.a@/m.go:1', 'main.c@/n.go:4'], 5)] });
    // Every string listed twice, and every other frame pointing at the copies: the first profile
    // a fresh table maps names each function twice (a table that took each string as a new site
    // would make two rows of one function).
    const shift = profile.strings.length - 1;
    const copy = (s: number, f: number) => (s === 0 || f % 2 === 0 ? s : s + shift);
    const doubled: Profile = {
      ...profile,
      strings: [...profile.strings, ...profile.strings.slice(1)],
      frames: { ...profile.frames, name: profile.frames.name.map(copy), file: profile.frames.file.map(copy) },
    };
    const reversed: Profile = {
      ...profile,
      frames: { ...profile.frames, name: profile.frames.name.slice().reverse(), file: profile.frames.file.slice().reverse(), line: profile.frames.line.slice().reverse() },
    };
    const sites = new SiteTable(granularity);
    const got = [doubled, reversed].map((p) => Array.from(sites.siteOfFrames(p), (s) => `${s} ${sites.names[s]}|${sites.files[s]}|${sites.lines[s]}`));
    expect(got).toEqual(referenceSites([doubled, reversed], granularity));
    expect(new Set(sites.names.map((name, s) => `${name}|${sites.files[s]}|${sites.lines[s]}`)).size).toBe(sites.size);
  });
});

describe('SiteTable.startLines', () => {
  it.each(GRANULARITIES)('holds the first start line a frame of each site records, in frame order over the profiles, at %s', (granularity) => {
    const samples = [heap(['main.a@/m.go:11', 'main.b@/m.go:21', 'main.main@/m.go:31'], 100), heap(['main.c@/n.go:5', 'main.main@/m.go:32'], 10), heap(['main.a@/m.go:12'], 7)];
    const first = parse({ samples, startLines: { 'main.a': 10, 'main.main': 30 } });
    const second = parse({ samples: [...samples, heap(['main.d@/d.go:3', 'main.b@/m.go:22'], 5)], startLines: { 'main.a': 9, 'main.b': 20, 'main.d': 2 } });
    // The second profile again in another frame order: its first-use ranks are not the sites.
    const reversed: Profile = {
      ...second,
      frames: { ...second.frames, name: second.frames.name.slice().reverse(), file: second.frames.file.slice().reverse(), line: second.frames.line.slice().reverse(), startLine: second.frames.startLine.slice().reverse() },
    };
    for (const profiles of [[first, second], [first, reversed], [reversed, first]]) {
      for (const atOnce of [true, false]) {
        const sites = new SiteTable(granularity, atOnce);
        const want: number[] = [];
        for (const profile of profiles) {
          const frameSite = sites.siteOfFrames(profile);
          for (let f = 0; f < frameSite.length; f++) {
            const line = profile.frames.startLine[f]!;
            if (line !== 0 && !(want[frameSite[f]!]! > 0)) want[frameSite[f]!] = line;
          }
        }
        expect(want.filter((x) => x > 0).length).toBeGreaterThanOrEqual(2);
        expect(Array.from({ length: sites.size }, (_, s) => want[s] ?? 0)).toEqual(sites.startLines);
      }
    }
  });
});
