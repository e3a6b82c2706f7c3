// The whole payment flow through the API and the pages, on PGlite and on PostgreSQL: an obligation
// (a dossier's fee, and a fine) → start a payment → pay at the sandbox gateway → IPN → paid (the
// dossier side's hook runs in the same transaction) → the electronic receipt (PDF) → the status
// API → the daily reconciliation report (CSV, XLSX) for the agency's officers. And the public
// "Thanh toán trực tuyến" page: its errors, each with its message and nothing stored.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Transaction } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { api, signedInCitizen } from '../../../test/helpers/dossier.js';
import { createOfficer, decodeHtml, loginOfficer, pageText, pageTitle, WebClient } from '../../../test/helpers/identity.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import type { DB } from '../../db/schema.js';
import { isAppError } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import { createDossierFeeObligation, type PaymentObligation } from './payment.service.js';
import { addObligation, auditCount, COMMUNE_A, COMMUNE_B, createPaymentBed, eventsOf, payAtGateway, rowCount, type PaymentBed } from './payment-test-kit.js';

/** The dossier side's hook: records each call in the same transaction, or fails when told to. */
const hook = { calls: [] as PaymentObligation[], fail: false };
async function onObligationPaid(trx: Transaction<DB>, obligation: PaymentObligation): Promise<void> {
  await trx.insertInto('systemState').values({ key: `paid:${obligation.id}`, value: JSON.stringify({ dossierId: obligation.dossierId }) }).execute();
  if (hook.fail) throw new Error('the dossier could not be resumed');
  hook.calls.push(obligation);
}

let bed: PaymentBed;
let citizen: Awaited<ReturnType<typeof signedInCitizen>>;
let dossierId: string;
let dossierCode: string;

before(async () => {
  bed = await createPaymentBed({ payment: { onObligationPaid }, env: { PAYMENT_LOOKUPS_PER_MINUTE: '8' } });
  citizen = await signedInCitizen(bed.t as never);
  // A dossier of the citizen's, paused for its fee (status 6), at commune A.
  const procedure = await bed.db.selectFrom('procedure').select('id').where('code', '=', '1.004873').where('status', '=', 'published').executeTakeFirstOrThrow();
  const agency = await bed.db.selectFrom('agency').select('id').where('code', '=', COMMUNE_A).executeTakeFirstOrThrow();
  dossierId = randomUUID();
  dossierCode = `${COMMUNE_A}-261128-9${Math.floor(Math.random() * 900 + 100)}`;
  await bed.db
    .insertInto('dossier')
    .values({ id: dossierId, code: dossierCode, procedureId: procedure.id, agencyId: agency.id, ownerAccountId: citizen.accountId, status: 'financial', data: '{}', applicantName: 'Nguyễn Thị Hồng Nhung', applicantIdNumber: citizen.idNumber, submittedAt: new Date(), updatedAt: new Date() } as never)
    .execute();
});
after(() => bed?.close());

const payment = (id: string) => bed.db.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const obligationOf = (id: string) => bed.db.selectFrom('paymentObligation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function feeObligation(lines = [{ label: 'Lệ phí cấp bản sao (2 bản)', amount: 16_000 }]) {
  const agency = await bed.db.selectFrom('agency').select('id').where('code', '=', COMMUNE_A).executeTakeFirstOrThrow();
  return bed.db.transaction().execute((trx) => createDossierFeeObligation(trx, {}, { dossierId, agencyId: agency.id, payerName: 'Nguyễn Thị Hồng Nhung', payerIdNumber: citizen.idNumber, lines, description: 'Lệ phí cấp bản sao' }));
}

