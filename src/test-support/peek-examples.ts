import { heap, type ProfileSpec } from './build-profile.js';

/**
 * Small profiles whose `go tool pprof -peek` and `-top` outputs were checked by hand against
 * Go 1.19.8's pprof (see call-edges.test.ts for what each shows).
 */

/** `helper` is always inlined into main; `inner` is inlined into outer and also called from main. */
export const MARKS: ProfileSpec = {
  samples: [
    heap(['main.helper@/s/h.go:3 + main.main@/s/m.go:10'], 70),
    heap(['main.inner@/s/i.go:5 + main.outer@/s/o.go:20', 'main.main@/s/m.go:11'], 80),
    heap(['main.inner@/s/i.go:5', 'main.main@/s/m.go:12'], 50),
  ],
};

/** The base calls `helper` normally; the current has it inlined: the merged edge is not inline. */
export const INLINED_LATER_BASE: ProfileSpec = {
  samples: [heap(['main.helper@/s/h.go:3', 'main.main@/s/m.go:10'], 30)],
};
export const INLINED_LATER_CURRENT: ProfileSpec = {
  samples: [heap(['main.helper@/s/h.go:3 + main.main@/s/m.go:10'], 90)],
};

/**
 * Edges that survive their nodes: X cancels (flat = cum = 0) but P → X and Q → X do not; A and B
 * cancel, and main → A changes by exactly 0, yet pprof still lists it.
 */
export const EDGES_BASE: ProfileSpec = {
  samples: [
    heap(['main.X@/s/x.go:1', 'main.Q@/s/q.go:2', 'main.main@/s/m.go:3'], 5),
    heap(['main.B@/s/b.go:1', 'main.A@/s/a.go:2', 'main.main@/s/m.go:4'], 10),
  ],
};
export const EDGES_CURRENT: ProfileSpec = {
  samples: [
    heap(['main.X@/s/x.go:1', 'main.P@/s/p.go:2', 'main.main@/s/m.go:5'], 5),
    heap(['main.B@/s/b.go:1', 'main.A@/s/a.go:2', 'main.main@/s/m.go:4'], 10),
    heap(['main.D@/s/d.go:1', 'main.main@/s/m.go:6'], 7),
  ],
};

/** `leaf` inlined into `wrap`, called from main: hiding `wrap` leaves `leaf` its location's last line. */
export const HIDDEN_HOST: ProfileSpec = {
  samples: [heap(['main.leaf@/s/l.go:1 + main.wrap@/s/w.go:2', 'main.main@/s/m.go:3'], 40)],
};
