// Bad input through the real sandbox gateway over HTTP on 127.0.0.1 (issue #6, "never a double
// credit, never a lost payment"): duplicated, reordered, forged and delayed callbacks, a wrong
// amount, an unknown order, an expired payment, a double payment attempt, a replayed return URL.
// Each is answered per the protocol, audited, and checked in the database.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { api } from '../../../test/helpers/dossier.js';
import { createOfficer, decodeHtml, loginOfficer, pageText, WebClient } from '../../../test/helpers/identity.js';
import { reconcilePayment } from './payment-reconcile.js';
import { actAtGateway, addObligation, auditCount, COMMUNE_A, createPaymentBed, eventsOf, openGateway, payAtGateway, rowCount, signedQuery, TMN_CODE, type PaymentBed } from './payment-test-kit.js';
import type { ObligationRow } from './payment.repository.js';

let bed: PaymentBed;
before(async () => {
  bed = await createPaymentBed();
});
after(() => bed?.close());
beforeEach(() => bed.sandbox.reset());

/** Starts paying through the API as an anonymous payer with the payer's id as proof. */
async function start(obligation: ObligationRow, payerId = obligation.payerIdNumber) {
  const r = await api(bed.t.app, new WebClient(bed.t.app), 'POST', '/api/v1/payments', { obligationId: obligation.id, payerId });
  return r;
}

async function started(obligation: ObligationRow): Promise<{ id: string; redirectUrl: string; txnRef: string }> {
  const r = await start(obligation);
  assert.equal(r.statusCode, 201, r.body);
  return r.json();
}

const payment = (id: string) => bed.db.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const obligationOf = (id: string) => bed.db.selectFrom('paymentObligation').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const ipn = (query: string) => bed.t.app.inject({ method: 'GET', url: `/api/v1/payments/vnpay/ipn?${query}` });
const later = (minutes: number) => bed.deps({ now: () => new Date(Date.now() + minutes * 60_000) });

/** The signed callback the gateway built for a transaction, as a query string. */
function callbackQuery(txnRef: string, change: Record<string, string> = {}): string {
  const cb = bed.sandbox.transaction(txnRef)?.callback;
  assert.ok(cb, `the gateway has no callback for ${txnRef}`);
  return signedQuery({ ...cb, ...change }, bed.secret);
}

