import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { diffProfiles, parseProfile, renderTopJson, top } from '../index.js';
import { CHROMIUM, hasChromium, launchChromium } from '../test-support/chromium.js';

const root = resolve(import.meta.dirname, '../..');
const GO = (n: string) => join(root, `testdata/go/leakysvc/profiles/heap-${n}.pb.gz`);
const kernels = readdirSync(join(root, 'src/wasm'))
  .filter((name) => name.endsWith('.wasm.ts'))
  .map((name) => name.slice(0, -'.wasm.ts'.length));

/**
 * The library as a dashboard loads it: bundled for the browser, run on a page's main thread,
 * where browsers limit what WebAssembly.Module may compile synchronously. Every kernel must
 * compile there (not fall back to JavaScript), and the report must be Node's.
 */
const harness = [
  "import * as lib from './src/index.ts';",
  "import { instantiate } from './src/wasm/instantiate.ts';",
  ...kernels.map((k, i) => `import { WASM_BASE64 as k${i} } from './src/wasm/${k}.wasm.ts';`),
  `const modules = { ${kernels.map((k, i) => `${JSON.stringify(k)}: k${i}`).join(', ')} };`,
  'globalThis.harness = {',
  '  compiled: () => Object.entries(modules).filter(([, b]) => instantiate(b) !== null).map(([k]) => k),',
  '  top: (a, b) => lib.renderTopJson(lib.top(lib.diffProfiles(lib.parseProfile(new Uint8Array(a)), lib.parseProfile(new Uint8Array(b))))),',
  '};',
].join('\n');

const PVALUE = /"pValue": [^,\n]*/g;

function roundPValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(roundPValues);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'pValue' && typeof v === 'number' ? Number(v.toPrecision(12)) : roundPValues(v)]));
}

const title = hasChromium
  ? 'the library in Chromium: WebAssembly kernels on the main thread'
  : `the library in Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium)`;

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    const result = await build({ stdin: { contents: harness, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent' });
    bundle = result.outputFiles[0]!.text;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('compiles every kernel synchronously, and top gives the same JSON as in Node', async () => {
    expect(kernels.length).toBeGreaterThanOrEqual(3);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.setContent('<!doctype html><title>heapdiff</title>');
      await page.addScriptTag({ content: bundle });
      expect(await page.evaluate(() => (globalThis as unknown as { harness: { compiled(): string[] } }).harness.compiled())).toEqual(kernels);
      const [a, b] = [GO('01'), GO('08')].map((f) => [...readFileSync(f)]);
      const inPage = await page.evaluate(([x, y]) => (globalThis as unknown as { harness: { top(a: number[], b: number[]): string } }).harness.top(x!, y!), [a, b]);
      const inNode = renderTopJson(top(diffProfiles(parseProfile(readFileSync(GO('01'))), parseProfile(readFileSync(GO('08'))))));
      // Chromium's newer V8 may round a tail probability's last bit differently (its Math
      // functions): p-values to 12 digits, everything else exactly.
      expect(roundPValues(JSON.parse(inPage))).toEqual(roundPValues(JSON.parse(inNode)));
      expect(inPage.replace(PVALUE, '')).toBe(inNode.replace(PVALUE, ''));
      expect(JSON.parse(inPage).rows[0].name).toBe('main.(*dedupeCache).remember');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("takes the JavaScript paths on a page whose CSP refuses WebAssembly: the same report, and no error", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      // No 'wasm-unsafe-eval': every compile, synchronous or not, is refused.
      await page.setContent(`<!doctype html><meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'"><title>heapdiff</title>`);
      await page.addScriptTag({ content: bundle });
      expect(await page.evaluate(() => (globalThis as unknown as { harness: { compiled(): string[] } }).harness.compiled())).toEqual([]);
      const [a, b] = [GO('01'), GO('08')].map((f) => [...readFileSync(f)]);
      const inPage = await page.evaluate(([x, y]) => (globalThis as unknown as { harness: { top(a: number[], b: number[]): string } }).harness.top(x!, y!), [a, b]);
      const inNode = renderTopJson(top(diffProfiles(parseProfile(readFileSync(GO('01'))), parseProfile(readFileSync(GO('08'))))));
      expect(roundPValues(JSON.parse(inPage))).toEqual(roundPValues(JSON.parse(inNode)));
      // A refused compile must not surface as an error, then or later.
      await page.waitForTimeout(200);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
