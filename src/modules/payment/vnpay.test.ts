// The VNPay v2.1.0 adapter by itself (DOMAIN.md section 8): the order of the parameters, the
// encoding of spaces and Vietnamese text, the amount × 100, the GMT+7 times, the HMAC-SHA512
// signature and what a forged one gets, the IPN answers, and the merchant API's '|' signatures.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ProviderError } from './payment-provider.js';
import { createVnpayProvider, orderInfoText, QUERY_REQUEST_FIELDS, vnpayIpnAnswers } from './vnpay.js';
import { canonicalQuery, formEncode, parseVnpayTime, signParams, signPipe, verifyParams, vnpayTime } from './vnpay-sign.js';

const SECRET = 'TESTSECRETTESTSECRETTESTSECRET12';
const config = { tmnCode: 'TESTMC01', hashSecret: SECRET, paymentUrl: 'https://pay.example.vn/paymentv2/vpcpay.html', apiUrl: 'https://pay.example.vn/merchant_webapi/api/transaction' };
const hmac = (data: string) => createHmac('sha512', SECRET).update(data, 'utf8').digest('hex');

const order = {
  txnRef: '20261128000007',
  amount: 150_000,
  description: 'Phạt vi phạm hành chính 125/QĐ-XPHC',
  createdAt: new Date('2026-11-28T03:04:05Z'),
  expiresAt: new Date('2026-11-28T03:19:05Z'),
  clientIp: '::ffff:203.0.113.9',
  locale: 'vi' as const,
  returnUrl: 'http://localhost:3000/thanh-toan/ket-qua',
  bill: { reference: '125/QĐ-XPHC', agencyCode: '000.00.51.H20', agencyName: 'UBND phường Mỹ Tho', payerName: 'Nguyễn Văn An', payerIdNumber: '087090001234', lines: [{ label: 'Tiền phạt', amount: 150_000 }] },
};

/** A callback as VNPay sends it, signed over the canonical text written out by hand. */
function signedCallback(fields: Record<string, string>): Record<string, string> {
  const keys = Object.keys(fields).sort();
  const text = keys.map((k) => `${k}=${new URLSearchParams({ v: fields[k]! }).toString().slice(2)}`).join('&');
  return { ...fields, vnp_SecureHash: hmac(text) };
}

const paidCallback = () =>
  signedCallback({
    vnp_Amount: '15000000',
    vnp_BankCode: 'NCB',
    vnp_BankTranNo: 'VNP14226112',
    vnp_CardType: 'ATM',
    vnp_OrderInfo: 'Phat vi pham hanh chinh 125/QD-XPHC',
    vnp_PayDate: '20261128101530',
    vnp_ResponseCode: '00',
    vnp_TmnCode: 'TESTMC01',
    vnp_TransactionNo: '14226112',
    vnp_TransactionStatus: '00',
    vnp_TxnRef: '20261128000007',
  });

