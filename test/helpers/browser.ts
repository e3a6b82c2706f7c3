// What every browser journey shares: Debian's Chromium with the flags this machine needs, the
// reason to skip when it is absent, and one axe-core check at WCAG 2.1 AA.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const chromiumMissing: string | false = fs.existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's Chromium (apt-get install -y chromium) to run the browser journeys`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Runs axe on the page (its context must bypass the CSP to inject the script) and fails with a
 *  readable list of violations. Every <details> is opened first so that what it hides is checked. */
export async function assertNoAxeViolations(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS,
  );
  const report = result.violations
    .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n')}`)
    .join('\n');
  assert.ok(result.passes.length > 10, `axe ran its WCAG rules (${result.passes.length} passed)`);
  assert.equal(result.violations.length, 0, `axe violations on ${page.url()}:\n${report}`);
}

/** A port that was free a moment ago: a journey's PUBLIC_URL (the QR's address) must be its server. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Runs `run` in a fresh context of `browser` that may reach the app under test only (anything
 * else, fonts or trackers, would be a budget and privacy bug). When it fails, `onFailure` gets the
 * page as it was (for a screenshot).
 */
export async function withBrowserPage<T>(
  browser: Browser,
  options: BrowserContextOptions,
  run: (page: Page, context: BrowserContext) => Promise<T>,
  onFailure?: (page: Page) => Promise<unknown>,
): Promise<T> {
  const context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1280, height: 900 }, ...options });
  await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  try {
    return await run(page, context);
  } catch (error) {
    if (onFailure) await onFailure(page).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

/** axe on a page whose context bypasses the CSP; so no inline script may hide behind that. */
export async function assertAccessibleWithoutInlineScript(page: Page): Promise<void> {
  assert.equal(await page.locator('script:not([src])').count(), 0, `${new URL(page.url()).pathname} has no inline script (the CSP would block it)`);
  await assertNoAxeViolations(page);
}
