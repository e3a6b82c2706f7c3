// A browser journey of applying online (issue #4), on Debian's Chromium through playwright-core:
// a citizen registered beforehand searches "dang ky khai sinh", opens birth registration, presses
// "Nộp hồ sơ trực tuyến", is sent to log in and comes back to the start page; fills the e-form
// step by step (one malformed CCCD first, then the right one), uploads the birth certificate as a
// PDF (and is refused a renamed executable), checks the answers, submits, sees the dossier code,
// downloads the acknowledgement PDF, reads the tracking address printed under its QR code with
// pdftotext and opens it. axe-core (WCAG 2.1 AA) on every page of the way. Screenshots of the step
// with the error and of the confirmation go to /tmp/journey-*.png for a human to look at.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { assertAccessibleWithoutInlineScript, chromiumMissing, freePort, launchChromium, withBrowserPage } from '../helpers/browser.js';
import { sampleExe, samplePdf } from '../helpers/files.js';
import { registerVerifiedCitizen } from '../helpers/identity.js';

const SHOTS_DIR = '/tmp';
const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const PDFTOTEXT = '/usr/bin/pdftotext';

const QUERY = 'dang ky khai sinh';
const BIRTH_CODE = '1.001193';
const BIRTH_NAME = 'Thủ tục đăng ký khai sinh';
const START_PATH = `/thu-tuc/${BIRTH_CODE}/nop-truc-tuyen`;
const AGENCY = { code: '000.00.51.H20', name: 'Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp' };
const ADDRESS = { provinceCode: '82', communeCode: '28261', street: '12 Lê Lợi' };
const ADDRESS_TEXT = '12 Lê Lợi, Phường Mỹ Tho, Tỉnh Đồng Tháp';
const CODE_PATTERN = /^000\.00\.51\.H20-\d{6}-\d{4}$/;
const ID_MESSAGE = 'Số định danh cá nhân (CCCD): Gồm 12 chữ số, in trên thẻ căn cước hoặc căn cước công dân.';
const SLOT_NAME = /^Bản chính Giấy chứng sinh/;
const STATUS_NEW = 'Đã nộp, chờ tiếp nhận';

// The mother applies; 087 = Đồng Tháp, century digit 1 (1900s, female), year 95.
const citizen = { fullName: 'Nguyễn Thị Hồng Nhung', idNumber: '087195003344', email: 'hong.nhung.khaisinh@example.vn', phone: '0912345678', password: 'song Tien xanh 2026' };
const child = { fullName: 'Trần Minh Khôi', day: '20', month: '11', year: '2026', sex: 'nam', placeOfBirth: 'Bệnh viện Đa khoa tỉnh Đồng Tháp', ethnicity: 'Kinh', nationality: 'Việt Nam' };
const mother = { day: '02', month: '04', year: '1995', ethnicity: 'Kinh', nationality: 'Việt Nam' };

const skip = chromiumMissing || (fs.existsSync(PDFTOTEXT) ? false : `${PDFTOTEXT} is absent: install poppler-utils to read the acknowledgement PDF`);