describe('callbacks through the sandbox gateway', () => {
  test('duplicated: three copies of the IPN at once; one 00, the others 02; the obligation is credited once', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ copies: 3 });
    await payAtGateway(bed.sandbox, p.redirectUrl);
    const answers = bed.sandbox.deliveries.filter((d) => d.txnRef === p.txnRef).map((d) => d.answer?.RspCode).sort();
    assert.deepEqual(answers, ['00', '02', '02']);
    const row = await payment(p.id);
    assert.equal(row.state, 'paid');
    assert.equal(row.refundDue, false);
    assert.ok(row.providerRef);
    const ob = await obligationOf(o.id);
    assert.equal(ob.status, 'paid');
    assert.equal(ob.paidPaymentId, p.id);
    assert.deepEqual(await eventsOf(bed.db, p.id), ['create', 'send', 'confirm']);
    assert.equal(await auditCount(bed.db, 'payment.confirm', p.id), 1);
    assert.equal(await auditCount(bed.db, 'payment.callback.duplicate', p.id), 2);
    // A copy arriving much later changes nothing either.
    const again = await bed.sandbox.resend(p.txnRef);
    assert.equal(again[0]?.answer?.RspCode, '02');
    assert.deepEqual(await eventsOf(bed.db, p.id), ['create', 'send', 'confirm']);
  });

  test('reordered: the payer is back before the IPN; the page says it waits, then the IPN settles it', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ ipn: 'hold' });
    const back = await payAtGateway(bed.sandbox, p.redirectUrl);
    let page = await bed.t.app.inject({ method: 'GET', url: back });
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Đang chờ cổng thanh toán xác nhận/);
    assert.match(pageText(page.body), /đang chờ xác nhận chính thức từ cổng/);
    assert.equal((await payment(p.id)).state, 'pending', 'the return URL credits nothing');
    assert.equal((await obligationOf(o.id)).status, 'unpaid');
    const sent = await bed.sandbox.release();
    assert.equal(sent[0]?.answer?.RspCode, '00');
    page = await bed.t.app.inject({ method: 'GET', url: back });
    assert.match(pageText(page.body), /Thanh toán thành công/);
    assert.equal((await obligationOf(o.id)).paidPaymentId, p.id);
  });

  test('reordered across payments: two held IPNs released in reverse order both settle their own payment', async () => {
    const [o1, o2] = [await addObligation(bed.db), await addObligation(bed.db, { lines: [{ label: 'Tiền phạt', amount: 250_000 }] })];
    const [p1, p2] = [await started(o1), await started(o2)];
    bed.sandbox.behave({ ipn: 'hold' });
    await payAtGateway(bed.sandbox, p1.redirectUrl);
    await payAtGateway(bed.sandbox, p2.redirectUrl);
    assert.deepEqual(bed.sandbox.held(), [p1.txnRef, p2.txnRef]);
    const sent = await bed.sandbox.release('reverse');
    assert.deepEqual(sent.map((d) => [d.txnRef, d.answer?.RspCode]), [[p2.txnRef, '00'], [p1.txnRef, '00']]);
    assert.equal((await obligationOf(o1.id)).paidPaymentId, p1.id);
    assert.equal((await obligationOf(o2.id)).paidPaymentId, p2.id);
  });

  test('forged or altered IPNs get 97 and change nothing; each is audited', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ ipn: 'never' });
    await payAtGateway(bed.sandbox, p.redirectUrl);
    const genuine = callbackQuery(p.txnRef);
    const rejectedBefore = await auditCount(bed.db, 'payment.ipn.rejected');
    const forged = [
      genuine.replace(/vnp_Amount=\d+/, 'vnp_Amount=100000'), // the amount changed, the hash kept
      genuine.replace(/vnp_ResponseCode=00/, 'vnp_ResponseCode=24'),
      signedQuery({ ...bed.sandbox.transaction(p.txnRef)!.callback! }, 'NOT THE MERCHANT SECRET 12345678'),
      genuine.replace(/&vnp_SecureHash=[0-9a-f]+/, ''),
      `${genuine}&vnp_TxnRef=${p.txnRef}`, // a repeated parameter
    ];
    for (const query of forged) {
      const r = await ipn(query);
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.json(), { RspCode: '97', Message: 'Invalid signature' });
    }
    assert.equal((await payment(p.id)).state, 'pending');
    assert.equal((await obligationOf(o.id)).status, 'unpaid');
    assert.deepEqual(await eventsOf(bed.db, p.id), ['create', 'send']);
    assert.equal((await auditCount(bed.db, 'payment.ipn.rejected')) - rejectedBefore, forged.length);
    // The genuine one still works afterwards.
    assert.deepEqual((await ipn(genuine)).json(), { RspCode: '00', Message: 'Confirm Success' });
    assert.equal((await obligationOf(o.id)).status, 'paid');
  });

  test('a wrong amount (correctly signed by the gateway) gets 04; nothing is credited; the report flags it', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ amountOffset: -100_000 });
    await payAtGateway(bed.sandbox, p.redirectUrl);
    const delivery = bed.sandbox.deliveries.find((d) => d.txnRef === p.txnRef);
    assert.deepEqual(delivery?.answer, { RspCode: '04', Message: 'Invalid amount' });
    const row = await payment(p.id);
    assert.equal(row.state, 'pending');
    assert.equal(row.providerAmount, 300_000);
    assert.equal((await obligationOf(o.id)).status, 'unpaid');
    assert.deepEqual(await eventsOf(bed.db, p.id), ['create', 'send']);
    assert.equal(await auditCount(bed.db, 'payment.ipn.rejected', p.id), 1);
    // The reconciliation job, asking the gateway, sees the same wrong amount and credits nothing.
    assert.equal(await reconcilePayment(later(20), p.id), 'mismatch');
    assert.equal((await payment(p.id)).state, 'pending');
    const { paymentFlags } = await import('./payment-report.js');
    assert.ok(paymentFlags({ ...(await payment(p.id)), paidPaymentId: null }, new Date(Date.now() + 20 * 60_000)).includes('amount_mismatch'));
  });

  test('an unknown order (correctly signed) gets 01 and is audited; nothing is stored', async () => {
    const paymentsBefore = await rowCount(bed.db, 'payment');
    const eventsBefore = await rowCount(bed.db, 'paymentEvent');
    const query = signedQuery({ vnp_Amount: '40000000', vnp_ResponseCode: '00', vnp_TmnCode: TMN_CODE, vnp_TransactionNo: '999', vnp_TransactionStatus: '00', vnp_TxnRef: '20000101999999' }, bed.secret);
    const r = await ipn(query);
    assert.deepEqual(r.json(), { RspCode: '01', Message: 'Order not found' });
    assert.equal(await rowCount(bed.db, 'payment'), paymentsBefore);
    assert.equal(await rowCount(bed.db, 'paymentEvent'), eventsBefore);
    const entry = await bed.db.selectFrom('auditLog').select('details').where('action', '=', 'payment.ipn.rejected').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal((entry.details as Record<string, unknown>).code, '01');
  });

  test('declined by the bank, or cancelled by the payer: failed, answered 00, nothing credited; a new attempt may follow', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ outcome: 'decline' });
    const back = await payAtGateway(bed.sandbox, p.redirectUrl);
    assert.equal(bed.sandbox.deliveries.find((d) => d.txnRef === p.txnRef)?.answer?.RspCode, '00');
    assert.equal((await payment(p.id)).state, 'failed');
    assert.equal((await obligationOf(o.id)).status, 'unpaid');
    const page = await bed.t.app.inject({ method: 'GET', url: back });
    assert.match(pageText(page.body), /Giao dịch không thành công/);
    bed.sandbox.reset();
    const second = await started(o);
    assert.notEqual(second.id, p.id);
    await payAtGateway(bed.sandbox, second.redirectUrl, 'cancel');
    assert.equal((await payment(second.id)).state, 'failed');
    assert.equal((await payment(second.id)).responseCode, '24');
    // A repeat of the failure IPN: already confirmed.
    assert.equal((await bed.sandbox.resend(second.txnRef))[0]?.answer?.RspCode, '02');
  });

  test('a replayed return URL changes nothing and shows what the database holds; each view is audited; an altered one is refused', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ outcome: 'decline' });
    const back = await payAtGateway(bed.sandbox, p.redirectUrl);
    const eventsBefore = await rowCount(bed.db, 'paymentEvent');
    const viewedBefore = await auditCount(bed.db, 'payment.return.viewed', p.id);
    for (let i = 0; i < 3; i++) {
      const r = await bed.t.app.inject({ method: 'GET', url: back });
      assert.equal(r.statusCode, 200);
      assert.match(pageText(r.body), /Không thành công/);
    }
    assert.equal(await rowCount(bed.db, 'paymentEvent'), eventsBefore);
    assert.equal((await auditCount(bed.db, 'payment.return.viewed', p.id)) - viewedBefore, 3);
    // "Success" written into the address by hand: the signature fails, nothing is recorded.
    const altered = back.replace('vnp_ResponseCode=51', 'vnp_ResponseCode=00').replace('vnp_TransactionStatus=02', 'vnp_TransactionStatus=00');
    assert.notEqual(altered, back);
    const r = await bed.t.app.inject({ method: 'GET', url: altered });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /<title>Lỗi: /);
    assert.match(decodeHtml(r.body), /không có chữ ký hợp lệ của cổng thanh toán nên không được ghi nhận/);
    assert.equal((await payment(p.id)).state, 'failed');
    assert.equal((await obligationOf(o.id)).status, 'unpaid');
    assert.equal(await rowCount(bed.db, 'paymentEvent'), eventsBefore);
    assert.ok((await auditCount(bed.db, 'payment.return.rejected')) >= 1);
  });
});

