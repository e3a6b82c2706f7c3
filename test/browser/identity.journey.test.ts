// Browser journeys of the identity pages, on Debian's Chromium through playwright-core:
// a citizen registers (a malformed CCCD first, then a good one), reads the verification email in
// the developer inbox, confirms it, logs in and sees the profile; an officer logs in, sets up the
// second factor from the QR page's secret, reaches the back office, logs out and logs in again
// with a fresh TOTP code (a wrong one first). With and without JavaScript; axe-core (WCAG 2.1 AA)
// on the registration page with errors, the login page, the TOTP set-up page, the profile and the
// back-office home. Screenshots go to test-results/ (gitignored) for a human to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { currentTotpCode } from '../../src/modules/identity/identity.service.js';
import { hashPassword } from '../../src/modules/identity/password.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { assertNoAxeViolations, chromiumMissing, freePort, launchChromium, withBrowserPage } from '../helpers/browser.js';

const RESULTS_DIR = path.resolve(import.meta.dirname, '../../test-results');
const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';

const AGENCY_CODE = '000.00.51.H20';
const PASSWORD = 'song Tien xanh 2026';
const OFFICER_PASSWORD = 'cau Rach Mieu 1-2002';
const ID_FORMAT_MESSAGE = 'Nhập số định danh cá nhân (CCCD) gồm 12 chữ số';
const TOTP_STEP_MS = 30_000;

const skip = chromiumMissing;

type Mode = 'js' | 'nojs';

// One citizen per mode: 087 = Đồng Tháp, century digit 0 (1900s, male), year 95.
const citizens: Record<Mode, { fullName: string; idNumber: string; email: string; phone: string }> = {
  js: { fullName: 'Nguyễn Thị Hồng Nhung', idNumber: '087095001234', email: 'hong.nhung@example.vn', phone: '0912345678' },
  nojs: { fullName: 'Trần Văn Bảy', idNumber: '087095004321', email: 'van.bay@example.vn', phone: '0987654321' },
};
const officers: Record<Mode | 'axe', { fullName: string; email: string }> = {
  js: { fullName: 'Lê Thị Thu Trang', email: 'thu.trang@dongthap.gov.vn' },
  nojs: { fullName: 'Phan Văn Lợi', email: 'van.loi@dongthap.gov.vn' },
  axe: { fullName: 'Huỳnh Ngọc Mai', email: 'ngoc.mai@dongthap.gov.vn' },
};
// A verified citizen made in the database, for the profile page's accessibility check.
const axeCitizen = { fullName: 'Võ Minh Tâm', idNumber: '087195007777', email: 'minh.tam@example.vn', phone: '0901234567' };


const step = (at = Date.now()) => Math.floor(at / TOTP_STEP_MS);

/**
 * The code of the first step after `used` (the server refuses a step it has already seen): the
 * next step's code is accepted a step early, as an authenticator whose clock runs a little ahead
 * would show it (the ±1-step window of RFC 6238), so the journey need not wait for the step to begin.
 */
function codeAfterStep(secret: string, used: number): string {
  return currentTotpCode(secret, Math.max(Date.now(), (used + 1) * TOTP_STEP_MS));
}

/** Six digits that are not the code of the previous, current or next step. */
function wrongCode(secret: string): string {
  const near = new Set([-1, 0, 1].map((d) => currentTotpCode(secret, Date.now() + d * TOTP_STEP_MS)));
  for (const candidate of ['000000', '111111', '222222', '123456']) if (!near.has(candidate)) return candidate;
  throw new Error('no wrong code found');
}

