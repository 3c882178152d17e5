import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flameGraph } from '../../analysis/flame.js';
import { parseProfile } from '../../decode/parse.js';
import { top } from '../../report/top.js';
import { encodeProfile, heap } from '../../test-support/build-profile.js';
import { CHROMIUM, hasChromium, launchChromium } from '../../test-support/chromium.js';
import { renderTopHtml } from './top.js';

const DEPTH = 20_000;

const title = hasChromium ? 'the icicle in headless Chromium' : `the icicle in headless Chromium — SKIPPED: ${CHROMIUM} is not installed`;

describe.skipIf(!hasChromium)(title, () => {
  it(`draws a call path ${DEPTH} frames deep, deeper than the browser's call stack`, async () => {
    const stack = Array.from({ length: DEPTH }, (_, i) => `main.f${i}@/w.go:${i + 1}`);
    const profile = parseProfile(encodeProfile({ samples: [heap(stack, 4096)] }));
    const path = join(mkdtempSync(join(tmpdir(), 'heapdiff-deep-')), 'top.html');
    writeFileSync(path, renderTopHtml(top(profile), flameGraph(profile)));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 600 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(path).href);
      // One box per frame, plus the root.
      await expect.poll(() => page.locator('#icicle .box').count()).toBe(DEPTH + 1);
      expect(await page.locator('#icicle .box').last().getAttribute('aria-label')).toBe('main.f0');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