describe('the whole flow through the API', () => {
  test('a dossier’s fee: its owner starts paying, pays at the gateway, the IPN credits it with the hook in the same transaction, the receipt is issued', async () => {
    hook.calls = [];
    const fee = await feeObligation();
    assert.equal(fee.kind, 'fee');
    assert.equal(fee.reference, dossierCode);
    assert.equal(fee.total, 16_000);
    assert.equal(await auditCount(bed.db, 'payment.obligation.create'), await rowCount(bed.db, 'paymentObligation'));

    // The owner of the dossier needs no payer id; another citizen gets 404.
    const stranger = await signedInCitizen(bed.t as never);
    assert.equal((await api(bed.t.app, stranger.client, 'POST', '/api/v1/payments', { obligationId: fee.id })).statusCode, 404);
    const r = await api(bed.t.app, citizen.client, 'POST', '/api/v1/payments', { obligationId: fee.id });
    assert.equal(r.statusCode, 201, r.body);
    const started = r.json() as { id: string; txnRef: string; amount: number; redirectUrl: string; statusUrl: string };
    assert.equal(started.amount, 16_000);
    assert.match(started.txnRef, /^\d{14}$/);
    assert.ok(started.redirectUrl.startsWith(bed.sandbox.paymentUrl));
    assert.equal(new URL(started.redirectUrl).searchParams.get('vnp_Amount'), '1600000');
    assert.equal((await payment(started.id)).state, 'pending');

    // The gateway's page shows the order and the amount in VND.
    const gateway = await fetch(started.redirectUrl);
    const html = await gateway.text();
    assert.match(html, /Thanh toán đơn hàng/);
    assert.match(html, /16\.000 VND/);
    assert.match(html, /Le phi cap ban sao/);
    assert.match(html, />Thanh toán<\/button>/);
    assert.match(html, />Hủy<\/button>/);
    assert.doesNotMatch(html, /<script/);

    const back = await payAtGateway(bed.sandbox, started.redirectUrl);
    const row = await payment(started.id);
    assert.equal(row.state, 'paid');
    assert.equal(row.bankCode, 'NCB');
    assert.ok(row.providerRef);
    const ob = await obligationOf(fee.id);
    assert.equal(ob.status, 'paid');
    assert.equal(ob.paidPaymentId, started.id);
    assert.equal(hook.calls.length, 1);
    assert.equal(hook.calls[0]!.dossierId, dossierId);
    assert.equal(hook.calls[0]!.status, 'paid');

    // The payer is back: the return page shows what the IPN settled.
    const page = await citizen.client.get(back);
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Thanh toán thành công/);
    assert.match(page.body, new RegExp(`/thanh-toan/giao-dich/${started.id}/bien-lai\\.pdf`));

    // The status API.
    const status = await api(bed.t.app, new WebClient(bed.t.app), 'GET', `/api/v1/payments/${started.id}`);
    assert.equal(status.statusCode, 200);
    assert.equal(status.json().state, 'paid');
    assert.equal(status.json().stateText, 'Đã thanh toán');
    assert.equal(status.json().obligation.kind, 'fee');
    assert.equal(status.json().providerRef, row.providerRef);
    assert.ok(!JSON.stringify(status.json()).includes(citizen.idNumber), 'no identity number in the status');

    // The electronic receipt.
    const receipt = await new WebClient(bed.t.app).get(`/thanh-toan/giao-dich/${started.id}/bien-lai.pdf`);
    assert.equal(receipt.statusCode, 200);
    assert.equal(receipt.headers['content-type'], 'application/pdf');
    const text = (await pdfText(receipt.rawPayload)).replace(/\s+/g, ' ');
    assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    assert.match(text, /BIÊN LAI ĐIỆN TỬ/);
    assert.match(text, new RegExp(`Số: ${started.txnRef}`));
    assert.match(text, /Nguyễn Thị Hồng Nhung/);
    assert.match(text, /16\.000 đồng/);
    assert.match(text, /Mười sáu nghìn đồng/);
    assert.match(text, new RegExp(row.providerRef!));
    assert.match(text, /Lệ phí cấp bản sao \(2 bản\)/);
    assert.ok(!text.includes(citizen.idNumber), 'the payer’s number is masked on the receipt');
  });

  test('when the dossier side fails, the IPN answers 99 and nothing is credited; the provider’s next try credits it', async () => {
    hook.calls = [];
    const fee = await feeObligation([{ label: 'Lệ phí', amount: 8_000 }]);
    const r = await api(bed.t.app, citizen.client, 'POST', '/api/v1/payments', { obligationId: fee.id });
    const started = r.json() as { id: string; txnRef: string; redirectUrl: string };
    hook.fail = true;
    try {
      await payAtGateway(bed.sandbox, started.redirectUrl);
    } finally {
      hook.fail = false;
    }
    assert.equal(bed.sandbox.deliveries.find((d) => d.txnRef === started.txnRef)?.answer?.RspCode, '99');
    assert.equal((await payment(started.id)).state, 'pending');
    assert.equal((await obligationOf(fee.id)).status, 'unpaid');
    assert.equal(await bed.db.selectFrom('systemState').select('key').where('key', '=', `paid:${fee.id}`).executeTakeFirst(), undefined, 'the hook’s write was rolled back with the credit');
    assert.deepEqual(await eventsOf(bed.db, started.id), ['create', 'send']);
    const again = await bed.sandbox.resend(started.txnRef);
    assert.equal(again[0]?.answer?.RspCode, '00');
    assert.equal((await obligationOf(fee.id)).paidPaymentId, started.id);
    assert.equal(hook.calls.length, 1);
  });

  test('a fee the workflow gets wrong is refused line by line, with nothing stored', async () => {
    const agency = await bed.db.selectFrom('agency').select('id').where('code', '=', COMMUNE_A).executeTakeFirstOrThrow();
    const before = await rowCount(bed.db, 'paymentObligation');
    const attempt = (input: Partial<Parameters<typeof createDossierFeeObligation>[2]>) =>
      bed.db.transaction().execute((trx) => createDossierFeeObligation(trx, {}, { dossierId, agencyId: agency.id, payerName: 'Nguyễn Thị Hồng Nhung', payerIdNumber: citizen.idNumber, lines: [{ label: 'Lệ phí', amount: 8_000 }], ...input }));
    const problems = async (input: Partial<Parameters<typeof createDossierFeeObligation>[2]>) => {
      try {
        await attempt(input);
      } catch (error) {
        assert.ok(isAppError(error) && error.code === 'invalid_input', String(error));
        return error.problems.map((p) => `${p.name}: ${typeof p.message === 'string' ? p.message : translate('vi', p.message.key, p.message.params)}`);
      }
      return [];
    };
    assert.deepEqual(await problems({ lines: [] }), ['lines: Khoản nộp phải có từ 1 đến 50 dòng']);
    assert.deepEqual(await problems({ lines: [{ label: '', amount: 8_000 }, { label: 'Phí', amount: -5 }, { label: 'Phí', amount: 1.5 }] }), [
      'lines.0.label: Nhập nội dung của dòng (tối đa 200 ký tự)',
      'lines.1.amount: Số tiền phải là số nguyên đồng lớn hơn 0',
      'lines.2.amount: Số tiền phải là số nguyên đồng lớn hơn 0',
    ]);
    assert.deepEqual(await problems({ payerIdNumber: '12' }), ['payerIdNumber: Nhập số định danh cá nhân (CCCD), mã số thuế hoặc mã số bảo hiểm xã hội của người nộp, từ 6 đến 20 chữ và số']);
    await assert.rejects(attempt({ dossierId: randomUUID() }), (e: unknown) => isAppError(e) && e.code === 'not_found');
    assert.equal(await rowCount(bed.db, 'paymentObligation'), before);
  });

  test('the API is described in the OpenAPI document, responses included; the pages are not', async () => {
    const doc = (await bed.t.app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
    assert.deepEqual(Object.keys(doc.paths['/api/v1/payments']!), ['post']);
    assert.ok(doc.paths['/api/v1/payments']!.post!.requestBody);
    assert.deepEqual(Object.keys(doc.paths['/api/v1/payments']!.post!.responses).sort(), ['201', '400', '404', '409', '422', '429', '503']);
    assert.ok(doc.paths['/api/v1/payments/{id}']!.get!.responses['200']);
    assert.ok(doc.paths['/api/v1/payments/vnpay/ipn']!.get!.responses['200']);
    assert.ok(doc.paths['/api/v1/payments/reconciliation']!.get!.responses['200']);
    assert.equal(Object.keys(doc.paths).some((p) => p.startsWith('/thanh-toan') || p.startsWith('/quan-tri/thanh-toan')), false);
  });

  test('a payment id that does not exist, or is malformed, is not found or refused', async () => {
    const client = new WebClient(bed.t.app);
    assert.equal((await api(bed.t.app, client, 'GET', `/api/v1/payments/${randomUUID()}`)).statusCode, 404);
    assert.equal((await api(bed.t.app, client, 'GET', '/api/v1/payments/not-a-uuid')).statusCode, 400);
    assert.equal((await client.get(`/thanh-toan/giao-dich/${randomUUID()}/bien-lai.pdf`)).statusCode, 404);
  });

  test('no receipt before the payment is confirmed', async () => {
    const o = await addObligation(bed.db);
    const r = await api(bed.t.app, new WebClient(bed.t.app), 'POST', '/api/v1/payments', { obligationId: o.id, payerId: o.payerIdNumber });
    const receipt = await new WebClient(bed.t.app).get(`/thanh-toan/giao-dich/${r.json().id}/bien-lai.pdf`);
    assert.equal(receipt.statusCode, 404);
    assert.match(decodeHtml(receipt.body), /biên lai điện tử chỉ được lập cho giao dịch đã thanh toán thành công/);
  });
});