describe(`identity in a browser (${ENGINE})`, { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { PUBLIC_URL: base } });
    await t.app.listen({ host: '127.0.0.1', port });

    // Officers exist before the browser part, as an administrator would have created them.
    const db = t.database.db;
    const agency = await db.selectFrom('agency').select('id').where('code', '=', AGENCY_CODE).executeTakeFirstOrThrow();
    const passwordHash = await hashPassword(OFFICER_PASSWORD);
    for (const officer of Object.values(officers)) {
      const { id } = await db
        .insertInto('account')
        .values({ kind: 'officer', fullName: officer.fullName, email: officer.email, passwordHash, emailVerifiedAt: sql`now()` } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('roleAssignment').values({ accountId: id, role: 'reception', agencyId: agency.id }).execute();
    }
    await db
      .insertInto('account')
      .values({ kind: 'citizen', ...axeCitizen, passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: sql`now()` } as never)
      .execute();

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Runs in a fresh context; when it fails, the page as it was is kept as a `failure-<label>` screenshot. */
  function withPage<T>(options: BrowserContextOptions & { label?: string }, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const { label, ...contextOptions } = options;
    return withBrowserPage(browser, contextOptions, run, label ? (page) => shot(page, `failure-${label}`) : undefined);
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(RESULTS_DIR, `identity-${name}-${ENGINE}.png`), fullPage: true });

  const pathname = (page: Page) => new URL(page.url()).pathname;

  async function noScriptsIf(page: Page, mode: Mode) {
    if (mode === 'nojs') assert.equal(await page.locator('script').count(), 0, `${pathname(page)} needs no script`);
  }

  async function login(page: Page, email: string, password: string, expectPath: string) {
    await page.goto(`${base}/dang-nhap`);
    await page.getByLabel('Thư điện tử', { exact: true }).fill(email);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
    await Promise.all([page.waitForURL((url) => url.pathname === expectPath), page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()]);
  }

  const runAxe = assertNoAxeViolations;

  // ---------- the citizen ----------

  async function citizenJourney(page: Page, mode: Mode) {
    const c = citizens[mode];

    // 1. Registration: a malformed CCCD first.
    const form = await page.goto(`${base}/dang-ky`);
    assert.equal(form?.status(), 200);
    await noScriptsIf(page, mode);
    await page.getByLabel('Họ và tên', { exact: true }).fill(c.fullName);
    await page.getByLabel('Số định danh cá nhân (CCCD)', { exact: true }).fill('12345');
    await page.getByLabel('Thư điện tử', { exact: true }).fill(c.email);
    await page.getByLabel('Số điện thoại di động', { exact: true }).fill(c.phone);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
    const [rejected] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/dang-ky'), page.getByRole('button', { name: 'Đăng ký', exact: true }).click()]);
    await page.waitForLoadState();
    assert.equal(rejected.status(), 400, 'a malformed CCCD is an input error');
    assert.match(await page.title(), /^Lỗi: /, 'the title says the page has errors');
    const summary = page.locator('.error-summary');
    assert.ok(await summary.isVisible(), 'the error summary is shown');
    assert.equal(await summary.getAttribute('tabindex'), '-1', 'the error summary can take focus');
    const summaryLinks = summary.locator('a');
    assert.equal(await summaryLinks.count(), 1, `only the CCCD is wrong: ${await summary.innerText()}`);
    assert.equal((await summaryLinks.first().innerText()).trim(), ID_FORMAT_MESSAGE);
    const target = (await summaryLinks.first().getAttribute('href')) ?? '';
    const idInput = page.getByLabel('Số định danh cá nhân (CCCD)', { exact: true });
    assert.equal(target, `#${await idInput.getAttribute('id')}`, 'the summary links to the CCCD field');
    assert.equal(await idInput.getAttribute('aria-invalid'), 'true');
    assert.equal(((await page.locator(`${target}-error`).textContent()) ?? '').replace(/\s+/g, ' ').trim(), `Lỗi: ${ID_FORMAT_MESSAGE}`, 'the message is also at the field');
    assert.equal(await idInput.inputValue(), '12345', 'what was typed is kept');
    assert.equal(await page.getByLabel('Họ và tên', { exact: true }).inputValue(), c.fullName);
    assert.equal(await page.getByLabel('Thư điện tử', { exact: true }).inputValue(), c.email);
    assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).inputValue(), '', 'the password is not sent back');
    await shot(page, `register-errors-${mode}`);
    // The summary link takes the keyboard user to the field.
    await summaryLinks.first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((hash) => location.hash === hash, target).catch(() => undefined);
    assert.equal(new URL(page.url()).hash, target, 'following the summary link goes to the field');
    const focused = await page.evaluate(() => document.activeElement?.id ?? '');
    assert.equal(`#${focused}`, target, 'the CCCD field has the focus after following the summary link');

    // ...then a valid one.
    await idInput.fill(c.idNumber);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === '/dang-ky/kiem-tra-thu'), page.getByRole('button', { name: 'Đăng ký', exact: true }).click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Kiểm tra hộp thư của bạn');
    await shot(page, `register-check-email-${mode}`);

    // 2. The email, through the developer inbox.
    assert.ok((await t.runJobs()) >= 1, 'the verification email job ran');
    const mail = await t.database.db
      .withTables<{ devMail: { id: number; toAddress: string; subject: string; text: string } }>()
      .selectFrom('devMail')
      .select(['id', 'toAddress', 'subject', 'text'])
      .where('toAddress', '=', c.email)
      .executeTakeFirstOrThrow();
    assert.match(mail.text, new RegExp(`${base.replace(/[.]/g, '\\.')}/xac-thuc-email\\?token=`), 'the email links to this server');

    await page.goto(`${base}/dev/hop-thu`);
    await noScriptsIf(page, mode);
    const newest = page.locator('table tbody tr').first();
    assert.match(await newest.innerText(), new RegExp(c.email.replace(/[.]/g, '\\.')), 'the newest message is to the new citizen');
    await shot(page, `dev-inbox-${mode}`);
    await Promise.all([page.waitForURL((url) => url.pathname === `/dev/hop-thu/${mail.id}`), newest.getByRole('link').click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), mail.subject);
    await shot(page, `dev-inbox-message-${mode}`);
    const verifyLink = page.locator('ul.dev-mail-links a', { hasText: '/xac-thuc-email?token=' }).first();
    await Promise.all([page.waitForURL((url) => url.pathname === '/xac-thuc-email'), verifyLink.click()]);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Xác thực địa chỉ thư điện tử');
    await noScriptsIf(page, mode);
    await shot(page, `verify-confirm-${mode}`);
    const [confirmed] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/xac-thuc-email'),
      page.getByRole('button', { name: 'Xác nhận', exact: true }).click(),
    ]);
    await page.waitForLoadState();
    await shot(page, `verify-done-${mode}`);
    assert.equal(confirmed.status(), 200, `confirming the email answers 200: "${await page.title()}"`);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Tài khoản đã được kích hoạt');

    // 3. Login and the profile.
    await Promise.all([page.waitForURL((url) => url.pathname === '/dang-nhap'), page.getByRole('link', { name: 'Đăng nhập ngay' }).click()]);
    await noScriptsIf(page, mode);
    await shot(page, `login-${mode}`);
    await login(page, c.email, PASSWORD, '/tai-khoan');
    await noScriptsIf(page, mode);
    assert.equal((await page.locator('h1').innerText()).trim(), 'Tài khoản của tôi');
    const rows = await page.locator('.summary-list__row').evaluateAll((els) =>
      Object.fromEntries(els.map((el) => [el.querySelector('dt')?.textContent?.trim() ?? '', el.querySelector('dd')?.textContent?.trim() ?? ''])),
    );
    assert.equal(rows['Họ và tên'], c.fullName);
    const shownId = rows['Số định danh cá nhân (CCCD)'] ?? '';
    const masked = new RegExp(`^${c.idNumber.slice(0, 3)}[*•x]+${c.idNumber.slice(-3)}$|^[*•x]+${c.idNumber.slice(-4)}$`);
    assert.ok(shownId === c.idNumber || masked.test(shownId), `the profile shows the CCCD, full or masked: "${shownId}"`);
    assert.equal(rows['Thư điện tử'], c.email);
    // The header names who is logged in.
    assert.ok(await page.locator('header').getByRole('link', { name: c.fullName }).isVisible(), 'the header names the citizen');
    await shot(page, `profile-${mode}`);
    return shownId;
  }

  test('citizen: register (malformed CCCD first), verify the email, log in, see the profile (JavaScript on)', { timeout: 120_000 }, async (ctx) => {
    const shown = await withPage({ label: 'citizen-js' }, (page) => citizenJourney(page, 'js'));
    ctx.diagnostic(`the profile shows the CCCD as "${shown}"`);
  });

  test('citizen: the same without JavaScript', { timeout: 120_000 }, async (ctx) => {
    const shown = await withPage({ label: 'citizen-nojs', javaScriptEnabled: false }, (page) => citizenJourney(page, 'nojs'));
    ctx.diagnostic(`the profile shows the CCCD as "${shown}"`);
  });

  // ---------- the officer ----------

  /** Log in, set up TOTP from the page's secret; returns the secret and the step of the code used. */
  async function enrol(page: Page, mode: Mode | 'axe', onEnrolPage?: () => Promise<void>): Promise<{ secret: string; usedStep: number }> {
    const o = officers[mode];
    await login(page, o.email, OFFICER_PASSWORD, '/dang-nhap/thiet-lap-xac-thuc');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Thiết lập xác thực hai bước');
    const qr = page.locator('.qr svg');
    assert.equal(await qr.count(), 1, 'an inline SVG QR code');
    const box = await qr.boundingBox();
    assert.ok(box && box.width >= 120 && box.height >= 120, `the QR code is large enough to scan: ${JSON.stringify(box)}`);
    const secret = ((await page.locator('code[data-totp-secret]').textContent()) ?? '').trim();
    assert.match(secret, /^[A-Z2-7]{16,}=*$/, `a base32 secret: ${secret}`);
    await onEnrolPage?.();
    const at = Date.now();
    await page.getByLabel('Mã xác thực', { exact: true }).fill(currentTotpCode(secret, at));
    const [done] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/dang-nhap/thiet-lap-xac-thuc'),
      page.getByRole('button', { name: 'Xác nhận', exact: true }).click(),
    ]);
    await page.waitForLoadState();
    assert.equal(done.status(), 200, `the first code is accepted (${await page.title()})`);
    assert.equal((await page.locator('h1').first().innerText()).trim(), 'Đã bật xác thực hai bước');
    const codes = await page.locator('ul.codes li').allInnerTexts();
    assert.equal(codes.length, 10, 'ten recovery codes');
    assert.equal(new Set(codes).size, 10, 'all different');
    return { secret, usedStep: step(at) };
  }

  async function expectBackOfficeHome(page: Page, o: { fullName: string }) {
    assert.equal(pathname(page), '/quan-tri');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Trang làm việc của cán bộ');
    const roles = page.getByRole('table', { name: 'Vai trò được giao' });
    const row = roles.locator('tbody tr');
    assert.equal(await row.count(), 1, 'one role');
    const cells = await row.first().locator('td, th').allInnerTexts();
    assert.equal(cells[0]?.trim(), 'Cán bộ tiếp nhận');
    assert.match(cells[1] ?? '', new RegExp(`\\(${AGENCY_CODE.replace(/[.]/g, '\\.')}\\)$`));
    assert.ok(await page.locator('header').getByRole('link', { name: o.fullName }).isVisible(), 'the header names the officer');
  }

  async function officerJourney(page: Page, mode: Mode): Promise<void> {
    const o = officers[mode];
    const { secret, usedStep } = await enrol(page, mode, async () => {
      await noScriptsIf(page, mode);
      await shot(page, `totp-setup-${mode}`);
    });
    await noScriptsIf(page, mode);
    await shot(page, `recovery-codes-${mode}`);
    await Promise.all([page.waitForURL((url) => url.pathname === '/quan-tri'), page.getByRole('button', { name: 'Tiếp tục' }).click()]);
    await expectBackOfficeHome(page, o);
    await noScriptsIf(page, mode);
    await shot(page, `backoffice-${mode}`);

    // Log out from the header, and in again: now the code is asked for.
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('header').getByRole('button', { name: 'Đăng xuất' }).click()]);
    assert.equal(await page.locator('header').getByRole('link', { name: o.fullName }).count(), 0, 'logged out');
    const afterLogout = await page.goto(`${base}/quan-tri`);
    assert.equal(pathname(page), '/dang-nhap', `the back office sends a logged-out visitor to the login page (status ${afterLogout?.status()})`);
    await login(page, o.email, OFFICER_PASSWORD, '/dang-nhap/xac-thuc');
    assert.equal((await page.locator('h1').innerText()).trim(), 'Xác thực hai bước');
    await noScriptsIf(page, mode);
    await shot(page, `totp-login-${mode}`);

    // The back office is not open before the second step.
    await page.goto(`${base}/quan-tri`);
    assert.equal(pathname(page), '/dang-nhap/xac-thuc', 'the back office waits for the second step');

    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/dang-nhap/xac-thuc'),
      (async () => {
        await page.getByLabel('Mã xác thực', { exact: true }).fill(wrongCode(secret));
        await page.getByRole('button', { name: 'Tiếp tục', exact: true }).click();
      })(),
    ]);
    await page.waitForLoadState();
    assert.equal(refused.status(), 400);
    assert.match(await page.title(), /^Lỗi: /);
    assert.match(await page.locator('.error-summary').innerText(), /Mã xác thực không đúng/);
    await shot(page, `totp-wrong-${mode}`);

    // The code used at enrolment is spent: the next step's code opens the back office.
    await page.getByLabel('Mã xác thực', { exact: true }).fill(codeAfterStep(secret, usedStep));
    await Promise.all([page.waitForURL((url) => url.pathname === '/quan-tri'), page.getByRole('button', { name: 'Tiếp tục', exact: true }).click()]);
    await expectBackOfficeHome(page, o);
    await shot(page, `backoffice-again-${mode}`);
  }

  test('officer: log in, set up TOTP, back office, log out, log in with a wrong then the right code (JavaScript on)', { timeout: 180_000 }, async () => {
    await withPage({ label: 'officer-js' }, (page) => officerJourney(page, 'js'));
  });

  test('officer: the same without JavaScript', { timeout: 180_000 }, async () => {
    await withPage({ label: 'officer-nojs', javaScriptEnabled: false }, (page) => officerJourney(page, 'nojs'));
  });

  // ---------- axe-core ----------

  describe('axe-core, WCAG 2.1 AA', () => {
    // The CSP (script-src 'self') would block the injected axe script; only these contexts bypass it.
    const axeOptions: BrowserContextOptions = { bypassCSP: true };

    test('/dang-ky with errors shown has no violations', async () => {
      await withPage(axeOptions, async (page) => {
        await page.goto(`${base}/dang-ky`);
        await page.getByLabel('Số định danh cá nhân (CCCD)', { exact: true }).fill('12345');
        await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Đăng ký', exact: true }).click()]);
        await page.waitForLoadState();
        assert.match(await page.title(), /^Lỗi: /);
        await shot(page, 'axe-register-errors');
        await runAxe(page);
      });
    });

    test('/dang-nhap has no violations', async () => {
      await withPage(axeOptions, async (page) => {
        assert.equal((await page.goto(`${base}/dang-nhap`))?.status(), 200);
        await runAxe(page);
      });
    });

    test('/tai-khoan has no violations', async () => {
      await withPage(axeOptions, async (page) => {
        await login(page, axeCitizen.email, PASSWORD, '/tai-khoan');
        await runAxe(page);
      });
    });

    test('/dang-nhap/thiet-lap-xac-thuc and /quan-tri have no violations', async () => {
      await withPage(axeOptions, async (page) => {
        let enrolPage: Error | undefined;
        await enrol(page, 'axe', async () => {
          await runAxe(page).catch((error: Error) => {
            enrolPage = error;
          });
        });
        await Promise.all([page.waitForURL((url) => url.pathname === '/quan-tri'), page.getByRole('button', { name: 'Tiếp tục' }).click()]);
        await expectBackOfficeHome(page, officers.axe);
        let home: Error | undefined;
        await runAxe(page).catch((error: Error) => {
          home = error;
        });
        const failures = [enrolPage, home].filter(Boolean).map((e) => e!.message);
        assert.equal(failures.length, 0, failures.join('\n\n'));
      });
    });
  });
});
