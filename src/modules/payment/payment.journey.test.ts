// A browser journey of paying a fine online (issue #6), on Debian's Chromium through
// playwright-core: the payer opens "Thanh toán trực tuyến", types a wrong identity number first
// (the error summary), then the right one, sees the fine, presses pay, is sent to the sandbox
// gateway (the portal's CSP lets its form lead there), presses "Thanh toán", comes back to the
// result page, which shows the payment confirmed by the IPN, and opens the electronic receipt.
// axe-core (WCAG 2.1 AA) on each of the portal's pages; no script anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertAccessibleWithoutInlineScript, chromiumMissing, freePort, launchChromium, withBrowserPage } from '../../../test/helpers/browser.js';
import { addObligation, createPaymentBed, type PaymentBed } from './payment-test-kit.js';

const ENGINE = process.env.DATABASE_URL ? 'postgres' : 'pglite';

describe(`paying a fine in a browser (${ENGINE})`, { skip: chromiumMissing }, () => {
  let bed: PaymentBed;
  let browser: Browser;
  let base: string;

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bed = await createPaymentBed({ env: { PUBLIC_URL: base, PAYMENT_LOOKUPS_PER_MINUTE: '30' }, port });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await bed?.close();
  });

  test('look up, pay at the gateway, come back paid, open the receipt', async () => {
    const fine = await addObligation(bed.db, { reference: '321/QĐ-XPHC', payerName: 'Huỳnh Văn Phúc', payerIdNumber: '087089003210', lines: [{ label: 'Tiền phạt', amount: 750_000 }] });
    await withBrowserPage(
      browser,
      { bypassCSP: false },
      async (page) => {
        await page.goto(`${base}/thanh-toan`);
        assert.equal(await page.title(), 'Thanh toán trực tuyến – MộtCửa');
        await page.getByLabel('Phạt vi phạm hành chính').check();
        await page.getByLabel('Số tham chiếu').fill('321/QĐ-XPHC');
        await page.getByLabel('Số giấy tờ của người nộp').fill('087089009999');
        await page.getByRole('button', { name: 'Tra cứu' }).click();
        assert.match(await page.title(), /^Lỗi: /);
        assert.match(await page.locator('.error-summary').innerText(), /Không tìm thấy khoản cần nộp/);

        await page.getByLabel('Số giấy tờ của người nộp').fill('087089003210');
        await page.getByRole('button', { name: 'Tra cứu' }).click();
        assert.match(await page.locator('h1').innerText(), /Phạt vi phạm hành chính 321\/QĐ-XPHC/);
        assert.match(await page.locator('main').innerText(), /Huỳnh Văn Phúc/);

        await page.getByRole('button', { name: /Thanh toán 750\.000/ }).click();
        await page.waitForURL(`${bed.sandbox.url}/paymentv2/**`);
        assert.match(await page.locator('main').innerText(), /750\.000 VND/);
        await page.getByRole('button', { name: 'Thanh toán', exact: true }).click();

        await page.waitForURL(`${base}/thanh-toan/ket-qua?**`);
        assert.match(await page.locator('.banner').innerText(), /Thanh toán thành công/);
        const receipt = page.getByRole('link', { name: 'Tải biên lai điện tử (PDF)' });
        const href = await receipt.getAttribute('href');
        assert.match(href ?? '', /^\/thanh-toan\/giao-dich\/[0-9a-f-]{36}\/bien-lai\.pdf$/);
        const pdf = await page.request.get(`${base}${href}`);
        assert.equal(pdf.status(), 200);
        assert.equal(pdf.headers()['content-type'], 'application/pdf');
      },
      (page) => page.screenshot({ path: `/tmp/journey-payment-${ENGINE}.png`, fullPage: true }),
    );
    const ob = await bed.db.selectFrom('paymentObligation').select(['status', 'paidPaymentId']).where('id', '=', fine.id).executeTakeFirstOrThrow();
    assert.equal(ob.status, 'paid');

    // The portal's pages on the way, checked by axe (in a context that may inject its script).
    await withBrowserPage(browser, { bypassCSP: true }, async (page) => {
      await page.goto(`${base}/thanh-toan`);
      await assertAccessibleWithoutInlineScript(page);
      await page.getByLabel('Phạt vi phạm hành chính').check();
      await page.getByLabel('Số tham chiếu').fill('321/QĐ-XPHC');
      await page.getByLabel('Số giấy tờ của người nộp').fill('0');
      await page.getByRole('button', { name: 'Tra cứu' }).click();
      await assertAccessibleWithoutInlineScript(page);
      await page.getByLabel('Số giấy tờ của người nộp').fill('087089003210');
      await page.getByRole('button', { name: 'Tra cứu' }).click();
      await assertAccessibleWithoutInlineScript(page);
      await page.goto(`${base}/thanh-toan/giao-dich/${ob.paidPaymentId}`);
      await assertAccessibleWithoutInlineScript(page);
    });
  });
});