describe(`applying online in a browser (${ENGINE})`, { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let files: string;

  before(async () => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-journey-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await createTestApp({ env: { PUBLIC_URL: base } });
    await t.app.listen({ host: '127.0.0.1', port });
    // The citizen registered and confirmed the email before this visit.
    await registerVerifiedCitizen(t, citizen);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  /** Runs in a fresh context; when it fails, the page as it was is kept as a `failure-<label>` screenshot. */
  function withPage<T>(options: BrowserContextOptions & { label?: string }, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
    const { label, ...contextOptions } = options;
    return withBrowserPage(browser, contextOptions, run, label ? (page) => shot(page, `failure-${label}`) : undefined);
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS_DIR, `journey-${name}-${ENGINE}.png`), fullPage: true });

  const pathname = (page: Page) => new URL(page.url()).pathname;
  const h1 = async (page: Page) => ((await page.locator('h1').first().innerText()) ?? '').trim();
  const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

  const axe = assertAccessibleWithoutInlineScript;

  /** Presses a submit button and waits for the POST's answer (a redirect is followed) and the page it leads to. */
  async function submit(page: Page, button: ReturnType<Page['getByRole']>): Promise<Response> {
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(base)), button.click()]);
    await page.waitForLoadState();
    return response;
  }

  const continueButton = (page: Page) => page.getByRole('button', { name: 'Lưu và tiếp tục', exact: true });

  async function fillAddress(page: Page, name: string) {
    await field(page, `f.${name}.provinceCode`).selectOption(ADDRESS.provinceCode);
    await field(page, `f.${name}.communeCode`).selectOption(ADDRESS.communeCode);
    await field(page, `f.${name}.street`).fill(ADDRESS.street);
  }

  async function fillDate(page: Page, name: string, date: { day: string; month: string; year: string }) {
    await field(page, `f.${name}.day`).fill(date.day);
    await field(page, `f.${name}.month`).fill(date.month);
    await field(page, `f.${name}.year`).fill(date.year);
  }

  /** The summary lists of the page as "term → description" (the last one wins when a term repeats). */
  const summaryRows = (page: Page) =>
    page.locator('.summary-list__row').evaluateAll((els) =>
      Object.fromEntries(els.map((el) => [el.querySelector('dt')?.textContent?.trim() ?? '', (el.querySelector('dd') as HTMLElement | null)?.innerText.replace(/\s+/g, ' ').trim() ?? ''])),
    );

  test('a citizen searches, logs in, fills the birth registration, uploads, submits and tracks the dossier', { timeout: 120_000 }, async (ctx) => {
    const timings: string[] = [];
    let mark = Date.now();
    const lap = (what: string) => {
      timings.push(`${what} ${((Date.now() - mark) / 1000).toFixed(1)} s`);
      mark = Date.now();
    };

    // The CSP (script-src 'self') would block the injected axe script; this context bypasses it.
    const code = await withPage({ label: 'apply', bypassCSP: true }, async (page) => {
      // 1. Search without diacritics, open birth registration.
      assert.equal((await page.goto(`${base}/`))?.status(), 200);
      const box = page.getByLabel('Tìm thủ tục hành chính');
      await box.fill(QUERY);
      await Promise.all([page.waitForURL((url) => url.pathname === '/thu-tuc' && url.searchParams.get('q') === QUERY), box.press('Enter')]);
      const result = page.locator('ol.result-list li a', { hasText: BIRTH_NAME }).first();
      assert.ok(await result.isVisible(), 'the results list birth registration');
      await Promise.all([page.waitForURL(`${base}/thu-tuc/${BIRTH_CODE}`), result.click()]);
      assert.equal(await h1(page), BIRTH_NAME);
      lap('search');

      // 2. The green start button sends an anonymous visitor to log in, and back afterwards.
      const apply = page.getByRole('button', { name: /Nộp hồ sơ trực tuyến/ });
      assert.match((await apply.getAttribute('class')) ?? '', /start/, 'the start button');
      await Promise.all([page.waitForURL((url) => url.pathname === '/dang-nhap'), apply.click()]);
      assert.equal(new URL(page.url()).searchParams.get('next'), START_PATH, 'the login page knows where to come back to');
      await axe(page);
      await page.getByLabel('Thư điện tử', { exact: true }).fill(citizen.email);
      await page.getByLabel('Mật khẩu', { exact: true }).fill(citizen.password);
      await Promise.all([page.waitForURL((url) => url.pathname === START_PATH), page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()]);
      assert.equal(await h1(page), 'Nộp hồ sơ trực tuyến');
      assert.ok(await page.locator('header').getByRole('link', { name: citizen.fullName }).isVisible(), 'the header names the citizen');
      await axe(page);
      await Promise.all([page.waitForURL(/\/ho-so\/[0-9a-f-]{36}\/buoc\/1$/), page.getByRole('button', { name: /^Bắt đầu/ }).click()]);
      const dossierPath = pathname(page).replace(/\/buoc\/1$/, '');
      lap('login');

      // 3a. Where to apply.
      assert.equal(await h1(page), 'Nơi nộp hồ sơ');
      assert.match(await page.locator('.caption').innerText(), /^Bước 1\/5 · /);
      const agency = page.getByLabel('Cơ quan tiếp nhận', { exact: true });
      assert.equal((await agency.locator(`option[value="${AGENCY.code}"]`).innerText()).trim(), AGENCY.name);
      await agency.selectOption(AGENCY.code);
      await axe(page);
      await Promise.all([page.waitForURL(`${base}${dossierPath}/buoc/2`), continueButton(page).click()]);

      // 3b. The applicant: the profile fills in what it knows; one malformed CCCD first.
      assert.equal(await h1(page), 'Thông tin người yêu cầu');
      assert.equal(await field(page, 'f.applicantName').inputValue(), citizen.fullName, 'the name comes from the profile');
      assert.equal(await field(page, 'f.applicantIdNumber').inputValue(), citizen.idNumber, 'the CCCD comes from the profile');
      assert.equal(await field(page, 'f.applicantPhone').inputValue(), citizen.phone, 'the phone comes from the profile');
      assert.equal(await field(page, 'f.applicantEmail').inputValue(), citizen.email, 'the email comes from the profile');
      const idInput = field(page, 'f.applicantIdNumber');
      await idInput.fill(citizen.idNumber.slice(0, 11));
      await fillAddress(page, 'applicantAddress');
      await field(page, 'f.relationshipToChild').selectOption('me');
      const rejected = await submit(page, continueButton(page));
      assert.equal(rejected.status(), 422, 'an 11-digit CCCD is an input error');
      assert.match(await page.title(), /^Lỗi: /, 'the title says the page has errors');
      const summary = page.locator('.error-summary');
      assert.ok(await summary.isVisible(), 'the error summary is shown');
      const summaryLinks = summary.locator('a');
      assert.equal(await summaryLinks.count(), 1, `only the CCCD is wrong: ${await summary.innerText()}`);
      assert.equal((await summaryLinks.first().innerText()).trim(), ID_MESSAGE);
      const target = (await summaryLinks.first().getAttribute('href')) ?? '';
      assert.equal(target, `#${await idInput.getAttribute('id')}`, 'the summary links to the CCCD field');
      assert.equal(target, '#f-applicantIdNumber');
      assert.equal(await idInput.getAttribute('aria-invalid'), 'true');
      assert.equal(((await page.locator(`${target}-error`).textContent()) ?? '').replace(/\s+/g, ' ').trim(), `Lỗi: ${ID_MESSAGE}`, 'the message is also at the field');
      assert.equal(await idInput.inputValue(), citizen.idNumber.slice(0, 11), 'what was typed is kept');
      assert.equal(await field(page, 'f.applicantAddress.communeCode').inputValue(), ADDRESS.communeCode, 'the other answers are kept');
      assert.equal(await field(page, 'f.relationshipToChild').inputValue(), 'me');
      await shot(page, 'form-error');
      await axe(page);
      await idInput.fill(citizen.idNumber);
      await Promise.all([page.waitForURL(`${base}${dossierPath}/buoc/3`), continueButton(page).click()]);
      lap('agency + applicant (with the error)');

      // 3c. The child.
      assert.equal(await h1(page), 'Thông tin người được khai sinh');
      await field(page, 'f.childFullName').fill(child.fullName);
      await fillDate(page, 'childDateOfBirth', child);
      await field(page, 'f.childSex').selectOption(child.sex);
      await field(page, 'f.childPlaceOfBirth').fill(child.placeOfBirth);
      await field(page, 'f.childEthnicity').fill(child.ethnicity);
      await field(page, 'f.childNationality').fill(child.nationality);
      await axe(page);
      await Promise.all([page.waitForURL(`${base}${dossierPath}/buoc/4`), continueButton(page).click()]);

      // 3d. The parents: the mother only (the father's part is optional).
      assert.equal(await h1(page), 'Thông tin cha, mẹ');
      await field(page, 'f.motherFullName').fill(citizen.fullName);
      await fillDate(page, 'motherDateOfBirth', mother);
      await field(page, 'f.motherEthnicity').fill(mother.ethnicity);
      await field(page, 'f.motherNationality').fill(mother.nationality);
      await field(page, 'f.motherIdNumber').fill(citizen.idNumber);
      await fillAddress(page, 'motherResidence');
      await Promise.all([page.waitForURL(`${base}${dossierPath}/buoc/5`), continueButton(page).click()]);

      // 3e. Copies.
      assert.equal(await h1(page), 'Yêu cầu khác');
      await field(page, 'f.numberOfCopies').fill('2');
      await Promise.all([page.waitForURL(`${base}${dossierPath}/giay-to`), continueButton(page).click()]);
      lap('child, parents, copies');

      // 4. The documents: a PDF into the birth certificate's slot; a renamed executable is refused.
      assert.equal(await h1(page), 'Giấy tờ kèm theo');
      const slot = page.locator('section.document-slot').filter({ has: page.getByRole('heading', { name: SLOT_NAME }) });
      assert.equal(await slot.count(), 1, 'one slot for the birth certificate');
      assert.equal(await slot.locator('.optional').count(), 0, 'the birth certificate is required');
      const pdfPath = path.join(files, 'giay-chung-sinh.pdf');
      fs.writeFileSync(pdfPath, samplePdf('Giay chung sinh'));
      await slot.getByLabel('Chọn tệp').setInputFiles(pdfPath);
      const uploaded = await submit(page, slot.getByRole('button', { name: 'Tải lên', exact: true }));
      assert.equal(uploaded.status(), 303, 'the upload is taken');
      assert.equal(pathname(page), `${dossierPath}/giay-to`);
      const listed = slot.locator('ul.file-list li');
      assert.equal(await listed.count(), 1, 'the file is listed');
      assert.match(await listed.first().innerText(), /giay-chung-sinh\.pdf/);
      await axe(page);

      const virusPath = path.join(files, 'virus.pdf');
      fs.writeFileSync(virusPath, sampleExe());
      assert.equal(fs.readFileSync(virusPath).subarray(0, 2).toString('latin1'), 'MZ');
      await slot.getByLabel('Chọn tệp').setInputFiles(virusPath);
      const refused = await submit(page, slot.getByRole('button', { name: 'Tải lên', exact: true }));
      assert.equal(refused.status(), 415, 'an executable named .pdf is refused by its content');
      assert.match(await page.title(), /^Lỗi: /);
      const refusal = (await slot.locator('.error-message').innerText()).trim();
      assert.match(refusal, /^Tệp không đúng định dạng cho phép\. Chỉ nhận: .*PDF.*Hệ thống kiểm tra nội dung tệp, không dựa vào đuôi tên tệp\.$/, `the refusal: ${refusal}`);
      assert.match(await page.locator('.error-summary').innerText(), /Tệp không đúng định dạng cho phép/);
      assert.equal(await listed.count(), 1, 'nothing was added');
      assert.doesNotMatch(await slot.innerText(), /virus\.pdf/);
      await shot(page, 'upload-refused');
      await axe(page);
      await Promise.all([page.waitForURL(`${base}${dossierPath}/kiem-tra`), page.getByRole('button', { name: 'Lưu và tiếp tục', exact: true }).click()]);
      lap('uploads');

      // 5. Check the answers, then submit.
      assert.equal(await h1(page), 'Kiểm tra thông tin');
      assert.equal(await page.locator('.error-summary').count(), 0, 'nothing is missing');
      const rows = await summaryRows(page);
      assert.equal(rows['Cơ quan tiếp nhận'], AGENCY.name);
      assert.equal(rows['Họ, chữ đệm và tên người yêu cầu'], citizen.fullName);
      assert.equal(rows['Số định danh cá nhân (CCCD)'], citizen.idNumber);
      assert.equal(rows['Nơi cư trú của người yêu cầu'], ADDRESS_TEXT);
      assert.equal(rows['Quan hệ với người được khai sinh'], 'Mẹ');
      assert.equal(rows['Họ, chữ đệm và tên người được khai sinh'], child.fullName);
      assert.equal(rows['Ngày, tháng, năm sinh'], `${child.day}/${child.month}/${child.year}`);
      assert.equal(rows['Giới tính'], 'Nam');
      assert.equal(rows['Ngày, tháng, năm sinh của mẹ'], `${mother.day}/${mother.month}/${mother.year}`);
      assert.equal(rows['Nơi cư trú của mẹ'], ADDRESS_TEXT);
      assert.equal(rows['Số bản sao Giấy khai sinh yêu cầu cấp'], '2');
      assert.match(rows['Bản chính Giấy chứng sinh; nếu không có thì văn bản của người làm chứng hoặc giấy cam đoan về việc sinh'] ?? '', /^giay-chung-sinh\.pdf$/);
      const changes = page.getByRole('link', { name: /^Thay đổi/ });
      assert.equal(await changes.count(), 6, 'a "Thay đổi" link for each of the five steps and the documents');
      assert.equal(await changes.first().getAttribute('href'), `${dossierPath}/buoc/1?tu=kiem-tra`);
      await axe(page);
      await Promise.all([page.waitForURL(`${base}${dossierPath}/da-nop`), page.getByRole('button', { name: 'Nộp hồ sơ', exact: true }).click()]);
      lap('check + submit');

      // 6. The code.
      const panel = page.locator('.panel');
      assert.equal((await panel.locator('h1').innerText()).trim(), 'Đã nộp hồ sơ');
      const code = ((await panel.locator('.dossier-code').textContent()) ?? '').trim();
      assert.match(code, CODE_PATTERN);
      await shot(page, 'confirmation');
      await axe(page);

      // 7. The acknowledgement PDF, and the tracking page through the address under its QR code.
      const receipt = page.getByRole('link', { name: 'Tải giấy xác nhận đã nộp hồ sơ (PDF)' });
      const receiptUrl = new URL((await receipt.getAttribute('href')) ?? '', base).toString();
      const pdf = await page.request.get(receiptUrl);
      assert.equal(pdf.status(), 200);
      assert.match(pdf.headers()['content-type'] ?? '', /^application\/pdf/);
      const pdfFile = path.join(files, 'xac-nhan.pdf');
      fs.writeFileSync(pdfFile, await pdf.body());
      const text = execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).normalize('NFC');
      assert.ok(text.includes(code), 'the PDF carries the code');
      assert.ok(text.includes(citizen.fullName), `the PDF names the applicant with the diacritics: ${text.slice(0, 800)}`);
      assert.ok(text.includes('GIẤY XÁC NHẬN ĐÃ NỘP HỒ SƠ TRỰC TUYẾN'), 'the PDF has its title');
      const tracking = new RegExp(`${base.replace(/[.]/g, '\\.')}/tra-cuu/\\S+`).exec(text)?.[0];
      assert.equal(tracking, `${base}/tra-cuu/${code}`, `the address under the QR code: ${text.slice(-600)}`);
      lap('code + PDF');

      assert.equal((await page.goto(tracking))?.status(), 200);
      assert.equal(((await page.locator('h1 .dossier-code').textContent()) ?? '').trim(), code);
      assert.equal((await page.locator('p.lead').innerText()).trim(), STATUS_NEW, 'the status in words');
      assert.match(await page.locator('.timeline').innerText(), new RegExp(STATUS_NEW));
      const trackRows = await summaryRows(page);
      assert.equal(trackRows['Cơ quan tiếp nhận'], AGENCY.name);
      assert.equal(trackRows['Người nộp'], citizen.fullName, 'the owner sees the applicant');
      await axe(page);
      return code;
    });

    // Whoever scans the QR code without being logged in sees the status, not the applicant.
    await withPage({ label: 'track-anonymous' }, async (page) => {
      assert.equal((await page.goto(`${base}/tra-cuu/${code}`))?.status(), 200);
      assert.equal(((await page.locator('h1 .dossier-code').textContent()) ?? '').trim(), code);
      assert.equal((await page.locator('p.lead').innerText()).trim(), STATUS_NEW);
      assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(citizen.fullName), 'no personal data for a stranger');
    });
    lap('tracking');
    ctx.diagnostic(timings.join(', '));
  });
});
