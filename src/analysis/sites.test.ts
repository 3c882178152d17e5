import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { renderTopText } from '../render/text-top.js';
import { peek } from '../report/peek.js';
import { top } from '../report/top.js';
import { encodeProfile, heap, type ProfileSpec } from '../test-support/build-profile.js';
import { GRANULARITIES, SiteTable, siteLabel } from './sites.js';

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