describe('VNPay signing rules', () => {
  test('form URL-encoding: space as +, UTF-8 bytes of Vietnamese text in upper-case %XX, letters, digits and *-._ kept', () => {
    assert.equal(formEncode('Nguyễn Văn A'), 'Nguy%E1%BB%85n+V%C4%83n+A');
    assert.equal(formEncode('Thanh toán 125/QĐ-XPHC'), 'Thanh+to%C3%A1n+125%2FQ%C4%90-XPHC');
    assert.equal(formEncode('a*b-c.d_e~f!(g)'), 'a*b-c.d_e%7Ef%21%28g%29');
    assert.equal(formEncode('http://x.vn/a?b=1&c=2'), 'http%3A%2F%2Fx.vn%2Fa%3Fb%3D1%26c%3D2');
    // The same bytes as the WHATWG serializer (URLSearchParams), for any text at all.
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => formEncode(s) === new URLSearchParams({ x: s }).toString().slice(2)));
  });

  test('the signed text: vnp_* only, non-empty, hash fields left out, sorted by key', () => {
    const text = canonicalQuery({ vnp_TxnRef: '1', vnp_Amount: '100', vnp_BankCode: '', vnp_SecureHash: 'x', vnp_SecureHashType: 'HmacSHA512', other: 'y', vnp_OrderInfo: 'a b', vnp_Command: 'pay' });
    assert.equal(text, 'vnp_Amount=100&vnp_Command=pay&vnp_OrderInfo=a+b&vnp_TxnRef=1');
    assert.equal(signParams({ vnp_TxnRef: '1', vnp_Amount: '100', vnp_OrderInfo: 'a b', vnp_Command: 'pay' }, SECRET), hmac('vnp_Amount=100&vnp_Command=pay&vnp_OrderInfo=a+b&vnp_TxnRef=1'));
  });

  test('yyyyMMddHHmmss in GMT+7, across midnight and the year; impossible dates refused', () => {
    assert.equal(vnpayTime(new Date('2026-11-28T03:04:05Z')), '20261128100405');
    assert.equal(vnpayTime(new Date('2026-12-31T17:30:00Z')), '20270101003000');
    assert.equal(parseVnpayTime('20270101003000')?.toISOString(), '2026-12-31T17:30:00.000Z');
    assert.equal(parseVnpayTime('20261131120000'), undefined);
    assert.equal(parseVnpayTime('2026-11-28'), undefined);
  });

  test('vnp_OrderInfo is Vietnamese without diacritics or special characters, at most 255 characters', () => {
    assert.equal(orderInfoText('Phạt vi phạm hành chính 125/QĐ-XPHC'), 'Phat vi pham hanh chinh 125/QD-XPHC');
    assert.equal(orderInfoText('Thuế  đất <b>#2026</b> & "phí"'), 'Thue dat b 2026 /b phi');
    assert.equal(orderInfoText('ư'.repeat(300)).length, 255);
  });
});

describe('the payment URL', () => {
  test('every parameter in key order, the amount × 100, the times in GMT+7, the hash last and correct', async () => {
    const provider = createVnpayProvider(config);
    const { redirectUrl } = await provider.createPayment({ ...order, bankCode: 'NCB' });
    const [base, query] = redirectUrl.split('?') as [string, string];
    assert.equal(base, config.paymentUrl);
    const pairs = query.split('&').map((p) => p.split('=') as [string, string]);
    const keys = pairs.map(([k]) => k);
    assert.deepEqual(keys, [
      'vnp_Amount',
      'vnp_BankCode',
      'vnp_Command',
      'vnp_CreateDate',
      'vnp_CurrCode',
      'vnp_ExpireDate',
      'vnp_IpAddr',
      'vnp_Locale',
      'vnp_OrderInfo',
      'vnp_OrderType',
      'vnp_ReturnUrl',
      'vnp_TmnCode',
      'vnp_TxnRef',
      'vnp_Version',
      'vnp_SecureHash',
    ]);
    const value = Object.fromEntries(pairs);
    assert.equal(value.vnp_Amount, '15000000');
    assert.equal(value.vnp_CreateDate, '20261128100405');
    assert.equal(value.vnp_ExpireDate, '20261128101905');
    assert.equal(value.vnp_IpAddr, '203.0.113.9');
    assert.equal(value.vnp_OrderInfo, 'Phat+vi+pham+hanh+chinh+125%2FQD-XPHC');
    assert.equal(value.vnp_ReturnUrl, 'http%3A%2F%2Flocalhost%3A3000%2Fthanh-toan%2Fket-qua');
    assert.equal(value.vnp_Version, '2.1.0');
    assert.equal(value.vnp_Locale, 'vn');
    const signed = query.slice(0, query.indexOf('&vnp_SecureHash='));
    assert.equal(value.vnp_SecureHash, hmac(signed));
    // What a gateway reads back from the address verifies.
    assert.ok(verifyParams(Object.fromEntries(new URL(redirectUrl).searchParams), SECRET));
  });
});

