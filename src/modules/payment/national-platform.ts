// The slot for the national payment platform of the National Public Service Portal (DOMAIN.md
// section 8). NOT CONNECTED: the platform's API is not public, so what is here is what public code
// of provincial systems shows (version 1.0.6), not an official specification. The messages are
// built and the confirmation is checked (pure functions, tested), but every network call answers
// ProviderError('not_connected'): "chưa kết nối". When the specification and a partner account
// arrive, the three calls below are the only code to write.
//  - Messages are JSON: INIT (start; its reply carries the address to send the payer to), QUERY
//    (status) and GET_BILL (the bill the platform shows: dossier code, procedure code and name,
//    agency, payer, fee lines).
//  - Each message carries MaXacThuc: the lowercase hex SHA-256 of its fields joined by '|' with the
//    partner secret appended (read here as one more '|'-joined field; nationalCheckValue is the one
//    place to change if the specification says otherwise).
//  - The platform confirms a payment by POSTing MaLoi ("00" = paid), MaThamChieu (our reference),
//    SoTien, MaGiaoDich and a MaXacThuc to verify.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ProviderError,
  type CallbackRequest,
  type IpnResult,
  type PaymentOrder,
  type PaymentProvider,
  type ProviderReport,
  type Verified,
} from './payment-provider.js';
import { vnpayTime } from './vnpay-sign.js';

export interface NationalPlatformConfig {
  /** The platform's API address (to be given with the partner account). */
  url: string;
  /** MaDoiTac: the province's partner code at the platform. */
  partnerCode: string;
  /** The partner secret that closes every MaXacThuc. */
  secret: string;
}

export const NATIONAL_NOT_CONNECTED = 'Cổng thanh toán của Cổng Dịch vụ công quốc gia chưa kết nối: chưa có đặc tả chính thức và tài khoản đối tác / the national payment platform is not connected yet';

/** MaXacThuc: lowercase hex SHA-256 of the fields joined by '|' with the secret appended. */
export function nationalCheckValue(fields: readonly (string | number)[], secret: string): string {
  return createHash('sha256').update([...fields.map(String), secret].join('|'), 'utf8').digest('hex');
}

// The fields each check value covers, in order (provisional, as seen in public code).
export const INIT_CHECK_FIELDS = ['MaDoiTac', 'MaThamChieu', 'SoTien', 'ThoiGianGD'] as const;
export const QUERY_CHECK_FIELDS = ['MaDoiTac', 'MaThamChieu', 'ThoiGianGD'] as const;
export const GET_BILL_CHECK_FIELDS = ['MaDoiTac', 'MaThamChieu'] as const;
export const CONFIRM_CHECK_FIELDS = ['MaLoi', 'MaThamChieu', 'SoTien', 'MaGiaoDich'] as const;

export interface InitMessage {
  LoaiBanTin: 'INIT';
  MaDoiTac: string;
  MaThamChieu: string;
  /** Integer VND. */
  SoTien: number;
  ThoiGianGD: string;
  NoiDungThanhToan: string;
  MaHoSo: string;
  MaThuTuc: string;
  TenThuTuc: string;
  MaDonVi: string;
  TenDonVi: string;
  HoTenNguoiNop: string;
  SoGiayToNguoiNop: string;
  DanhSachPhi: { TenPhi: string; SoTien: number }[];
  UrlTraVe: string;
  MaXacThuc: string;
}

export interface QueryMessage {
  LoaiBanTin: 'QUERY';
  MaDoiTac: string;
  MaThamChieu: string;
  ThoiGianGD: string;
  MaXacThuc: string;
}

export interface GetBillMessage {
  LoaiBanTin: 'GET_BILL';
  MaDoiTac: string;
  MaThamChieu: string;
  MaXacThuc: string;
}

function checked<T extends { MaXacThuc: string }>(message: Omit<T, 'MaXacThuc'>, fields: readonly string[], secret: string): T {
  const values = fields.map((f) => (message as Record<string, unknown>)[f] as string | number);
  return { ...message, MaXacThuc: nationalCheckValue(values, secret) } as unknown as T;
}