describe('the “Thanh toán trực tuyến” page', () => {
  test('look up a fine by its decision number and the payer’s id, see it, pay it, and come back paid', async () => {
    const o = await addObligation(bed.db, { reference: '777/QĐ-XPHC', payerIdNumber: '087190007777', payerName: 'Lý Văn Tâm', lines: [{ label: 'Tiền phạt', amount: 350_000 }] });
    const client = new WebClient(bed.t.app);
    const form = await client.get('/thanh-toan');
    assert.equal(form.statusCode, 200);
    assert.match(pageText(form.body), /Thanh toán trực tuyến/);
    assert.match(form.body, /name="kind" type="radio" value="fine"/);
    // Lower case and spaces in the number are forgiven.
    const found = await client.postForm('/thanh-toan', { kind: 'fine', reference: ' 777/qđ-xphc ', payerId: '087 190 007 777' });
    assert.equal(found.statusCode, 200, pageText(found.body).slice(0, 300));
    const text = pageText(found.body);
    assert.match(text, /Phạt vi phạm hành chính 777\/QĐ-XPHC/);
    assert.match(text, /Lý Văn Tâm/);
    assert.match(text, /Chưa nộp/);
    assert.match(text, /Thanh toán 350\.000 ₫/);
    const pay = await client.postForm('/thanh-toan/nop', { obligationId: o.id, payerId: '087190007777' });
    assert.equal(pay.statusCode, 303);
    const location = String(pay.headers.location);
    assert.ok(location.startsWith(bed.sandbox.paymentUrl), location);
    const back = await payAtGateway(bed.sandbox, location);
    assert.match(pageText((await client.get(back)).body), /Thanh toán thành công/);
    // Looked up again: paid, with the receipt, and no pay button.
    const paid = await client.postForm('/thanh-toan', { kind: 'fine', reference: '777/QĐ-XPHC', payerId: '087190007777' });
    assert.match(pageText(paid.body), /Đã nộp/);
    assert.match(paid.body, /bien-lai\.pdf/);
    assert.doesNotMatch(paid.body, /action="\/thanh-toan\/nop"/);
  });

  test('errors: each field named, in Vietnamese, with "Lỗi:" in the title; a wrong id looks like nothing at all; nothing is stored', async () => {
    const o = await addObligation(bed.db, { reference: '888/QĐ-XPHC' });
    const before = { payments: await rowCount(bed.db, 'payment'), events: await rowCount(bed.db, 'paymentEvent') };
    const client = new WebClient(bed.t.app);
    const empty = await client.postForm('/thanh-toan', {});
    assert.equal(empty.statusCode, 400);
    assert.match(pageTitle(empty.body), /^Lỗi: /);
    const text = pageText(empty.body);
    assert.match(text, /Chọn loại khoản cần nộp/);
    assert.match(text, /Nhập số tham chiếu/);
    assert.match(text, /Nhập số định danh cá nhân \(CCCD\), mã số thuế hoặc mã số bảo hiểm xã hội của người nộp/);
    for (const body of [
      { kind: 'fine', reference: '888/QĐ-XPHC', payerId: '087190009999' }, // another person's id
      { kind: 'tax', reference: '888/QĐ-XPHC', payerId: o.payerIdNumber }, // the wrong kind
      { kind: 'fine', reference: '889/QĐ-XPHC', payerId: o.payerIdNumber }, // no such decision
    ]) {
      const r = await client.postForm('/thanh-toan', body);
      assert.equal(r.statusCode, 404);
      assert.match(pageTitle(r.body), /^Lỗi: /);
      assert.match(pageText(r.body), /Không tìm thấy khoản cần nộp khớp với thông tin đã nhập/);
      assert.doesNotMatch(pageText(r.body), /Trần Thị Bích/);
    }
    // Paying with a wrong id: not found; nothing is stored.
    const wrong = await client.postForm('/thanh-toan/nop', { obligationId: o.id, payerId: '087190009999' });
    assert.equal(wrong.statusCode, 404);
    assert.equal(await rowCount(bed.db, 'payment'), before.payments);
    assert.equal(await rowCount(bed.db, 'paymentEvent'), before.events);
  });

  test('an amount the gateway does not take is refused on the page with the limits; nothing is stored', async () => {
    const o = await addObligation(bed.db, { lines: [{ label: 'Phí nhỏ', amount: 2_000 }] });
    const before = await rowCount(bed.db, 'payment');
    const r = await new WebClient(bed.t.app).postForm('/thanh-toan/nop', { obligationId: o.id, payerId: o.payerIdNumber });
    assert.equal(r.statusCode, 422);
    assert.match(pageText(r.body), /Cổng thanh toán chỉ nhận số tiền từ 5\.000 đến 999\.999\.999 đồng/);
    assert.equal(await rowCount(bed.db, 'payment'), before);
  });

  test('lookups are rate-limited per client address, like the tracking lookup', async () => {
    const client = new WebClient(bed.t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await client.postForm('/thanh-toan', { kind: 'fine', reference: `${i}/QĐ`, payerId: '087190000000' })).statusCode);
    assert.deepEqual(statuses.slice(0, 8), Array(8).fill(404));
    assert.equal(statuses[8], 429);
    // Another address is not affected.
    assert.equal((await new WebClient(bed.t.app).postForm('/thanh-toan', { kind: 'fine', reference: 'x', payerId: '087190000000' })).statusCode, 404);
  });
});