describe('the return and the IPN', () => {
  const provider = createVnpayProvider(config);

  test('a signed callback is read: paid, the amount ÷ 100, the provider’s references, the pay date in GMT+7', () => {
    const verified = provider.parseIpn({ query: paidCallback() });
    assert.ok(verified.ok);
    assert.deepEqual(verified.report, {
      txnRef: '20261128000007',
      outcome: 'paid',
      amount: 150_000,
      providerRef: '14226112',
      bankCode: 'NCB',
      bankTxnNo: 'VNP14226112',
      cardType: 'ATM',
      paidAt: new Date('2026-11-28T03:15:30Z'),
      responseCode: '00',
    });
    assert.deepEqual(provider.verifyReturn(paidCallback()), verified);
  });

  test('an upper-case signature is the same signature', () => {
    const cb = paidCallback();
    assert.ok(provider.parseIpn({ query: { ...cb, vnp_SecureHash: cb.vnp_SecureHash!.toUpperCase() } }).ok);
  });

  test('forged or altered: a changed amount, code or reference, another secret, another merchant, no hash or a repeated parameter all fail the signature', () => {
    const cb = paidCallback();
    const forged = [
      { ...cb, vnp_Amount: '1500000' },
      { ...cb, vnp_ResponseCode: '24' },
      { ...cb, vnp_TxnRef: '20261128000008' },
      { ...cb, vnp_SecureHash: createHmac('sha512', 'another secret').update('x').digest('hex') },
      { ...cb, vnp_SecureHash: undefined as unknown as string },
      { ...cb, vnp_TxnRef: ['20261128000007', '20261128000007'] as unknown as string },
    ];
    for (const query of forged) assert.deepEqual(provider.parseIpn({ query }), { ok: false, reason: 'signature' });
    const otherMerchant = signedCallback({ ...Object.fromEntries(Object.entries(cb).filter(([k]) => k !== 'vnp_SecureHash')), vnp_TmnCode: 'OTHER001' });
    assert.deepEqual(provider.parseIpn({ query: otherMerchant }), { ok: false, reason: 'signature' });
  });

  test('a signed callback that cannot be read is malformed (an amount that is not whole đồng)', () => {
    const cb = paidCallback();
    const odd = signedCallback({ ...Object.fromEntries(Object.entries(cb).filter(([k]) => k !== 'vnp_SecureHash')), vnp_Amount: '15000050' });
    assert.deepEqual(provider.parseIpn({ query: odd }), { ok: false, reason: 'malformed' });
  });

  test('a cancelled or declined payment is read as failed, with no transaction number when VNPay sends 0', () => {
    const cancelled = signedCallback({ vnp_Amount: '15000000', vnp_ResponseCode: '24', vnp_TmnCode: 'TESTMC01', vnp_TransactionNo: '0', vnp_TransactionStatus: '02', vnp_TxnRef: '20261128000007' });
    const v = provider.parseIpn({ query: cancelled });
    assert.ok(v.ok);
    assert.equal(v.report.outcome, 'failed');
    assert.equal(v.report.providerRef, null);
    assert.equal(v.report.paidAt, null);
  });

  test('the IPN answers: 00, 01, 02, 04, 97, 99 with their messages', () => {
    assert.deepEqual(
      Object.values(vnpayIpnAnswers).map((a) => a.RspCode),
      ['00', '01', '02', '04', '97', '99'],
    );
    assert.deepEqual(provider.answerIpn('confirmed'), { RspCode: '00', Message: 'Confirm Success' });
    assert.deepEqual(provider.answerIpn('invalid_signature'), { RspCode: '97', Message: 'Invalid signature' });
  });
});

