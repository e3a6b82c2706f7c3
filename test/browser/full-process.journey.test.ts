// A browser journey of level 4 (issue #6), on Debian's Chromium through playwright-core, against
// the real server and the sandbox gateway on 127.0.0.1: the citizen whose dossier waits for its fee
// (status 6, asked for by the specialist through the API) logs in, sees what to pay on "Hồ sơ của
// tôi", pays at the gateway and comes back paid; the IPN resumes the dossier; once the leader has
// approved, the citizen opens the result's verification page (/verify/{id}), which says the
// signature is valid, checks the copy they hold (valid) and a tampered copy (invalid).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { COMMUNE_A, createPaymentBed, type PaymentBed } from '../../src/modules/payment/payment-test-kit.js';
import { ensureDemoSigningKeys } from '../../src/modules/signature/signature.service.js';
import { createSecretBox } from '../../src/platform/security/secrets.js';
import { assertAccessibleWithoutInlineScript, chromiumMissing, freePort, launchChromium, withBrowserPage } from '../helpers/browser.js';
import { api, birthRegistrationData, CITIZEN_PASSWORD, signedInCitizen, submitOnline } from '../helpers/dossier.js';
import { createOfficer, loginOfficer, type WebClient } from '../helpers/identity.js';
import { until } from '../helpers/wait.js';

const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';


describe(`toàn trình in a browser: pay the fee, verify the signed result (${ENGINE})`, { skip: chromiumMissing }, () => {
  let bed: PaymentBed;
  let browser: Browser;
  let base: string;
  let citizen: Awaited<ReturnType<typeof signedInCitizen>>;
  const officers = {} as Record<'reception' | 'specialist' | 'leader', { client: WebClient; id: number }>;
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-verify-'));

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bed = await createPaymentBed({ env: { PUBLIC_URL: base }, port });
    citizen = await signedInCitizen(bed.t as never);
    for (const role of ['reception', 'specialist', 'leader'] as const) {
      const officer = await createOfficer(bed.db, { email: `${role}.journey@dongthap.example.vn`, fullName: `Cán bộ ${role}`, roles: [{ role, agencyCode: COMMUNE_A }] });
      officers[role] = { client: (await loginOfficer(bed.t.app, bed.db, officer)).client, id: officer.id };
    }
    await ensureDemoSigningKeys(bed.db, createSecretBox(bed.t.secretKey));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await bed?.close();
    fs.rmSync(files, { recursive: true, force: true });
  });

  const act = async (who: keyof typeof officers, code: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await api(bed.t.app, officers[who].client, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, body);
    assert.equal(r.statusCode, 200, `${action}: ${r.body}`);
  };

  test('the citizen pays the fee at the gateway, and checks the signed result and a tampered copy', async () => {
    const { id, code } = await submitOnline(bed.t.app, citizen, { procedureCode: '1.001193', agencyCode: COMMUNE_A, data: birthRegistrationData({ applicantEmail: citizen.email, applicantIdNumber: citizen.idNumber }) });
    await act('reception', code, 'accept');
    await act('leader', code, 'assign', { assignee: officers.specialist.id });
    await act('specialist', code, 'request_payment', { reason: 'Lệ phí đăng ký khai sinh', fees: [0] });

    await withBrowserPage(
      browser,
      { bypassCSP: false },
      async (page) => {
        await page.goto(`${base}/dang-nhap?next=${encodeURIComponent(`/ho-so/${id}`)}`);
        await page.getByLabel('Thư điện tử', { exact: true }).fill(citizen.email);
        await page.getByLabel('Mật khẩu', { exact: true }).fill(CITIZEN_PASSWORD);
        await Promise.all([page.waitForURL(`${base}/ho-so/${id}`), page.getByRole('button', { name: 'Đăng nhập', exact: true }).click()]);
        const main = page.locator('main');
        assert.match(await main.innerText(), /Hồ sơ đang chờ nộp phí, lệ phí/);
        assert.match(await main.innerText(), /8\.000\s₫/);

        await page.getByRole('button', { name: 'Thanh toán trực tuyến', exact: true }).click();
        await page.waitForURL(`${bed.sandbox.url}/paymentv2/**`);
        assert.match(await page.locator('main').innerText(), /8\.000 VND/);
        await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();
        await page.waitForURL(`${base}/thanh-toan/ket-qua?**`);
        assert.match(await page.locator('.banner').innerText(), /Thanh toán thành công/);
      },
      (page) => page.screenshot({ path: `/tmp/journey-fee-${ENGINE}.png`, fullPage: true }),
    );

    // The IPN resumed the dossier; processing goes on and the leader approves (signing the result).
    await until('the dossier to resume', async () => ((await bed.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status === 'processing' ? true : undefined));
    await act('specialist', code, 'forward');
    await act('leader', code, 'approve');
    const result = await bed.db.selectFrom('signedResult').select(['id']).where('dossierId', '=', id).executeTakeFirstOrThrow();

    await withBrowserPage(
      browser,
      { bypassCSP: false },
      async (page) => {
        await page.goto(`${base}/verify/${result.id}`);
        assert.match(await page.locator('main').innerText(), /Chữ ký số hợp lệ/);
        const pdf = await page.request.get(`${base}/verify/${result.id}/document.pdf`);
        assert.equal(pdf.status(), 200);
        const genuine = path.join(files, 'ket-qua.pdf');
        fs.writeFileSync(genuine, await pdf.body());
        const tampered = path.join(files, 'ket-qua-da-sua.pdf');
        const copy = Buffer.from(await pdf.body());
        copy.writeUInt8(copy.readUInt8(copy.length - 20) ^ 0x01, copy.length - 20);
        fs.writeFileSync(tampered, copy);

        await page.getByLabel('Tệp cần kiểm tra').setInputFiles(genuine);
        await page.getByRole('button', { name: 'Kiểm tra tệp', exact: true }).click();
        await page.waitForLoadState();
        assert.match(await page.locator('main').innerText(), /Tệp này đúng là văn bản đã được ký số\./);

        await page.getByLabel('Tệp cần kiểm tra').setInputFiles(tampered);
        await page.getByRole('button', { name: 'Kiểm tra tệp', exact: true }).click();
        await page.waitForLoadState();
        const text = await page.locator('main').innerText();
        assert.match(text, /Không hợp lệ/);
        assert.match(text, /Nội dung tệp khác với văn bản đã được ký/);
      },
      (page) => page.screenshot({ path: `/tmp/journey-verify-${ENGINE}.png`, fullPage: true }),
    );

    // The verification page, checked by axe.
    await withBrowserPage(browser, { bypassCSP: true }, async (page) => {
      await page.goto(`${base}/verify/${result.id}`);
      await assertAccessibleWithoutInlineScript(page);
    });
  });
});