describe('expiry, late IPNs and reconciliation', () => {
  test('delayed: the attempt expired before its IPN; the late IPN is recorded and credits the obligation (00)', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    const page = await openGateway(p.redirectUrl);
    // The reconciliation job runs past the deadline: the gateway says "not finished" → expired.
    assert.equal(await reconcilePayment(later(16), p.id), 'expired');
    assert.equal((await payment(p.id)).state, 'expired');
    // A new start now makes a new attempt (the expired one is not handed out again).
    // Meanwhile the payer completes at the bank; the IPN was delayed.
    bed.sandbox.behave({ ipn: 'hold' });
    assert.equal((await actAtGateway(bed.sandbox, page.ref!, 'pay')).status, 303);
    const sent = await bed.sandbox.release();
    assert.equal(sent[0]?.answer?.RspCode, '00');
    const row = await payment(p.id);
    assert.equal(row.state, 'paid');
    assert.equal(row.refundDue, false);
    assert.equal((await obligationOf(o.id)).paidPaymentId, p.id);
    assert.deepEqual(await eventsOf(bed.db, p.id), ['create', 'send', 'expire', 'confirm_late']);
    assert.equal(await auditCount(bed.db, 'payment.confirm_late', p.id), 1);
  });

  test('a late IPN for an obligation another attempt already settled: recorded, paid, flagged for refund; a leader refunds it', async () => {
    const o = await addObligation(bed.db);
    const first = await started(o);
    const page = await openGateway(first.redirectUrl);
    assert.equal(await reconcilePayment(later(16), first.id), 'expired');
    const second = await started(o);
    assert.notEqual(second.id, first.id);
    await payAtGateway(bed.sandbox, second.redirectUrl);
    assert.equal((await obligationOf(o.id)).paidPaymentId, second.id);
    // The first attempt's page was still open at the gateway: the payer pays again.
    await actAtGateway(bed.sandbox, page.ref!, 'pay');
    assert.equal(bed.sandbox.deliveries.find((d) => d.txnRef === first.txnRef)?.answer?.RspCode, '00');
    const row = await payment(first.id);
    assert.equal(row.state, 'paid');
    assert.equal(row.refundDue, true);
    assert.equal((await obligationOf(o.id)).paidPaymentId, second.id, 'credited once, by the first payment that arrived');
    assert.equal(await auditCount(bed.db, 'payment.refund_due', first.id), 1);
    const status = await bed.t.app.inject({ method: 'GET', url: `/thanh-toan/giao-dich/${first.id}` });
    assert.match(pageText(status.body), /sẽ được hoàn lại cho người nộp/);

    // The back office: a specialist sees it flagged but may not refund (404); the leader refunds it.
    const specialist = (await loginOfficer(bed.t.app, bed.db, await createOfficer(bed.db, { email: 'cv.refund@thanhtoan.example.vn', roles: [{ role: 'specialist', agencyCode: COMMUNE_A }] }))).client;
    const leader = (await loginOfficer(bed.t.app, bed.db, await createOfficer(bed.db, { email: 'ld.refund@thanhtoan.example.vn', roles: [{ role: 'leader', agencyCode: COMMUNE_A }] }))).client;
    const office = await specialist.get('/quan-tri/thanh-toan');
    assert.equal(office.statusCode, 200);
    assert.match(pageText(office.body), new RegExp(`${first.txnRef}.*Nộp trùng, cần hoàn tiền`));
    assert.doesNotMatch(office.body, /hoan-tien/, 'no refund button for a specialist');
    const refused = await specialist.postForm(`/quan-tri/thanh-toan/${first.id}/hoan-tien`, {});
    assert.equal(refused.statusCode, 404);
    assert.equal((await payment(first.id)).state, 'paid');
    // The payment that settled the obligation is not refundable.
    const notDue = await leader.postForm(`/quan-tri/thanh-toan/${second.id}/hoan-tien`, {});
    assert.equal(notDue.statusCode, 409);
    assert.match(pageText(notDue.body), /Chỉ hoàn tiền cho giao dịch đã thanh toán mà khoản nộp đã được nộp bằng giao dịch khác/);
    assert.equal((await payment(second.id)).state, 'paid');
    // The gateway cannot be reached: nothing changes, the leader is told.
    bed.sandbox.behave({ apiDown: true });
    const down = await leader.postForm(`/quan-tri/thanh-toan/${first.id}/hoan-tien`, {});
    assert.equal(down.statusCode, 503);
    assert.match(pageText(down.body), /Không kết nối được cổng thanh toán/);
    assert.equal((await payment(first.id)).state, 'paid');
    bed.sandbox.reset();
    // The gateway refuses (it holds the transaction as refunded already): audited, nothing changes.
    const atGateway = bed.sandbox.transaction(first.txnRef)!;
    atGateway.state = 'refunded';
    const refusedByGateway = await leader.postForm(`/quan-tri/thanh-toan/${first.id}/hoan-tien`, {});
    assert.equal(refusedByGateway.statusCode, 422);
    assert.match(pageText(refusedByGateway.body), /Cổng thanh toán từ chối yêu cầu hoàn tiền \(mã 95\)/);
    assert.equal((await payment(first.id)).state, 'paid');
    assert.equal(await auditCount(bed.db, 'payment.refund.refused', first.id), 1);
    atGateway.state = 'paid';
    const done = await leader.postForm(`/quan-tri/thanh-toan/${first.id}/hoan-tien`, {});
    assert.equal(done.statusCode, 303);
    assert.match(String(done.headers.location), /^\/quan-tri\/thanh-toan\?date=\d{4}-\d{2}-\d{2}&done=refund$/);
    const refunded = await payment(first.id);
    assert.equal(refunded.state, 'refunded');
    assert.equal(refunded.refundDue, false);
    assert.equal(bed.sandbox.transaction(first.txnRef)?.state, 'refunded', 'the gateway paid it back');
    assert.deepEqual(await eventsOf(bed.db, first.id), ['create', 'send', 'expire', 'confirm_late', 'refund']);
    assert.equal((await obligationOf(o.id)).status, 'paid');
    // Asked twice, the gateway is not asked again.
    assert.equal((await leader.postForm(`/quan-tri/thanh-toan/${first.id}/hoan-tien`, {})).statusCode, 409);
  });

  test('a lost IPN: the outbox job asks the gateway (querydr) after the deadline and settles the payment', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ ipn: 'never' });
    await payAtGateway(bed.sandbox, p.redirectUrl);
    assert.equal((await payment(p.id)).state, 'pending');
    const job = await bed.db.selectFrom('outboxJob').select(['id', 'runAt']).where('type', '=', 'payment.reconcile').where('payload', '@>', JSON.stringify({ paymentId: p.id }) as never).executeTakeFirstOrThrow();
    assert.ok(new Date(job.runAt).getTime() > Date.now() + 15 * 60_000, 'queued for after the deadline');
    await bed.db.updateTable('outboxJob').set({ runAt: new Date() }).where('id', '=', job.id).execute();
    await bed.t.runJobs();
    const row = await payment(p.id);
    assert.equal(row.state, 'paid');
    assert.equal(row.providerStatus, 'paid');
    assert.equal((await obligationOf(o.id)).paidPaymentId, p.id);
    const confirm = await bed.db.selectFrom('paymentEvent').select(['source']).where('paymentId', '=', p.id).where('action', '=', 'confirm').executeTakeFirstOrThrow();
    assert.equal(confirm.source, 'reconciliation');
    // The IPN that finally arrives is a duplicate.
    assert.equal((await bed.sandbox.resend(p.txnRef))[0]?.answer?.RspCode, '02');
  });

  test('a gateway that cannot be asked leaves the attempt as it is; the job is retried', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    bed.sandbox.behave({ apiDown: true });
    await assert.rejects(reconcilePayment(later(16), p.id));
    assert.equal((await payment(p.id)).state, 'pending');
    bed.sandbox.reset();
    // Never opened at the gateway: "not found" there, so after the deadline it expires.
    assert.equal(await reconcilePayment(later(16), p.id), 'expired');
  });
});