describe('the merchant API (querydr, refund)', () => {
  /** A fake API: checks the request's '|' signature, answers what `answer` returns. */
  function fakeApi(answer: (body: Record<string, string>) => Record<string, string>) {
    const seen: Record<string, string>[] = [];
    const fetchImpl = (async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as Record<string, string>;
      seen.push(body);
      return new Response(JSON.stringify(answer(body)), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    return { seen, fetchImpl };
  }
  const responseFields = ['vnp_ResponseId', 'vnp_Command', 'vnp_ResponseCode', 'vnp_Message', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_Amount', 'vnp_BankCode', 'vnp_PayDate', 'vnp_TransactionNo', 'vnp_TransactionType', 'vnp_TransactionStatus', 'vnp_OrderInfo', 'vnp_PromotionCode', 'vnp_PromotionAmount'];
  const queryAnswer = (status: string, secret = SECRET) => {
    const a: Record<string, string> = { vnp_ResponseId: 'r1', vnp_Command: 'querydr', vnp_ResponseCode: '00', vnp_Message: 'OK', vnp_TmnCode: 'TESTMC01', vnp_TxnRef: '20261128000007', vnp_Amount: '15000000', vnp_BankCode: 'NCB', vnp_PayDate: '20261128101530', vnp_TransactionNo: '14226112', vnp_TransactionType: '01', vnp_TransactionStatus: status, vnp_OrderInfo: 'x' };
    a.vnp_SecureHash = createHmac('sha512', secret).update(responseFields.map((f) => a[f] ?? '').join('|')).digest('hex');
    return a;
  };
  const query = { txnRef: '20261128000007', amount: 150_000, description: 'Truy vấn', createdAt: order.createdAt, serverIp: '127.0.0.1' };

  test('querydr is signed over its fields joined by | in the documented order, and its signed answer is read', async () => {
    const api = fakeApi(() => queryAnswer('00'));
    const provider = createVnpayProvider(config, { fetch: api.fetchImpl, now: () => new Date('2026-11-28T04:00:00Z') });
    const report = await provider.queryStatus(query);
    const body = api.seen[0]!;
    assert.equal(body.vnp_Command, 'querydr');
    assert.equal(body.vnp_TransactionDate, '20261128100405');
    assert.equal(body.vnp_CreateDate, '20261128110000');
    assert.equal(body.vnp_SecureHash, hmac(QUERY_REQUEST_FIELDS.map((f) => body[f]).join('|')));
    assert.equal(body.vnp_SecureHash, signPipe([body.vnp_RequestId, '2.1.0', 'querydr', 'TESTMC01', '20261128000007', '20261128100405', '20261128110000', '127.0.0.1', body.vnp_OrderInfo], SECRET));
    assert.equal(report.outcome, 'paid');
    assert.equal(report.amount, 150_000);
    assert.equal(report.providerRef, '14226112');
  });

  test('transaction status 01 is pending, 02 failed; 91 is not found', async () => {
    for (const [status, outcome] of [['01', 'pending'], ['02', 'failed']] as const) {
      const provider = createVnpayProvider(config, { fetch: fakeApi(() => queryAnswer(status)).fetchImpl });
      assert.equal((await provider.queryStatus(query)).outcome, outcome);
    }
    const notFound = createVnpayProvider(config, { fetch: fakeApi(() => ({ vnp_ResponseCode: '91', vnp_Message: 'Not found' })).fetchImpl });
    assert.equal((await notFound.queryStatus(query)).outcome, 'not_found');
  });

  test('an answer signed with another secret, or unreachable, is a ProviderError, not a status', async () => {
    const forged = createVnpayProvider(config, { fetch: fakeApi(() => queryAnswer('00', 'another secret')).fetchImpl });
    await assert.rejects(forged.queryStatus(query), (e: unknown) => e instanceof ProviderError && e.reason === 'signature');
    const down = createVnpayProvider(config, { fetch: (async () => new Response('down', { status: 503 })) as unknown as typeof fetch });
    await assert.rejects(down.queryStatus(query), (e: unknown) => e instanceof ProviderError && e.reason === 'network');
  });
});
