import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Every real profile committed under `dir` (testdata/ by default), gunzipped, for decoder differential tests. */
export function committedProfiles(dir = 'testdata'): { path: string; raw: Uint8Array }[] {
  return profilePaths(dir).map((path) => ({ path, raw: new Uint8Array(gunzipSync(readFileSync(path))) }));
}

function profilePaths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return profilePaths(path);
    return entry.name.endsWith('.pb.gz') ? [path] : [];
  });
}
