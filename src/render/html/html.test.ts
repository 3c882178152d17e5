import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffProfiles } from '../../analysis/diff.js';
import { flameGraph } from '../../analysis/flame.js';
import { parseProfile } from '../../decode/parse.js';
import { parseGateRule } from '../../report/gates.js';
import { list } from '../../report/list.js';
import { top } from '../../report/top.js';
import { peek, peekSites } from '../../report/peek.js';
import { formatSigned } from '../../format/units.js';
import { trend } from '../../report/trend.js';
import { encodeProfile, heap } from '../../test-support/build-profile.js';
import { topTable } from '../text-top.js';
import { scriptJson } from './escape.js';
import { renderListHtml } from './list.js';
import { renderTopHtml } from './top.js';
import { renderTrendHtml } from './trend.js';

const load = (n: string) => parseProfile(readFileSync(`testdata/go/leakysvc/profiles/heap-${n}.pb.gz`));
const LEAK = 'main.(*dedupeCache).remember';
const EVIL = 'evil.</script><script>alert(1)</script><!--x-->';

/** The page's embedded JSON, read back as the browser does. */
function embedded(html: string): { flame: { names: string[]; labels: string[] } } {
  const m = /<script type="application\/json" id="heapdiff-data">([^]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!);
}

function topPage(): string {
  const diff = diffProfiles(load('01'), load('08'));
  return renderTopHtml(top(diff, { nodeCount: 0 }), flameGraph(diff), { sources: { base: 'heap-01.pb.gz', current: 'heap-08.pb.gz' } });
}

