import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import { CallEdges } from './call-edges.js';
import { SiteTable } from './sites.js';

const FLEET = 'testdata/go/fleet';
const profiles = [1, 2, 3].flatMap((p) => (['base', 'current'] as const).map((side) => parseProfile(readFileSync(`${FLEET}/${side}/pod-${p}.pb.gz`))));

/** Every edge as `caller→callee`, with its weights and inline flag. */
function table(edges: CallEdges, sites: SiteTable, into: Uint8Array | null = null): Map<string, string> {
  const out = new Map<string, string>();
  for (let e = 0; e < edges.size; e++) {
    if (into !== null && into[edges.callee[e]!] !== 1) continue;
    out.set(`${sites.label(edges.caller[e]!)}→${sites.label(edges.callee[e]!)}`, `${edges.weight[0][e]} ${edges.weight[1][e]} ${edges.inline[e]}`);
  }
  return out;
}

describe('CallEdges.addInto', () => {
  for (const granularity of ['functions', 'lines'] as const) {
    it(`builds the edges, weights and inline flags of add with onlyInto (${granularity}, real pods with inlining and recursion)`, () => {
      const sites = new SiteTable(granularity);
      for (const p of profiles) sites.siteOfFrames(p);
      // Flag every site seen inlined and every third other one: callers of many kinds.
      const onlyInto = new Uint8Array(sites.size);
      for (const p of profiles) {
        const frameSite = sites.siteOfFrames(p);
        for (let f = 0; f < frameSite.length; f++) if (p.frames.inlined[f] === 1 || frameSite[f]! % 3 === 0) onlyInto[frameSite[f]!] = 1;
      }
      // The oracle: every edge (no onlyInto), those into a flagged site kept.
      const walked = new CallEdges();
      const flagged = new CallEdges();
      const holding = new CallEdges();
      profiles.forEach((p, i) => {
        const side = i % 2 === 0 ? 0 : 1;
        const typeIndex = p.sampleTypes.length - 1;
        walked.add(p, typeIndex, sites, side);
        const frameSite = sites.siteOfFrames(p);
        flagged.addInto(p, typeIndex, frameSite, Uint8Array.from(frameSite, (s) => onlyInto[s]!), side);
        // add with onlyInto: addInto over the samples holding a flagged frame.
        holding.add(p, typeIndex, sites, side, {}, onlyInto);
      });
      const want = table(walked, sites, onlyInto);
      expect(want.size).toBeGreaterThan(0);
      expect([...want.values()].some((v) => v.endsWith(' 1'))).toBe(true);
      expect([...want.values()].some((v) => v.endsWith(' 0'))).toBe(true);
      expect(table(flagged, sites)).toEqual(want);
      expect(table(holding, sites)).toEqual(want);
    });
  }
});