describe('the daily reconciliation report', () => {
  test('officers of the agency get every payment of the day with the gateway’s reference, as CSV and XLSX; another agency’s officer gets 404', async () => {
    const o = await addObligation(bed.db, { payerName: 'Đối Soát Viên' });
    const r = await api(bed.t.app, new WebClient(bed.t.app), 'POST', '/api/v1/payments', { obligationId: o.id, payerId: o.payerIdNumber });
    const started = r.json() as { id: string; txnRef: string; redirectUrl: string };
    await payAtGateway(bed.sandbox, started.redirectUrl);
    const providerRef = (await payment(started.id)).providerRef!;
    const day = `${started.txnRef.slice(0, 4)}-${started.txnRef.slice(4, 6)}-${started.txnRef.slice(6, 8)}`;

    const reception = (await loginOfficer(bed.t.app, bed.db, await createOfficer(bed.db, { email: 'tn.report@thanhtoan.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] }))).client;
    const foreign = (await loginOfficer(bed.t.app, bed.db, await createOfficer(bed.db, { email: 'tn.b.report@thanhtoan.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_B }] }))).client;

    const office = await reception.get(`/quan-tri/thanh-toan?date=${day}`);
    assert.equal(office.statusCode, 200);
    assert.match(pageText(office.body), new RegExp(started.txnRef));
    assert.match(decodeHtml(office.body), new RegExp(`/api/v1/payments/reconciliation\\?date=${day}&agency=000\\.00\\.51\\.H20&format=xlsx`));

    const csv = await reception.get(`/api/v1/payments/reconciliation?date=${day}&agency=${COMMUNE_A}`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with BOM');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\n');
    assert.match(lines[0]!, /^STT,Mã giao dịch,Cổng thanh toán,Mã giao dịch tại cổng/);
    const line = lines.find((l) => l.includes(started.txnRef))!;
    assert.ok(line.includes(providerRef));
    assert.ok(line.includes('Đối Soát Viên'));
    assert.ok(line.includes('Đã thanh toán'));
    assert.match(lines.at(-1)!, /Tổng đã thu/);

    const xlsx = await reception.get(`/api/v1/payments/reconciliation?date=${day}&agency=${COMMUNE_A}&format=xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.worksheets[0]!;
    assert.match(String(sheet.getCell('A1').value), /Bảng đối soát thanh toán trực tuyến/);
    const values: string[] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).map(String).join('|')));
    assert.ok(values.some((v) => v.includes(started.txnRef) && v.includes(providerRef)));

    assert.equal((await foreign.get(`/api/v1/payments/reconciliation?date=${day}&agency=${COMMUNE_A}`)).statusCode, 404);
    const bad = await reception.get(`/api/v1/payments/reconciliation?date=2026-02-30&agency=${COMMUNE_A}`);
    assert.equal(bad.statusCode, 400);
    assert.equal(JSON.parse(bad.body).errors[0].message, 'Nhập ngày dạng năm-tháng-ngày, ví dụ 2026-11-28');
    const badPage = await reception.get('/quan-tri/thanh-toan?date=28/11/2026');
    assert.equal(badPage.statusCode, 400);
    assert.match(pageText(badPage.body), /Nhập ngày dạng năm-tháng-ngày/);
  });
});
