import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../decode/parse.js';
import type { Profile } from '../model/profile.js';
import { top, type TopOptions } from '../report/top.js';
import { diffProfiles } from './diff.js';
import { adoptSide, aggregateSide, reportTable, type SideAggregate, type SideRequest } from './side-aggregate.js';
import { SiteTable } from './sites.js';

// A real pair whose current side has sites the base lacks: its own table numbers them apart from
// the report's table, where the base's sites come first.
const read = (name: string): Profile => parseProfile(readFileSync(new URL(`../../testdata/go/leakysvc/profiles/${name}`, import.meta.url)));
const pair = () => [read('heap-01.pb.gz'), read('heap-07.pb.gz')] as const;

/**
 * top of a fresh pair, with its sides aggregated alone first and adopted when `request` is given
 * (the base's with its site table, for top to take over, when `keepTable`).
 */
function report(options: TopOptions, request?: SideRequest, tamper?: (side: SideAggregate) => void, keepTable = false) {
  const [base, current] = pair();
  if (request) {
    for (const profile of [base, current]) {
      const side = aggregateSide(profile, request, keepTable && profile === base);
      tamper?.(side);
      adoptSide(profile, side);
    }
  }
  return JSON.stringify(top(diffProfiles(base, current), options));
}

describe('sides aggregated alone and adopted by top', () => {
  it('number the current side apart from the report, so that adoption must re-index it', () => {
    const [base, current] = pair();
    const shared = new SiteTable('functions');
    shared.siteOfFrames(base);
    const frameSite = shared.siteOfFrames(current);
    const own = aggregateSide(current, { granularity: 'functions' }).siteFrame;
    expect(Array.from(own, (frame) => frameSite[frame])).not.toEqual(Array.from(own, (_, site) => site));
  });

  it.each<[string, TopOptions, SideRequest]>([
    ['functions', { nodeCount: 0 }, { granularity: 'functions' }],
    ['lines', { granularity: 'lines', nodeCount: 0, sort: 'cum' }, { granularity: 'lines' }],
    ['files', { granularity: 'files', nodeCount: 0 }, { granularity: 'files' }],
    ['alloc_space', { sampleIndex: 'alloc_space', sameProcess: true }, { granularity: 'functions', sampleIndex: 'alloc_space' }],
  ])('give the report aggregating both sides itself, to the byte (%s)', (_, options, request) => {
    expect(report(options, request)).toBe(report(options));
  });

  it.each<[string, TopOptions, SideRequest]>([
    ['functions', { nodeCount: 0 }, { granularity: 'functions' }],
    ['lines', { granularity: 'lines', nodeCount: 0 }, { granularity: 'lines' }],
    ['another granularity', { granularity: 'files', nodeCount: 0 }, { granularity: 'lines' }],
    ['another type', { sampleIndex: 'alloc_objects' }, { granularity: 'functions' }],
    ['filters', { focus: 'cache', hide: 'runtime' }, { granularity: 'functions' }],
  ])("give it too when top takes over the base's site table (%s)", (_, options, request) => {
    expect(report(options, request, undefined, true)).toBe(report(options));
  });

  it("lend the base's site table to one report only, at its granularity", () => {
    const [base] = pair();
    const side = aggregateSide(base, { granularity: 'lines' }, true);
    adoptSide(base, side);
    expect(reportTable(base, 'functions')).toBeUndefined();
    expect(reportTable(base, 'lines')).toBe(side.sites);
    expect(reportTable(base, 'lines')).toBeUndefined();
    expect(aggregateSide(base, { granularity: 'lines' }).sites).toBeUndefined();
  });

  it('are what the report reads: a side changed after it was made changes the report', () => {
    const doubled = report({ nodeCount: 0 }, { granularity: 'functions' }, (side) => {
      side.errors.flat.forEach((v, i, a) => (a[i] = 2 * v));
    });
    expect(doubled).not.toBe(report({ nodeCount: 0 }));
    const doubledInTable = report({ nodeCount: 0 }, { granularity: 'functions' }, (side) => side.errors.cum.forEach((v, i, a) => (a[i] = 2 * v)), true);
    expect(doubledInTable).not.toBe(report({ nodeCount: 0 }));
    const totals = report({ nodeCount: 0 }, { granularity: 'functions' }, (side) => ((side.totals as { signed: number }).signed *= 2));
    expect(totals).not.toBe(report({ nodeCount: 0 }));
  });

  it("are ignored for another granularity, sample type or any filter: the report aggregates itself (the totals, before filters and by profile, still fit)", () => {
    const zeroed = (side: SideAggregate) => {
      side.errors.flat.fill(0);
      side.errors.cum.fill(0);
    };
    const functions: SideRequest = { granularity: 'functions' };
    for (const options of [{ granularity: 'lines' }, { sampleIndex: 'alloc_objects' }, { focus: 'main' }, { ignore: 'runtime' }, { hide: 'runtime' }] satisfies TopOptions[]) {
      expect(report(options, functions, zeroed)).toBe(report(options));
    }
  });
});
