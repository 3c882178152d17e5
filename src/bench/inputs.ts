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
}

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
  return {
    fat: pair('fat-box', FAT_BOX),
    tenK: pair('10k', TEN_K),
    trend: () => cached('trend-10k', { ...TEN_K, seed: 3 }, 10),
  };
}
