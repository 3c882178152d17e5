import { heap, type ProfileSpec } from './build-profile.js';

/**
 * Example 3 of ../shared/docs/pprof-reference.md (§11): inlining, recursion and mutual recursion,
 * for which the document records what `go tool pprof -top`, `-lines`, `-files` and `-list` print
 * with `-diff_base`.
 */
export const EX3_CURRENT: ProfileSpec = {
  samples: [
    heap(['main.inner@/s/a.go:10 + main.outer@/s/a.go:20', 'main.main@/s/a.go:30'], 100),
    heap(['main.outer@/s/a.go:22', 'main.main@/s/a.go:31'], 50),
    heap(['main.inner@/s/a.go:11', 'main.outer@/s/a.go:23', 'main.main@/s/a.go:31'], 25),
    heap(['main.rec@/s/b.go:5', 'main.rec@/s/b.go:7', 'main.rec@/s/b.go:7', 'main.main@/s/a.go:32'], 40),
    heap(['main.even@/s/c.go:3', 'main.odd@/s/c.go:9', 'main.even@/s/c.go:4', 'main.odd@/s/c.go:9', 'main.main@/s/a.go:33'], 8),
  ],
};

export const EX3_BASE: ProfileSpec = {
  samples: [
    heap(['main.inner@/s/a.go:10 + main.outer@/s/a.go:20', 'main.main@/s/a.go:30'], 60),
    heap(['main.rec@/s/b.go:5', 'main.rec@/s/b.go:7', 'main.main@/s/a.go:32'], 10),
  ],
};
