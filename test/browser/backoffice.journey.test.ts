// A browser journey of the back office (issue #5), on Debian's Chromium through playwright-core:
// a citizen's birth registration, submitted through the API beforehand, goes through the one-stop
// path in the officers' pages. Reception logs in (password, then TOTP enrolment from the page's
// secret), finds the dossier in "Mới tiếp nhận", accepts it and assigns it to the specialist; the
// specialist finds it in "Được giao cho tôi", writes a processing note and forwards it; the leader
// finds it in "Chờ phê duyệt" and approves it; reception logs in again (a TOTP step not used
// before) and returns the result online. The citizen then sees "Đã trả kết quả" on the tracking
// page and rates the handling from "Hồ sơ của tôi". The control slip (form 05) is read back with
// pdftotext: one row per hand-over, each judged against its step's due time. axe-core (WCAG 2.1
// AA) on the pages of the way; screenshots of the inbox and of the dossier page, and the slip, go to
// /tmp/backoffice-* for a human to look at.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { assertAccessibleWithoutInlineScript, chromiumMissing, freePort, launchChromium, withBrowserPage } from '../helpers/browser.js';
import { api, birthRegistrationData, uploadAttachment } from '../helpers/dossier.js';
import { samplePdf } from '../helpers/files.js';
import { createOfficer, freshTotpCode, loginCitizen, registerVerifiedCitizen, type Officer } from '../helpers/identity.js';

const SHOTS_DIR = '/tmp';
const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const PDFTOTEXT = '/usr/bin/pdftotext';

const AGENCY_CODE = '000.00.51.H20';
const BIRTH_CODE = '1.001193';
const CODE_PATTERN = /^000\.00\.51\.H20-\d{6}-\d{4}$/;
const INBOX = '/quan-tri/ho-so';
const TIMELINESS_WORDS = ['Sớm hạn', 'Đúng hạn', 'Quá hạn'] as const;

// The mother applies; 087 = Đồng Tháp, century digit 1 (1900s, female), year 95.
const citizen = { fullName: 'Nguyễn Thị Hồng Nhung', idNumber: '087195005566', email: 'hong.nhung.motcua@example.vn', phone: '0912345670', password: 'song Tien xanh 2026' };
const staff = {
  reception: { fullName: 'Lê Thị Thu Trang', email: 'thu.trang.motcua@dongthap.gov.vn', password: 'cau Rach Mieu 1-2002' },
  specialist: { fullName: 'Nguyễn Văn Phúc', email: 'van.phuc.tuphap@dongthap.gov.vn', password: 'cau My Thuan 2-2023' },
  leader: { fullName: 'Trần Quốc Bảo', email: 'quoc.bao.chutich@dongthap.gov.vn', password: 'cau Cao Lanh 3-2018' },
} as const;
type Who = keyof typeof staff;

const skip = chromiumMissing || (fs.existsSync(PDFTOTEXT) ? false : `${PDFTOTEXT} is absent: install poppler-utils to read the control slip`);


