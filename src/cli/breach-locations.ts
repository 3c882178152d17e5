import type { ProfileOrDiff } from '../analysis/diff.js';
import type { SampleFilters } from '../analysis/filters.js';
import type { GateBreach } from '../report/gates.js';
import { top, type TopRow } from '../report/top.js';
import type { SampleTypeSelector } from '../model/sample-type.js';
import type { Annotated } from './github.js';
import { createSourceReader } from './source-reader.js';

/**
 * Places each site breach at the source line that grew most in that function, but only when
 * that file is found inside the workspace: an annotation on a path GitHub cannot show is noise.
 */
export function locateBreaches(
  breaches: readonly GateBreach[],
  input: ProfileOrDiff,
  options: SampleFilters & { sampleIndex?: SampleTypeSelector },
  workspace: string | undefined,
): Annotated[] {
  if (!workspace || !breaches.some((b) => b.site)) return breaches.map((breach) => ({ breach }));
  const reader = createSourceReader({ cwd: workspace });
  let lines: Map<string, TopRow> | undefined;
  const hottestLine = (name: string): TopRow | undefined => {
    lines ??= hottestLineByFunction(top(input, { ...options, granularity: 'lines', nodeCount: 0 }).rows);
    return lines.get(name);
  };
  return breaches.map((breach) => {
    const site = breach.site;
    const row = site && (site.line > 0 ? site : hottestLine(site.name));
    const found = row && row.file !== '' ? reader.read(row.file) : null;
    // Only a path relative to the workspace is one GitHub can link.
    return found && !found.path.startsWith('/') ? { breach, location: { file: found.path, line: row!.line } } : { breach };
  });
}

/** Rows come sorted by flat growth, so the first row of a function is its hottest line. */
function hottestLineByFunction(rows: readonly TopRow[]): Map<string, TopRow> {
  const out = new Map<string, TopRow>();
  for (const row of rows) if (!out.has(row.name)) out.set(row.name, row);
  return out;
}
