// capture.mjs — produce a real Node.js heap profile pair with @datadog/pprof.
//
// @datadog/pprof is NOT a dependency of heapdiff. Install it in a scratch
// folder outside the repo and point DDPPROF_DIR at that folder:
//
//   mkdir -p /tmp/ddpprof && cd /tmp/ddpprof && npm init -y && npm install @datadog/pprof
//   DDPPROF_DIR=/tmp/ddpprof node --expose-gc \
//     testdata/node/capture.mjs testdata/node
//
// (DDPPROF_DIR defaults to /tmp/ddpprof. The module is resolved with
// createRequire from "$DDPPROF_DIR/package.json", so NODE_PATH is not needed.)
//
// Writes <outdir>/heap-base.pb.gz and <outdir>/heap-current.pb.gz (gzipped
// pprof protobuf, produced by heap.profile() + encode() from @datadog/pprof).
//
// Workload: a fake service handling requests. Per request it
//   - rememberRequest(): writes an entry into a module-level Map that is never
//     evicted                                   -> THE LEAK (grows every phase)
//   - renderResponse(): builds a response body that is dropped immediately
//                                               -> garbage (≈0 in-use)
//   - touchSession(): updates a bounded LRU-ish cache of SESSION_CAP entries
//                                               -> bounded (flat between phases)
//
// Environment knobs (all optional): DDPPROF_DIR, BASE_REQUESTS (default 20000),
// MORE_REQUESTS (default 20000), INTERVAL_BYTES (default 32768),
// STACK_DEPTH (default 64), ALLOW_INLINING (default unset, see below).

import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// V8's sampling heap profiler attributes an allocation to the outermost
// function of an optimized frame, so with TurboFan inlining the leak would be
// reported under serve()/handleRequest(). Disable inlining (before any of the
// workload is optimized) so each function keeps its own frame. Set
// ALLOW_INLINING=1 to see the default behaviour.
if (process.env.ALLOW_INLINING !== '1') setFlagsFromString('--no-turbo-inlining');

const DDPPROF_DIR = resolve(process.env.DDPPROF_DIR ?? '/tmp/ddpprof');
const require = createRequire(join(DDPPROF_DIR, 'package.json'));
const { heap, encode } = require('@datadog/pprof');
const ddVersion = require('@datadog/pprof/package.json').version;

const outDir = resolve(process.argv[2] ?? '.');
const BASE_REQUESTS = Number(process.env.BASE_REQUESTS ?? 20000);
const MORE_REQUESTS = Number(process.env.MORE_REQUESTS ?? 20000);
const INTERVAL_BYTES = Number(process.env.INTERVAL_BYTES ?? 32 * 1024);
const STACK_DEPTH = Number(process.env.STACK_DEPTH ?? 64);
const SESSION_CAP = 500;

// ---------------------------------------------------------------- workload --

/** Never evicted: every request adds an entry. */
const requestLog = new Map();

/** Bounded: at most SESSION_CAP entries, oldest evicted first. */
const sessions = new Map();

function rememberRequest(id, path) {
  // ~1 KiB retained per request, allocated directly in this function (string
  // concatenation + object/array literals) so it is the leaf frame.
  let trail = '';
  for (let i = 0; i < 8; i++) trail += `${path}|${id}|${i};`;
  const entry = {
    id,
    path,
    at: 1_700_000_000_000 + id,
    tags: [id, id + 1, id + 2, id + 3, id + 4, id + 5, id + 6, id + 7],
    trail,
  };
  requestLog.set(id, entry);
  return entry;
}

function renderResponse(id, path) {
  // Garbage: allocated, then dropped when the request ends.
  const rows = [];
  for (let i = 0; i < 8; i++) rows.push({ i, path, value: `row-${id}-${i}` });
  return JSON.stringify({ id, rows });
}

function touchSession(id) {
  const key = `session-${id % 2000}`;
  if (sessions.has(key)) sessions.delete(key);
  sessions.set(key, { key, lastSeen: id, scratch: new Array(32).fill(id) });
  if (sessions.size > SESSION_CAP) {
    sessions.delete(sessions.keys().next().value);
  }
}

function handleRequest(id) {
  const path = `/api/items/${id % 97}`;
  rememberRequest(id, path);
  touchSession(id);
  const body = renderResponse(id, path);
  return body.length;
}

let nextId = 0;
function serve(n) {
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += handleRequest(nextId++);
  return bytes;
}

// ----------------------------------------------------------------- capture --

async function snapshot(file) {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  const profile = heap.profile();
  const buf = await encode(profile);
  writeFileSync(join(outDir, file), buf);
  console.log(
    `${file}: ${buf.length} bytes gz, ${profile.sample.length} samples, ` +
      `requestLog=${requestLog.size} sessions=${sessions.size}`,
  );
}

mkdirSync(outDir, { recursive: true });
console.log(
  `node ${process.version}, @datadog/pprof ${ddVersion} (from ${DDPPROF_DIR}), ` +
    `interval ${INTERVAL_BYTES} B, depth ${STACK_DEPTH}, gc ${typeof global.gc === 'function'}`,
);

heap.start(INTERVAL_BYTES, STACK_DEPTH);
serve(BASE_REQUESTS);
await snapshot('heap-base.pb.gz');
serve(MORE_REQUESTS);
await snapshot('heap-current.pb.gz');
heap.stop();