describe(`the back office in a browser (${ENGINE})`, { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let code: string;
  let dossierId: string;
  const officers = {} as Record<Who, Officer>;
  /** TOTP seeds read from the enrolment page, by officer. */
  const seeds = new Map<Who, string>();

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { PUBLIC_URL: base } });
    await t.app.listen({ host: '127.0.0.1', port });

    // The citizen registered, confirmed the email and submitted a birth registration online.
    await registerVerifiedCitizen(t, citizen);
    const client = await loginCitizen(t.app, citizen.email, citizen.password);
    const data = birthRegistrationData({ applicantIdNumber: citizen.idNumber, applicantPhone: citizen.phone, applicantEmail: citizen.email, motherIdNumber: citizen.idNumber, numberOfCopies: 2 });
    const draft = await api(t.app, client, 'POST', '/api/v1/dossiers', { procedureCode: BIRTH_CODE, agencyCode: AGENCY_CODE, data });
    assert.equal(draft.statusCode, 201, draft.body);
    dossierId = draft.json().id as string;
    const slots = (await api(t.app, client, 'GET', `/api/v1/dossiers/${dossierId}`)).json().slots as { index: number; required: boolean }[];
    for (const slot of slots.filter((s) => s.required)) {
      const uploaded = await uploadAttachment(t.app, client, dossierId, slot.index, `giay-to-${slot.index}.pdf`, samplePdf(`slot ${slot.index}`));
      assert.equal(uploaded.statusCode, 201, uploaded.body);
    }
    const submitted = await api(t.app, client, 'POST', `/api/v1/dossiers/${dossierId}/submit`, undefined, { 'idempotency-key': `journey-${dossierId}` });
    assert.equal(submitted.statusCode, 201, submitted.body);
    code = submitted.json().code as string;
    assert.match(code, CODE_PATTERN);

    // Three officers of the commune, as an administrator would have created them; none has TOTP yet.
    const roles = { reception: 'reception', specialist: 'specialist', leader: 'leader' } as const;
    for (const who of Object.keys(staff) as Who[]) {
      officers[who] = await createOfficer(t.database.db, { ...staff[who], roles: [{ role: roles[who], agencyCode: AGENCY_CODE }] });
    }
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

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS_DIR, `backoffice-${name}-${ENGINE}.png`), fullPage: true });
  const pathname = (page: Page) => new URL(page.url()).pathname;
  const h1 = async (page: Page) => (await page.locator('h1').first().innerText()).replace(/\s+/g, ' ').trim();
  const dossierPath = () => `${INBOX}/${encodeURIComponent(code)}`;

  const axe = assertAccessibleWithoutInlineScript;

  /** The summary lists of the page as "term → description". */
  const summaryRows = (page: Page) =>
    page.locator('.summary-list__row').evaluateAll((els) =>
      Object.fromEntries(els.map((el) => [el.querySelector('dt')?.textContent?.trim() ?? '', (el.querySelector('dd') as HTMLElement | null)?.innerText.replace(/\s+/g, ' ').trim() ?? ''])),
    );

  /** Logs an officer in through the pages: password, then TOTP enrolment (first time, the seed read
   *  from the page) or the TOTP step; a code of a step the server has not seen (freshTotpCode). */
  async function officerLogin(page: Page, who: Who) {
    const o = officers[who];
    await page.goto(`${base}/dang-nhap`);
    await page.getByLabel('Thư điện tử', { exact: true }).fill(o.email);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(o.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/dang-nhap/thiet-lap-xac-thuc' || url.pathname === '/dang-nhap/xac-thuc'),
      page.getByRole('button', { name: 'Đăng nhập', exact: true }).click(),
    ]);
    if (pathname(page) === '/dang-nhap/thiet-lap-xac-thuc') {
      assert.ok(!seeds.has(who), `${who} enrols once`);
      assert.equal(await h1(page), 'Thiết lập xác thực hai bước');
      const secret = ((await page.locator('code[data-totp-secret]').textContent()) ?? '').trim();
      assert.match(secret, /^[A-Z2-7]{16,}=*$/, `a base32 secret: ${secret}`);
      seeds.set(who, secret);
      await page.getByLabel('Mã xác thực', { exact: true }).fill(await freshTotpCode(t.database.db, o.id, secret));
      const [done] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/dang-nhap/thiet-lap-xac-thuc'),
        page.getByRole('button', { name: 'Xác nhận', exact: true }).click(),
      ]);
      await page.waitForLoadState();
      assert.equal(done.status(), 200, `the first code is accepted (${await page.title()})`);
      assert.equal(await h1(page), 'Đã bật xác thực hai bước');
      await Promise.all([page.waitForURL((url) => url.pathname === '/quan-tri'), page.getByRole('button', { name: 'Tiếp tục', exact: true }).click()]);
    } else {
      const secret = seeds.get(who);
      assert.ok(secret, `${who} enrolled earlier in this journey`);
      assert.equal(await h1(page), 'Xác thực hai bước');
      // The server refuses a step at or below the last one used (enrolment used one already).
      await page.getByLabel('Mã xác thực', { exact: true }).fill(await freshTotpCode(t.database.db, o.id, secret));
      await Promise.all([page.waitForURL((url) => url.pathname === '/quan-tri'), page.getByRole('button', { name: 'Tiếp tục', exact: true }).click()]);
    }
    assert.equal(await h1(page), 'Trang làm việc của cán bộ');
    assert.ok(await page.locator('header').getByRole('link', { name: o.fullName }).isVisible(), 'the header names the officer');
  }

  async function logout(page: Page, who: Who) {
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('header').getByRole('button', { name: 'Đăng xuất', exact: true }).click()]);
    assert.equal(await page.locator('header').getByRole('link', { name: officers[who].fullName }).count(), 0, `${who} is logged out`);
  }

  /** From the back-office home to the inbox, one tab, and the dossier's row in it (by its code). */
  async function openFromInbox(page: Page, tab: string): Promise<Locator> {
    await Promise.all([page.waitForURL((url) => url.pathname === INBOX), page.getByRole('link', { name: 'Hồ sơ cần xử lý', exact: true }).click()]);
    assert.equal(await h1(page), 'Hồ sơ cần xử lý');
    const tabs = page.getByRole('navigation', { name: 'Các mục hồ sơ' });
    const tabLink = tabs.getByRole('link', { name: new RegExp(`^${tab} \\(\\d+\\)$`) });
    await Promise.all([page.waitForURL((url) => url.pathname === INBOX && url.searchParams.has('tab')), tabLink.click()]);
    assert.equal(await tabs.locator('a[aria-current="page"]').innerText(), await tabLink.innerText(), `the "${tab}" tab is the current one`);
    assert.match(await tabLink.innerText(), /\((?:[1-9]\d*)\)$/, `the "${tab}" tab counts the dossier`);
    const row = page.locator('table tbody tr').filter({ has: page.getByRole('link', { name: code, exact: true }) });
    assert.equal(await row.count(), 1, `the dossier ${code} is listed under "${tab}"`);
    return row;
  }

  async function openDossier(page: Page, row: Locator) {
    await Promise.all([page.waitForURL((url) => url.pathname === dossierPath()), row.getByRole('link', { name: code, exact: true }).click()]);
    assert.equal(await h1(page), `Hồ sơ ${code}`);
  }

  const actions = (page: Page) => page.locator('section#thao-tac');

  /** The folded form of an action that asks for something, opened (unless axe already opened it). */
  async function actionForm(page: Page, label: string): Promise<Locator> {
    const details = actions(page).locator('details').filter({ has: page.locator('summary', { hasText: label }) });
    assert.equal(await details.count(), 1, `one "${label}" form`);
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    return details;
  }

  /** Presses an action's button; the POST redirects to the dossier page, which says what was done. */
  async function act(page: Page, scope: Locator, label: string, status: string) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith(`${dossierPath()}/`)),
      scope.getByRole('button', { name: label, exact: true }).click(),
    ]);
    await page.waitForLoadState();
    assert.equal(response.status(), 303, `"${label}" is taken (${await page.title()}): ${await page.locator('.error-summary').allInnerTexts()}`);
    assert.equal(pathname(page), dossierPath());
    const banner = page.getByRole('region', { name: 'Thông báo' });
    assert.equal((await banner.innerText()).replace(/\s+/g, ' ').trim(), `Đã thực hiện “${label}”. Trạng thái hiện tại: ${status}.`, 'the banner says what was done');
    assert.equal((await summaryRows(page))['Trạng thái'], status);
  }

  test('reception accepts and assigns, the specialist processes and forwards, the leader approves, reception returns the result, the citizen rates', { timeout: 90_000 }, async (ctx) => {
    const timings: string[] = [];
    let mark = Date.now();
    const lap = (what: string) => {
      timings.push(`${what} ${((Date.now() - mark) / 1000).toFixed(1)} s`);
      mark = Date.now();
    };
    let slip = '';
    // Who the assign form offers; checked at the end, so that the rest of the journey runs first.
    let offered: string[] = [];

    // The officers share one desk computer: one context, logging out between them.
    await withPage({ label: 'officers', bypassCSP: true }, async (page) => {
      // 1. Reception: log in, the inbox's "Mới tiếp nhận", the dossier.
      await officerLogin(page, 'reception');
      lap('reception logs in (TOTP enrolment)');
      const fresh = await openFromInbox(page, 'Mới tiếp nhận');
      const cells = await fresh.locator('td, th').allInnerTexts();
      assert.ok(cells.some((c) => c.trim() === citizen.fullName), `the row names the applicant: ${cells.join(' | ')}`);
      assert.ok(cells.some((c) => c.trim() === 'Đã nộp, chờ tiếp nhận'), 'the row shows the status in words');
      await shot(page, 'inbox');
      await axe(page);
      await openDossier(page, fresh);
      assert.equal((await summaryRows(page))['Trạng thái'], 'Đã nộp, chờ tiếp nhận');
      lap('inbox');

      // 2. Accept.
      await act(page, actions(page), 'Tiếp nhận', 'Đã tiếp nhận');
      const accepted = await summaryRows(page);
      assert.ok(accepted['Tiếp nhận lúc'], 'the acceptance time is shown');
      assert.equal(accepted['Hình thức nộp'], 'Trực tuyến');
      assert.equal(await page.getByRole('link', { name: 'Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả', exact: true }).count(), 1, 'form 01 is offered once accepted');
      await shot(page, 'dossier-accepted');
      await axe(page);

      // 3. Assign to the specialist (reception may, from "accepted").
      const assign = await actionForm(page, 'Phân công');
      const assignee = assign.getByLabel('Chuyên viên xử lý', { exact: true });
      offered = (await assignee.locator('option').allInnerTexts()).map((s) => s.trim());
      assert.ok(offered.includes(staff.specialist.fullName), `the specialist is offered: ${offered.join(', ')}`);
      await assignee.selectOption({ label: staff.specialist.fullName });
      await act(page, assign, 'Phân công', 'Đang xử lý');
      const assigned = await summaryRows(page);
      assert.equal(assigned['Bước hiện tại'], 'Thẩm định, xử lý');
      assert.equal(assigned['Người đang giữ'], staff.specialist.fullName);
      lap('accept + assign');

      // 4. The specialist: "Được giao cho tôi", a processing note, forward.
      await logout(page, 'reception');
      await officerLogin(page, 'specialist');
      const mine = await openFromInbox(page, 'Được giao cho tôi');
      assert.ok((await mine.locator('td, th').allInnerTexts()).some((c) => c.trim() === staff.specialist.fullName), 'the row names the specialist as holder');
      await openDossier(page, mine);
      const note = 'Đã đối chiếu giấy chứng sinh với tờ khai; thông tin khớp.';
      const processForm = await actionForm(page, 'Ghi ý kiến xử lý');
      await processForm.getByLabel('Ý kiến xử lý', { exact: true }).fill(note);
      await act(page, processForm, 'Ghi ý kiến xử lý', 'Đang xử lý');
      assert.match(await page.getByRole('table', { name: 'Diễn biến xử lý' }).innerText(), new RegExp(note.replace(/[.;]/g, '\\$&')), 'the note is in the history');
      await axe(page);
      await act(page, actions(page), 'Chuyển bước tiếp', 'Đang xử lý');
      assert.equal((await summaryRows(page))['Bước hiện tại'], 'Phê duyệt, ký');
      await logout(page, 'specialist');
      lap('specialist');

      // 5. The leader: "Chờ phê duyệt", approve.
      await officerLogin(page, 'leader');
      await openDossier(page, await openFromInbox(page, 'Chờ phê duyệt'));
      await act(page, actions(page), 'Phê duyệt', 'Đã có kết quả');
      await logout(page, 'leader');
      lap('leader');

      // 6. Reception again (a TOTP step after the one used at enrolment): return the result online.
      await officerLogin(page, 'reception');
      await openDossier(page, await openFromInbox(page, 'Chờ trả kết quả'));
      const returnForm = await actionForm(page, 'Trả kết quả');
      await returnForm.getByRole('group', { name: 'Hình thức trả kết quả' }).getByLabel('Trực tuyến', { exact: true }).check();
      await act(page, returnForm, 'Trả kết quả', 'Đã trả kết quả');
      assert.equal(await actions(page).locator('form').count(), 0, 'nothing more to do');
      const history = await page.getByRole('table', { name: 'Diễn biến xử lý' }).locator('tbody tr').allInnerTexts();
      assert.equal(history.length, 7, `submit, accept, assign, note, forward, approve, return: ${history.join(' / ')}`);
      assert.match(history.at(-1) ?? '', /Trả kết quả: Trực tuyến/);
      await axe(page);
      lap('reception returns the result');

      // 8. The control slip (form 05) with reception's cookies, read back as text.
      const link = page.getByRole('link', { name: 'Mẫu 05: Phiếu kiểm soát quá trình giải quyết hồ sơ', exact: true });
      const href = (await link.getAttribute('href')) ?? '';
      assert.equal(href, `${dossierPath()}/phieu/05`);
      const pdf = await page.request.get(new URL(href, base).toString());
      assert.equal(pdf.status(), 200);
      assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/);
      const pdfFile = path.join(SHOTS_DIR, `backoffice-mau-05-${ENGINE}.pdf`);
      fs.writeFileSync(pdfFile, await pdf.body());
      slip = execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).normalize('NFC');
      lap('form 05');
    });

    // The slip: its title, the code, and one judged row per hand-over.
    assert.ok(slip.includes('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ'), `the slip's title:\n${slip}`);
    assert.ok(slip.includes(code), 'the slip carries the code');
    for (const step of ['Tiếp nhận hồ sơ', 'Thẩm định, xử lý', 'Phê duyệt, ký', 'Trả kết quả cho người nộp']) assert.ok(slip.includes(step), `the slip lists "${step}":\n${slip}`);
    for (const name of [staff.reception.fullName, staff.specialist.fullName, staff.leader.fullName]) assert.ok(slip.includes(name), `the slip names ${name}`);
    const judged = slip.split('\n').flatMap((line) => TIMELINESS_WORDS.filter((w) => line.includes(w)));
    const rows = slip.split('\n').filter((line) => /^\s*\d+\s{2,}\S/.test(line)).length;
    assert.ok(rows >= 5, `one numbered row per hand-over (submit, accept, assign, forward, approve, return): ${rows}\n${slip}`);
    assert.equal(judged.length, rows, `each hand-over is judged (${judged.join(', ')}):\n${slip}`);
    assert.ok(!slip.includes('Đang xử lý'), 'no step is left pending once the result is returned');
    ctx.diagnostic(`form 05 judges the hand-overs: ${judged.join(', ')}`);

    // 7. The citizen: the tracking page, then "Hồ sơ của tôi" and the rating.
    await withPage({ label: 'citizen', bypassCSP: true }, async (page) => {
      await page.goto(`${base}/dang-nhap`);
      await page.getByLabel('Thư điện tử', { exact: true }).fill(citizen.email);
      await page.getByLabel('Mật khẩu', { exact: true }).fill(citizen.password);
      await Promise.all([page.waitForURL((url) => url.pathname !== '/dang-nhap'), page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()]);
      assert.ok(await page.locator('header').getByRole('link', { name: citizen.fullName }).isVisible(), 'the header names the citizen');

      assert.equal((await page.goto(`${base}/tra-cuu/${code}`))?.status(), 200);
      assert.equal(((await page.locator('h1 .dossier-code').textContent()) ?? '').trim(), code);
      assert.equal((await page.locator('p.lead').innerText()).trim(), 'Đã trả kết quả', 'the status in words');
      const timeline = await page.locator('.timeline li').allInnerTexts();
      assert.match(timeline.at(-1) ?? '', /Đã trả kết quả/, `the timeline ends with the return: ${timeline.join(' / ')}`);
      const tracked = await page.request.get(`${base}/api/v1/track/${code}`);
      assert.equal(tracked.status(), 200);
      assert.equal((await tracked.json()).statusCode, 10, 'the national status code of a returned dossier');
      await axe(page);

      await Promise.all([page.waitForURL((url) => url.pathname === `/ho-so/${dossierId}`), page.getByRole('link', { name: 'Xem trong Hồ sơ của tôi', exact: true }).click()]);
      assert.equal(await h1(page), `Hồ sơ ${code}`);
      assert.equal(await page.getByRole('link', { name: 'Hồ sơ của tôi', exact: true }).count() > 0, true, 'the breadcrumb leads to "Hồ sơ của tôi"');
      assert.equal((await summaryRows(page))['Tình trạng'], 'Đã trả kết quả');
      const rating = page.locator('section', { has: page.getByRole('heading', { name: 'Đánh giá mức độ hài lòng' }) });
      const criteria = ['Hướng dẫn, công khai thông tin thủ tục', 'Thái độ, tinh thần phục vụ của cán bộ', 'Thời gian giải quyết so với giấy hẹn', 'Kết quả giải quyết'];
      for (const name of criteria) await rating.getByRole('group', { name }).getByLabel('Hài lòng', { exact: true }).check();
      await rating.getByLabel('Góp ý (không bắt buộc)', { exact: true }).fill('Cán bộ hướng dẫn tận tình, trả kết quả nhanh.');
      await axe(page);
      await Promise.all([page.waitForURL((url) => url.pathname === `/ho-so/${dossierId}`), rating.getByRole('button', { name: 'Gửi đánh giá', exact: true }).click()]);
      await page.waitForLoadState();
      assert.match(await page.locator('main').innerText(), /Cảm ơn ông\/bà đã đánh giá\./, 'the thanks');
      assert.equal(await page.getByRole('button', { name: 'Gửi đánh giá' }).count(), 0, 'rated once');
      await axe(page);
      await shot(page, 'rated');
    });
    const stored = await t.database.db.selectFrom('dossierRating').selectAll().where('dossierId', '=', dossierId).executeTakeFirstOrThrow();
    assert.equal(stored.dissatisfied, false);
    lap('citizen');
    ctx.diagnostic(timings.join(', '));

    // Only the commune's specialists may be chosen: reception and the leader are no assignees.
    assert.deepEqual(offered, ['Chọn chuyên viên', staff.specialist.fullName], 'the assign form offers the specialists of the commune, and only them');
  });
});
