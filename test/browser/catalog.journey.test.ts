// Browser journeys of the public catalogue, on Debian's Chromium through playwright-core:
// a citizen searches without diacritics, opens birth registration and sees what to bring and what
// it costs; with and without JavaScript; axe-core (WCAG 2.1 AA) on every page in both languages;
// the 60 KB page budget; and the detail page on a 360 px phone (UI.md).
// Screenshots go to test-results/ (gitignored) for a human to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { assertNoAxeViolations, chromiumMissing, launchChromium } from '../helpers/browser.js';

const RESULTS_DIR = path.resolve(import.meta.dirname, '../../test-results');
const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';

const BIRTH_CODE = '1.001193';
const BIRTH_NAME = 'Thủ tục đăng ký khai sinh';
const QUERY = 'dang ky khai sinh';
const PAGE_BUDGET_BYTES = 60 * 1024;
// A fee is shown as "8.000 ₫"; a free procedure says so in words.
const FEE_TEXT = /\d{1,3}(?:\.\d{3})*\s₫|Không thu phí, lệ phí/

const skip = chromiumMissing;

const pages = [
  { name: 'home', path: '/' },
  { name: 'results', path: `/thu-tuc?q=${encodeURIComponent(QUERY)}` },
  { name: 'detail', path: `/thu-tuc/${BIRTH_CODE}` },
] as const;

describe('catalogue in a browser', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function withPage<T>(options: BrowserContextOptions, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const context = await browser.newContext({ locale: 'vi-VN', ...options });
    // Only the app under test: anything else (fonts, trackers) would be a budget and privacy bug.
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    try {
      return await run(await context.newPage(), context);
    } finally {
      await context.close();
    }
  }

  const shot = (page: Page, name: string, fullPage = true) =>
    page.screenshot({ path: path.join(RESULTS_DIR, `catalog-${name}-${ENGINE}.png`), fullPage });

  async function journey(page: Page, mode: { submit: 'enter' | 'click'; label: string }) {
    const home = await page.goto(`${base}/`);
    assert.equal(home?.status(), 200);
    await shot(page, `home-${mode.label}`);

    const box = page.getByLabel('Tìm thủ tục hành chính');
    await box.fill(QUERY);
    const submitted = page.waitForURL((url) => url.pathname === '/thu-tuc' && url.searchParams.get('q') === QUERY);
    if (mode.submit === 'enter') await box.press('Enter');
    else await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await submitted;

    const results = page.locator('ol.result-list li a');
    assert.ok((await results.count()) > 0, 'the results page lists procedures');
    assert.equal((await results.first().innerText()).trim(), BIRTH_NAME);
    await shot(page, `results-${mode.label}`);

    await Promise.all([page.waitForURL(`${base}/thu-tuc/${BIRTH_CODE}`), results.first().click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), BIRTH_NAME);

    const documents = page.getByRole('table', { name: 'Thành phần hồ sơ' });
    assert.ok((await documents.locator('tbody tr').count()) >= 1, 'the documents table has at least one row');
    assert.ok(await documents.isVisible(), 'the documents table is visible');

    const feesHeading = page.getByRole('heading', { name: 'Phí, lệ phí', exact: true });
    assert.ok(await feesHeading.isVisible(), 'the fees section has its heading');
    // The fees section: what follows the heading, up to the next heading.
    const feesText = await feesHeading.evaluate((h) => {
      const parts: string[] = [];
      for (let el = h.nextElementSibling; el && !/^H[1-6]$/.test(el.tagName); el = el.nextElementSibling) parts.push((el as HTMLElement).innerText);
      return parts.join('\n');
    });
    assert.match(feesText, FEE_TEXT, `fees section text: ${feesText}`);

    const apply = page.getByRole('button', { name: /Nộp hồ sơ trực tuyến/ });
    assert.ok(await apply.isVisible(), 'the "Nộp hồ sơ trực tuyến" start button is shown');
    await shot(page, `detail-${mode.label}`);
  }

  test('journey: search without diacritics, open birth registration (JavaScript on, Enter)', async () => {
    await withPage({ viewport: { width: 1280, height: 900 } }, (page) => journey(page, { submit: 'enter', label: 'js' }));
  });

  test('journey: the same without JavaScript (clicking "Tìm kiếm")', async () => {
    await withPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false }, async (page) => {
      await journey(page, { submit: 'click', label: 'nojs' });
      assert.equal(await page.locator('script').count(), 0, 'the page needs no script');
    });
  });

  describe('axe-core, WCAG 2.1 AA', () => {
    for (const lang of ['vi', 'en'] as const) {
      for (const p of pages) {
        test(`${p.name} (${lang}) has no violations`, async () => {
          const url = lang === 'en' ? `${base}${p.path}${p.path.includes('?') ? '&' : '?'}lang=en` : `${base}${p.path}`;
          // The CSP (script-src 'self') would block the injected axe script; only this context bypasses it.
          await withPage({ bypassCSP: true }, async (page) => {
            const response = await page.goto(url);
            assert.equal(response?.status(), 200);
            assert.equal(await page.getAttribute('html', 'lang'), lang);
            await shot(page, `${p.name}-${lang}`);
            await assertNoAxeViolations(page);
          });
        });
      }
    }
  });

  describe('page weight (UI.md budget: under 60 KB transferred)', () => {
    for (const p of pages) {
      test(`${p.name}: document + stylesheet under 60 KB`, async (ctx) => {
        // A fresh context has an empty cache, so the stylesheet is counted on every page.
        await withPage({}, async (page) => {
          const bodies: Promise<{ url: string; bytes: number }>[] = [];
          page.on('response', (r) => bodies.push(r.body().then((b) => ({ url: r.url(), bytes: b.length }), () => ({ url: r.url(), bytes: 0 }))));
          const response = await page.goto(`${base}${p.path}`, { waitUntil: 'load' });
          assert.equal(response?.status(), 200);
          const loaded = await Promise.all(bodies);
          const total = loaded.reduce((sum, r) => sum + r.bytes, 0);
          const detail = loaded.map((r) => `${new URL(r.url).pathname}: ${r.bytes} B`).join(', ');
          assert.ok(loaded.some((r) => /\/assets\/app\.[0-9a-f]+\.css$/.test(new URL(r.url).pathname)), `the stylesheet was loaded (${detail})`);
          assert.ok(total < PAGE_BUDGET_BYTES, `${p.name} weighs ${total} B (${(total / 1024).toFixed(1)} KB): ${detail}`);
          ctx.diagnostic(`${p.name}: ${total} B (${detail})`);
        });
      });
    }
  });

  describe('a 360 × 740 phone', () => {
    for (const p of pages) {
      test(`${p.name}: no horizontal scroll`, async () => {
        await withPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, async (page) => {
          await page.goto(`${base}${p.path}`);
          await shot(page, `${p.name}-mobile`);
          const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
          const wide = await page.evaluate(() =>
            [...document.querySelectorAll('body *')]
              .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
              .slice(0, 5)
              .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`),
          );
          assert.ok(widths.scroll <= 360, `${p.name} scrolls sideways: scrollWidth ${widths.scroll} > 360; too wide: ${wide.join('; ')}`);
        });
      });
    }
  });
});