describe('scriptJson', () => {
  it('leaves nothing that ends or comments the script element, and reads back the same', () => {
    const value = { name: `${EVIL}\u2028`, list: ['<!--', '</SCRIPT >', '&amp;'] };
    const text = scriptJson(value);
    expect(text).not.toMatch(/<\/script|<!--|\u2028/i);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderTopHtml', () => {
  it('embeds the flame graph and shows the text report’s numbers in its table', () => {
    const diff = diffProfiles(load('01'), load('08'));
    const report = top(diff, { nodeCount: 0 });
    const html = renderTopHtml(report, flameGraph(diff));
    const data = embedded(html);
    expect(data.flame.names).toContain(LEAK);
    expect(data.flame.labels).toContain('+55.91MB');
    for (const cells of topTable(report).rows) for (const cell of cells) expect(html).toContain(`>${cell.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</td>`);
    expect(html).toContain('Type: inuse_space (bytes)');
  });

  it('says the attribution hint under the summary, and embeds each row’s peek, the peek report’s', () => {
    const tenants = (n: string) => parseProfile(readFileSync(`testdata/go/tenants/profiles/heap-${n}.pb.gz`));
    const diff = diffProfiles(tenants('01'), tenants('06'));
    const report = top(diff);
    const html = renderTopHtml(report, flameGraph(diff), { sources: { base: 'a.pb.gz', current: 'b.pb.gz' }, peek: peekSites(diff, report.rows) });
    expect(html).toContain(`Hint: main.small is inlined into its callers; main.indexDocument grew most through it (+163.32MB). All callers: heapdiff peek &#39;^main\\.small$&#39; a.pb.gz b.pb.gz`);
    const data = embedded(html) as unknown as { peek: { names: string[]; labels: string[]; rows: Array<{ self: number[]; callers: number[][] } | null> } };
    const small = data.peek.rows[report.rows.findIndex((r) => r.name === 'main.small')]!;
    expect(data.peek.names[small.self[0]!]).toBe('main.small (inline)');
    const [entry] = peek(diff, '^main\\.small$').entries;
    expect(small.callers.map(([name, calls, , inline]) => [data.peek.names[name!], data.peek.labels[calls!], inline])).toEqual(
      entry!.callers.map((e) => [e.name, formatSigned(e.cum, 'bytes'), e.inline ? 1 : 0]),
    );
    // Without the peek option the page has no peek view.
    expect(renderTopHtml(report, flameGraph(diff))).not.toContain('id="peek"');
  });

  it('is one self-contained file: no URL, inline style and script only, and every fetch forbidden', () => {
    const html = topPage();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(link|img|iframe)\b|\ssrc=|@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'`);
    expect(html.match(/<script\b/g)).toHaveLength(2);
  });

  it('is the same every time', () => {
    expect(topPage()).toBe(topPage());
  });

  it('keeps hostile function names inert in the table, the title and the data', () => {
    const profile = parseProfile(encodeProfile({ samples: [heap([`${EVIL}@<b>.go:1`, 'main@m.go:2'], 4096)] }));
    const html = renderTopHtml(top(profile), flameGraph(profile), { sources: { current: '<i>x</i>' } });
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<i>x</i>');
    expect(html).toContain('evil.&lt;/script&gt;');
    expect(embedded(html).flame.names).toContain(EVIL);
  });

  it('says when a growth gate failed, as the text does', () => {
    const diff = diffProfiles(load('01'), load('08'));
    const html = renderTopHtml(top(diff, { failOn: [parseGateRule('total>10MB')] }), flameGraph(diff));
    expect(html).toMatch(/Gates: FAILED \(1 rule\)\n  ✗ .*10MB/);
  });

  it('draws one profile without base values', () => {
    const profile = load('08');
    const html = renderTopHtml(top(profile), flameGraph(profile));
    expect(html).not.toContain('name="width"');
    expect(embedded(html).flame).toMatchObject({ kind: 'profile', base: [] });
  });
});

describe('renderListHtml', () => {
  it('shows each routine’s source lines with the text report’s per-line numbers', () => {
    const source = readFileSync('testdata/go/leakysvc/cache.go', 'utf8').split('\n');
    const report = list(diffProfiles(load('01'), load('08')), 'dedupeCache', { readSource: () => ({ path: 'cache.go', lines: source }) });
    const html = renderListHtml(report);
    expect(html).toContain(`ROUTINE ${LEAK.replace(/&/g, '&amp;')} in example.com/leakysvc/cache.go`);
    expect(html).toMatch(
      /<tr class="hot"><td class="num grew">\+54\.69MB<\/td><td class="num">19\.20kB<\/td><td class="num grew">\+54\.69MB<\/td><td class="num">19\.20kB<\/td><td class="num lineno">27<\/td><td class="src">[^<]*fp := make\(\[\]byte/,
    );
    expect(html).not.toMatch(/https?:\/\/|<script/);
  });

  it('marks a line within sampling noise as the text does: dimmed, with ~ after its ±', () => {
    const pair = (n: string) => parseProfile(readFileSync(`testdata/go/leakysvc/default-rate/${n}.pb.gz`));
    const html = renderListHtml(list(diffProfiles(pair('null-a'), pair('null-b')), 'dedupeCache'));
    expect(html).toContain('Benjamini–Hochberg over 19 changed lines');
    expect(html).toMatch(/<tr class="hot"><td class="num noise">\+4\.02MB<\/td><td class="num">5\.58MB<\/td><td class="num noise">\+4\.02MB<\/td><td class="num">5\.58MB<\/td><td class="noise">~<\/td><td class="num lineno">27<\/td>/);
    expect(html).toMatch(/\.noise \{ color: var\(--muted\); \}/);
  });
});

describe('renderTrendHtml', () => {
  const snapshots = ['01', '02', '03', '04', '05', '06', '07', '08'].map(load);

  it('charts the total with one point per snapshot and a card per site with its verdict', () => {
    const html = renderTrendHtml(trend(snapshots), { sources: snapshots.map((_, k) => `heap-0${k + 1}.pb.gz`) });
    expect(html.match(/<circle class="snapshot"/g)).toHaveLength(8);
    expect(html).toMatch(new RegExp(`<h3 class="mono">${LEAK.replace(/[()*.]/g, '\\$&')}</h3>\\s*<p><span class="verdict">leak</span>`));
    expect(html).not.toContain('class="projection"');
    expect(html).not.toMatch(/https?:\/\/|<script/);
    // The leak that is a known allocation helper gets the text report's hint.
    expect(html).toContain('Hint: strconv.formatBits allocates on behalf of its callers; strconv.FormatInt grew most through it (+122.90kB). All callers: heapdiff peek &#39;^strconv\\.formatBits$&#39; heap-01.pb.gz heap-08.pb.gz');
  });

  it('draws the projection to --limit, and names it as the text does', () => {
    const html = renderTrendHtml(trend(snapshots, { limit: 100 * 2 ** 20 }));
    expect(html).toContain('<line class="projection"');
    expect(html).toContain('limit 100MB');
    expect(html).toMatch(/projection: 100MB reached in about \d+s at the leaks&#39; \+[\d.]+GB\/h ± [\d.]+MB\/h/);
  });
});

describe('content security policy', () => {
  it('runs only the script whose hash it names, and refuses forms, <base> and inline scripts', () => {
    const html = topPage();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!;
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const scripts = [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`);
    expect(html).not.toMatch(/http-equiv="refresh"/i);
  });
});
