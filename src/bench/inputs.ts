import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FAT_BOX, TEN_K, snapshots, type Shape } from './generate.js';

/** Bump when the generator changes, so stale cached profiles are never measured. */
const VERSION = 'v1';

export interface Inputs {
  readonly fat: readonly [string, string];
  readonly tenK: readonly [string, string];
  /** Ten snapshots of a 10,000-sample profile, made only when asked for. */
  readonly trend: () => string[];
  /** Two directories of 20 medium (10,000-sample) profiles each: a fleet before and after. */
  readonly fleet: () => Sides;
  /** Two directories of 200 small profiles each. */
  readonly smallFleet: () => Sides;
}

export interface Sides {
  readonly base: string;
  readonly current: string;
  /** Every profile of both sides, for the floor. */
  readonly files: string[];
}

/** A small service's heap profile: a few hundred samples. */
export const SMALL: Shape = { samples: 300, functions: 1_000, locations: 2_000, seed: 5 };

/** The bench profiles, generated once into `.bench-cache/` (git-ignored) and reused. */
export function benchInputs(root: string, log: (line: string) => void): Inputs {
  const dir = join(root, '.bench-cache', VERSION);
  mkdirSync(dir, { recursive: true });
  const cached = (name: string, shape: Shape, count: number): string[] => {
    const paths = Array.from({ length: count }, (_, k) => join(dir, `${name}-${String(k + 1).padStart(2, '0')}.pb.gz`));
    if (!paths.every((p) => existsSync(p))) {
      log(`generating ${count} × ${shape.samples.toLocaleString('en')}-sample profiles (${name}), cached in ${dir}`);
      snapshots(shape, count).forEach((raw, k) => writeFileSync(paths[k]!, gzipSync(raw)));
    }
    return paths;
  };
  const pair = (name: string, shape: Shape): [string, string] => {
    const [base, current] = cached(name, shape, 2);
    return [base!, current!];
  };
  /** `perSide` snapshots in base/, the next `perSide` in current/ (the profiles of one growing service). */
  const sides = (name: string, shape: Shape, perSide: number): Sides => {
    const base = join(dir, name, 'base');
    const current = join(dir, name, 'current');
    const paths = Array.from({ length: 2 * perSide }, (_, k) => join(k < perSide ? base : current, `pod-${String((k % perSide) + 1).padStart(3, '0')}.pb.gz`));
    if (!paths.every((p) => existsSync(p))) {
      log(`generating ${2 * perSide} × ${shape.samples.toLocaleString('en')}-sample profiles (${name}), cached in ${join(dir, name)}`);
      mkdirSync(base, { recursive: true });
      mkdirSync(current, { recursive: true });
      snapshots(shape, 2 * perSide).forEach((raw, k) => writeFileSync(paths[k]!, gzipSync(raw)));
    }
    return { base, current, files: paths };
  };
  return {
    fleet: () => sides('fleet-10k', { ...TEN_K, seed: 4 }, 20),
    smallFleet: () => sides('fleet-small', SMALL, 200),
    fat: pair('fat-box', FAT_BOX),
    tenK: pair('10k', TEN_K),
    trend: () => cached('trend-10k', { ...TEN_K, seed: 3 }, 10),
  };
}