describe('double payment attempts', () => {
  test('an obligation already paid is refused with the date it was paid; nothing is created', async () => {
    const o = await addObligation(bed.db);
    const p = await started(o);
    await payAtGateway(bed.sandbox, p.redirectUrl);
    const before = await rowCount(bed.db, 'payment');
    const r = await start(o);
    assert.equal(r.statusCode, 409);
    assert.match(r.json().detail, /^Khoản này đã được nộp ngày \d{2}\/\d{2}\/\d{4}\. Không cần nộp lại/);
    assert.equal(await rowCount(bed.db, 'payment'), before);
    // The page says the same on the obligation's own page.
    const client = new WebClient(bed.t.app);
    const page = await client.postForm('/thanh-toan/nop', { obligationId: o.id, payerId: o.payerIdNumber });
    assert.equal(page.statusCode, 409);
    assert.match(pageText(page.body), /Khoản này đã được nộp ngày/);
    assert.equal(await rowCount(bed.db, 'payment'), before);
  });

  test('four starts at once (a double click, twice) make one attempt; the others are handed the same one', async () => {
    const o = await addObligation(bed.db);
    const before = await rowCount(bed.db, 'payment');
    const answers = await Promise.all([start(o), start(o), start(o), start(o)]);
    for (const r of answers) assert.equal(r.statusCode, 201, r.body);
    assert.equal(new Set(answers.map((r) => r.json().id)).size, 1);
    assert.deepEqual(answers.map((r) => r.json().reused).sort(), [false, true, true, true]);
    assert.equal(await rowCount(bed.db, 'payment'), before + 1);
  });

  test('an obligation the agency cancelled is refused with its reason; nothing is created', async () => {
    const o = await addObligation(bed.db);
    await bed.db.updateTable('paymentObligation').set({ status: 'cancelled' }).where('id', '=', o.id).execute();
    const before = await rowCount(bed.db, 'payment');
    const r = await start(o);
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().detail, 'Khoản này đã được cơ quan hủy, không cần nộp.');
    assert.equal(await rowCount(bed.db, 'payment'), before);
  });

  test('a wrong payer id is "not found", like an obligation that does not exist; nothing is created', async () => {
    const o = await addObligation(bed.db);
    const before = await rowCount(bed.db, 'payment');
    const r = await start(o, '087190009999');
    assert.equal(r.statusCode, 404);
    assert.match(r.json().detail, /Không tìm thấy khoản cần nộp khớp với thông tin đã nhập/);
    assert.equal(await rowCount(bed.db, 'payment'), before);
  });
});
