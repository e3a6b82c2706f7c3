// The national payment platform's slot: its check value (MaXacThuc), its messages, the check of
// its confirmation, and its network calls answering "chưa kết nối" (not connected).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { buildGetBillMessage, buildInitMessage, buildQueryMessage, createNationalPlatformProvider, nationalCheckValue, verifyConfirmation } from './national-platform.js';
import { ProviderError } from './payment-provider.js';

const config = { url: 'https://thanhtoan.dichvucong.gov.vn/api', partnerCode: 'DTP', secret: 'bí mật đối tác' };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const order = {
  txnRef: '20261128000001',
  amount: 16_000,
  description: 'Lệ phí cấp bản sao',
  createdAt: new Date('2026-11-28T03:04:05Z'),
  expiresAt: new Date('2026-11-28T03:19:05Z'),
  clientIp: '127.0.0.1',
  locale: 'vi' as const,
  returnUrl: 'http://localhost:3000/thanh-toan/ket-qua',
  bill: { reference: '000.00.51.H20-261128-0001', agencyCode: '000.00.51.H20', agencyName: 'UBND phường Mỹ Tho', payerName: 'Nguyễn Văn An', payerIdNumber: '087090001234', dossierCode: '000.00.51.H20-261128-0001', procedureCode: '1.004873', procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân', lines: [{ label: 'Lệ phí cấp bản sao', amount: 16_000 }] },
};

describe('the national payment platform (not connected)', () => {
  test('MaXacThuc is the lowercase hex SHA-256 of the fields joined by | with the secret appended', () => {
    assert.equal(nationalCheckValue(['DTP', '20261128000001', 16000], 'bí mật đối tác'), sha256('DTP|20261128000001|16000|bí mật đối tác'));
    assert.match(nationalCheckValue(['a'], 's'), /^[0-9a-f]{64}$/);
  });

  test('INIT carries the bill (dossier, procedure, agency, payer, fee lines) and its check value; QUERY and GET_BILL theirs', () => {
    const init = buildInitMessage(config, order);
    assert.equal(init.LoaiBanTin, 'INIT');
    assert.equal(init.MaHoSo, '000.00.51.H20-261128-0001');
    assert.equal(init.MaThuTuc, '1.004873');
    assert.equal(init.TenDonVi, 'UBND phường Mỹ Tho');
    assert.deepEqual(init.DanhSachPhi, [{ TenPhi: 'Lệ phí cấp bản sao', SoTien: 16000 }]);
    assert.equal(init.ThoiGianGD, '20261128100405');
    assert.equal(init.MaXacThuc, sha256('DTP|20261128000001|16000|20261128100405|bí mật đối tác'));
    assert.equal(buildQueryMessage(config, order.txnRef, order.createdAt).MaXacThuc, sha256('DTP|20261128000001|20261128100405|bí mật đối tác'));
    assert.equal(buildGetBillMessage(config, order.txnRef).MaXacThuc, sha256('DTP|20261128000001|bí mật đối tác'));
  });

  test('a confirmation is verified before it is read; a forged or altered one is refused', () => {
    const body = { MaLoi: '00', MaThamChieu: '20261128000001', SoTien: '16000', MaGiaoDich: 'GD778899', MaXacThuc: sha256('00|20261128000001|16000|GD778899|bí mật đối tác') };
    const ok = verifyConfirmation(config, body);
    assert.ok(ok.ok);
    assert.equal(ok.report.outcome, 'paid');
    assert.equal(ok.report.amount, 16_000);
    assert.equal(ok.report.providerRef, 'GD778899');
    assert.deepEqual(verifyConfirmation(config, { ...body, SoTien: '1600' }), { ok: false, reason: 'signature' });
    assert.deepEqual(verifyConfirmation(config, { ...body, MaXacThuc: undefined }), { ok: false, reason: 'signature' });
    assert.deepEqual(verifyConfirmation(config, 'not json'), { ok: false, reason: 'signature' });
    const failed = verifyConfirmation(config, { ...body, MaLoi: '01', MaXacThuc: sha256('01|20261128000001|16000|GD778899|bí mật đối tác') });
    assert.ok(failed.ok && failed.report.outcome === 'failed');
  });

  test('the same interface as VNPay’s; every network call answers "chưa kết nối"', async () => {
    const provider = createNationalPlatformProvider(config);
    assert.equal(provider.name, 'national');
    const notConnected = (e: unknown) => e instanceof ProviderError && e.reason === 'not_connected' && /chưa kết nối/.test(e.message);
    await assert.rejects(provider.createPayment(order), notConnected);
    await assert.rejects(provider.queryStatus({ txnRef: order.txnRef, amount: 16_000, description: 'x', createdAt: order.createdAt, serverIp: '127.0.0.1' }), notConnected);
    await assert.rejects(provider.refund({ txnRef: order.txnRef, amount: 16_000, description: 'x', createdAt: order.createdAt, providerRef: null, requestedBy: '1', serverIp: '127.0.0.1' }), notConnected);
  });
});
