import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../decode/parse.js';
import { trend } from '../../report/trend.js';
import { encodeProfile, heap } from '../../test-support/build-profile.js';
import { CHROMIUM, hasChromium, launchChromium } from '../../test-support/chromium.js';
import { SPARKLINE_WIDTH } from '../../format/sparkline.js';
import { renderTrendText } from '../text-trend.js';
import { renderTrendHtml, timeTicks } from './trend.js';

/** `npm run screenshots` points this at docs/; otherwise the pictures go to a scratch folder. */
const SHOTS = resolve(process.env['HEAPDIFF_SCREENSHOTS'] ?? mkdtempSync(join(tmpdir(), 'heapdiff-shots-')));
const START = 1_795_000_000_000_000_000n;
const MB = 1 << 20;

/** `n` snapshots 30 s apart: a steady leak, a sawtooth batch and a flat cache, as a long capture gives. */
function longCapture(n: number) {
  return Array.from({ length: n }, (_, k) =>
    parseProfile(
      encodeProfile({
        timeNanos: START + BigInt(k) * 30_000_000_000n,
        samples: [heap(['main.leak@app.go:10'], 1 * MB + k * 64 * 1024), heap(['main.batch@app.go:20'], ((k % 7) + 1) * MB), heap(['main.cache@app.go:30'], 4 * MB)],
      }),
    ),
  );
}

describe('trend at scale', () => {
  const report = trend(longCapture(1000), { nodeCount: 0 });

  it(`text rows stay terminal-wide: every sparkline is at most ${SPARKLINE_WIDTH} bars, resampled`, () => {
    const text = renderTrendText(report);
    const bars = [...text.matchAll(/[▁▂▃▄▅▆▇█]+/g)].map((m) => m[0]);
    expect(bars.length).toBe(report.rows.length + 1); // each row and the Total line
    for (const b of bars) expect(b.length).toBe(SPARKLINE_WIDTH);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThan(140);
    expect(text).toContain(`Each of the ${SPARKLINE_WIDTH} bars of a trend is the mean of about 42 snapshots.`);
    // The leak still reads as a climb after resampling.
    expect(text).toMatch(/^▁[▁▂▃▄▅▆▇█]*█  leak /m);
  });

  it('time labels are round steps, as many as fit', () => {
    const xMax = 999 * 30;
    const ticks = timeTicks(report, xMax, 664 / 72);
    expect(ticks.length).toBeLessThanOrEqual(9);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks[1]! % 60).toBe(0); // 1 h, 2 h … not 3747.5 s
    const few = timeTicks({ ...report, slopePer: 'snapshot' }, 999, 9);
    expect(few.every((v) => v % 200 === 0 || v % 100 === 0)).toBe(true);
  });

  const title = hasChromium ? 'in headless Chromium: the axis of 1,000 snapshots is readable' : `SKIPPED: ${CHROMIUM} is not installed`;
  it.skipIf(!hasChromium)(title, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapdiff-scale-'));
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(dir, 'trend-1000.html'), renderTrendHtml(report));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
      await page.goto(pathToFileURL(join(dir, 'trend-1000.html')).href);
      const labels = await page.$$eval('#total-chart text.tick[text-anchor="middle"]', (els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, text: e.textContent };
        }),
      );
      expect(labels.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < labels.length; i++) expect(labels[i]!.left, `${labels[i - 1]!.text} / ${labels[i]!.text}`).toBeGreaterThan(labels[i - 1]!.right);
      const chart = await page.$eval('#total-chart', (e) => e.getBoundingClientRect().toJSON());
      for (const l of labels) expect(l.right).toBeLessThanOrEqual(chart.right + 1);
      // The header's summary (with the Total sparkline) and the page fit the window: no sideways scroll.
      expect(await page.$eval('pre.summary', (e) => e.scrollWidth <= e.clientWidth)).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'trend-1000.png'), fullPage: false });
      expect(statSync(join(SHOTS, 'trend-1000.png')).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