export function buildInitMessage(config: NationalPlatformConfig, order: PaymentOrder): InitMessage {
  return checked<InitMessage>(
    {
      LoaiBanTin: 'INIT',
      MaDoiTac: config.partnerCode,
      MaThamChieu: order.txnRef,
      SoTien: order.amount,
      ThoiGianGD: vnpayTime(order.createdAt),
      NoiDungThanhToan: order.description,
      MaHoSo: order.bill.dossierCode ?? '',
      MaThuTuc: order.bill.procedureCode ?? '',
      TenThuTuc: order.bill.procedureName ?? '',
      MaDonVi: order.bill.agencyCode,
      TenDonVi: order.bill.agencyName,
      HoTenNguoiNop: order.bill.payerName,
      SoGiayToNguoiNop: order.bill.payerIdNumber,
      DanhSachPhi: order.bill.lines.map((l) => ({ TenPhi: l.label, SoTien: l.amount })),
      UrlTraVe: order.returnUrl,
    },
    INIT_CHECK_FIELDS,
    config.secret,
  );
}

export function buildQueryMessage(config: NationalPlatformConfig, txnRef: string, createdAt: Date): QueryMessage {
  return checked<QueryMessage>({ LoaiBanTin: 'QUERY', MaDoiTac: config.partnerCode, MaThamChieu: txnRef, ThoiGianGD: vnpayTime(createdAt) }, QUERY_CHECK_FIELDS, config.secret);
}

export function buildGetBillMessage(config: NationalPlatformConfig, txnRef: string): GetBillMessage {
  return checked<GetBillMessage>({ LoaiBanTin: 'GET_BILL', MaDoiTac: config.partnerCode, MaThamChieu: txnRef }, GET_BILL_CHECK_FIELDS, config.secret);
}

/** The platform's confirmation, check value first, then its content. */
export function verifyConfirmation(config: NationalPlatformConfig, body: unknown): Verified {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'signature' };
  const b = body as Record<string, unknown>;
  const text = (k: string) => (typeof b[k] === 'string' || typeof b[k] === 'number' ? String(b[k]) : undefined);
  const sent = text('MaXacThuc');
  const values = CONFIRM_CHECK_FIELDS.map(text);
  if (!sent || !/^[0-9a-f]{64}$/.test(sent) || values.some((v) => v === undefined)) return { ok: false, reason: 'signature' };
  const expected = nationalCheckValue(values as string[], config.secret);
  if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(sent, 'hex'))) return { ok: false, reason: 'signature' };
  const [code, txnRef, amountText, providerRef] = values as [string, string, string, string];
  if (!/^\d{1,12}$/.test(amountText) || !txnRef) return { ok: false, reason: 'malformed' };
  const report: ProviderReport = {
    txnRef,
    outcome: code === '00' ? 'paid' : 'failed',
    amount: Number(amountText),
    providerRef: providerRef || null,
    bankCode: null,
    bankTxnNo: null,
    cardType: null,
    paidAt: null,
    responseCode: code,
  };
  return { ok: true, report };
}

const notConnected = () => new ProviderError('national', 'not_connected', NATIONAL_NOT_CONNECTED);

/** The adapter in its slot: the same interface as VNPay's; its network calls are not connected. */
export function createNationalPlatformProvider(config: NationalPlatformConfig): PaymentProvider {
  return {
    name: 'national',
    minAmount: 1,
    maxAmount: Number.MAX_SAFE_INTEGER,
    async createPayment(order) {
      buildInitMessage(config, order);
      throw notConnected();
    },
    // The platform's return to the portal carries nothing we can verify in the public code seen.
    verifyReturn: () => ({ ok: false, reason: 'signature' }),
    parseIpn: (request: CallbackRequest) => verifyConfirmation(config, request.body),
    // Provisional: the same MaLoi vocabulary, "00" when the confirmation was taken.
    answerIpn: (result: IpnResult) => ({ MaLoi: result === 'confirmed' || result === 'already_confirmed' ? '00' : '99' }),
    async queryStatus(query) {
      buildQueryMessage(config, query.txnRef, query.createdAt);
      throw notConnected();
    },
    async refund() {
      throw notConnected();
    },
  };
}
