import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, freshDatabase, storeUrl, testServer } from '../test-support/clickhouse.js';
import { runCli } from '../test-support/fake-io.js';
import { nativeRun } from '../test-support/native-run.js';

const server = await testServer();
const MB = 1024 * 1024;

// Two processes of one native binary without symbols: ASLR put the same instructions at other
// addresses, so their names (`[app] 0x…`) differ while their place in the binary does not.
describe.skipIf(server.skip)(`unsymbolized frames in the store${server.reason ? `: ${server.reason}` : ''}`, () => {
  const db = freshDatabase();
  const store = storeUrl(db);
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-native-'));
  const sides = { base: nativeRun(0x5555_5540_0000, 'b1d', { 0x1234: 4 * MB, 0x2000: MB }), current: nativeRun(0x7f12_3400_0000, 'b1d', { 0x1234: 5 * MB, 0x2000: MB }) };
  // A fleet of two processes a side, each at its own address.
  const fleet = {
    'fleet-base': [nativeRun(0x5555_5540_0000, 'b1d', { 0x1234: 4 * MB }), nativeRun(0x5555_6640_0000, 'b1d', { 0x1234: 4 * MB })],
    'fleet-current': [nativeRun(0x7f12_3400_0000, 'b1d', { 0x1234: 6 * MB }), nativeRun(0x7f12_4400_0000, 'b1d', { 0x1234: 6 * MB })],
  };

  beforeAll(async () => {
    for (const [side, bytes] of Object.entries(sides)) {
      mkdirSync(join(dir, side));
      writeFileSync(join(dir, side, 'run.pb.gz'), bytes);
      const result = await runCli(['ingest', '--store', store, '--label', `side=${side}`, join(dir, side, 'run.pb.gz')]);
      expect(result.stderr).toBe('');
    }
    for (const [side, runs] of Object.entries(fleet)) {
      mkdirSync(join(dir, side));
      runs.forEach((bytes, i) => writeFileSync(join(dir, side, `pod-${i + 1}.pb.gz`), bytes));
      const result = await runCli(['ingest', '--store', store, '--label', `side=${side}`, join(dir, side)]);
      expect(result.stderr).toBe('');
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
  });

  it.each([['functions'], ['lines']])('are keyed by their place in the binary, as for two files (-g %s)', async (granularity) => {
    const flags = ['-f', 'json', '-n', '0', '-g', granularity];
    const files = await runCli(['top', ...flags, join(dir, 'base'), join(dir, 'current')]);
    const stored = await runCli(['top', '--store', store, ...flags, 'store:side=base', 'store:side=current']);
    expect(stored.stderr).toBe('');
    type Row = { name: string; flat: number; status: string };
    const rows = (text: string) => (JSON.parse(text) as { rows: Row[] }).rows.map((r) => [r.name, r.flat, r.status]);
    // One instruction, one row that grew by 1 MB (not a `gone` and a `new` row), named by the base's address.
    expect(rows(stored.stdout)).toEqual([['[app] 0x555555401234', MB, 'grew']]);
    expect(rows(stored.stdout)).toEqual(rows(files.stdout));
  });

  it('across a fleet, each side is one row per instruction, as for the directories', async () => {
    const flags = ['-f', 'json', '-n', '0'];
    const files = await runCli(['top', ...flags, join(dir, 'fleet-base'), join(dir, 'fleet-current')]);
    const stored = await runCli(['top', '--store', store, ...flags, 'store:side=fleet-base', 'store:side=fleet-current']);
    expect(stored.stderr).toBe('');
    type Row = { name: string; flat: number; base: { n: number } };
    const rows = (text: string) => (JSON.parse(text) as { rows: Row[] }).rows.map((r) => [r.name, r.flat, r.base.n]);
    expect(rows(stored.stdout)).toEqual([['[app] 0x7f1234001234', 2 * MB, 2]]);
    expect(rows(stored.stdout)).toEqual(rows(files.stdout));
  });
});
