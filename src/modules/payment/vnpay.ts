// The VNPay v2.1.0 adapter (DOMAIN.md section 8): the signed payment URL, the return and the IPN
// verified signature first, the IPN answered with RspCode 00/01/02/04/97/99, and the merchant API
// (querydr, refund: JSON over HTTPS, signed with the values joined by '|').
import { randomBytes } from 'node:crypto';
import {
  ProviderError,
  type CallbackRequest,
  type IpnResult,
  type PaymentOrder,
  type PaymentProvider,
  type PaymentQuery,
  type ProviderOutcome,
  type ProviderReport,
  type RefundRequest,
  type RefundResult,
  type Verified,
} from './payment-provider.js';
import { canonicalQuery, parseVnpayTime, sameSignature, signParams, signPipe, verifyParams, vnpayTime } from './vnpay-sign.js';

export const VNPAY_VERSION = '2.1.0';
/** VNPay takes 5,000 VND up to (not including) 1,000,000,000 VND per transaction. */
export const VNPAY_MIN_AMOUNT = 5_000;
export const VNPAY_MAX_AMOUNT = 999_999_999;

export interface VnpayConfig {
  tmnCode: string;
  hashSecret: string;
  /** .../paymentv2/vpcpay.html */
  paymentUrl: string;
  /** .../merchant_webapi/api/transaction (querydr and refund) */
  apiUrl: string;
}

export interface VnpayOptions {
  fetch?: typeof fetch;
  /** How long the merchant API may take before the call fails (ms). Default 15 s. */
  timeoutMs?: number;
  now?: () => Date;
}

/** The IPN answers of the protocol: the code and VNPay's own message for it. */
export const vnpayIpnAnswers: Record<IpnResult, { RspCode: string; Message: string }> = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  order_not_found: { RspCode: '01', Message: 'Order not found' },
  already_confirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalid_amount: { RspCode: '04', Message: 'Invalid amount' },
  invalid_signature: { RspCode: '97', Message: 'Invalid signature' },
  unknown_error: { RspCode: '99', Message: 'Unknown error' },
};

/** The fields the merchant API signs, in its documented order. */
export const QUERY_REQUEST_FIELDS = ['vnp_RequestId', 'vnp_Version', 'vnp_Command', 'vnp_TmnCode', 'vnp_TxnRef', 'vnp_TransactionDate', 'vnp_CreateDate', 'vnp_IpAddr', 'vnp_OrderInfo'] as const;
export const QUERY_RESPONSE_FIELDS = [
  'vnp_ResponseId',
  'vnp_Command',
  'vnp_ResponseCode',
  'vnp_Message',
  'vnp_TmnCode',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_BankCode',
  'vnp_PayDate',
  'vnp_TransactionNo',
  'vnp_TransactionType',
  'vnp_TransactionStatus',
  'vnp_OrderInfo',
  'vnp_PromotionCode',
  'vnp_PromotionAmount',
] as const;
export const REFUND_REQUEST_FIELDS = [
  'vnp_RequestId',
  'vnp_Version',
  'vnp_Command',
  'vnp_TmnCode',
  'vnp_TransactionType',
  'vnp_TxnRef',
  'vnp_Amount',
  'vnp_TransactionNo',
  'vnp_TransactionDate',
  'vnp_CreateBy',
  'vnp_CreateDate',
  'vnp_IpAddr',
  'vnp_OrderInfo',
] as const;
export const REFUND_RESPONSE_FIELDS = QUERY_RESPONSE_FIELDS.slice(0, 13);

/**
 * vnp_OrderInfo: VNPay asks for Vietnamese without diacritics and without special characters
 * ("Tieng Viet khong dau"), at most 255 characters. 'Phạt vi phạm 12/QĐ-XPHC' → 'Phat vi pham 12/QD-XPHC'.
 */
export function orderInfoText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 .,:/-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}

/** The query as strings; a repeated or non-text parameter makes the whole callback unreadable. */
function stringParams(query: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (typeof value !== 'string') return undefined;
    out[key] = value;
  }
  return out;
}

/** vnp_Amount (VND × 100) back to VND; undefined when it is not a whole number of đồng. */
export function amountFromVnp(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,15}$/.test(text)) return undefined;
  const hundredths = Number(text);
  return hundredths % 100 === 0 ? hundredths / 100 : undefined;
}

/** VNPay's IPv4 field: an IPv4-mapped IPv6 address is written as its IPv4 form. */
function ipForVnpay(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip || '127.0.0.1';
}

export function createVnpayProvider(config: VnpayConfig, options: VnpayOptions = {}): PaymentProvider {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? (() => new Date());

  /** Signature first (with our merchant code), then the content. */
  function verifyCallback(query: Record<string, unknown>): Verified {
    const params = stringParams(query);
    if (!params || !verifyParams(params, config.hashSecret) || params.vnp_TmnCode !== config.tmnCode) return { ok: false, reason: 'signature' };
    const amount = amountFromVnp(params.vnp_Amount);
    const txnRef = params.vnp_TxnRef;
    const responseCode = params.vnp_ResponseCode;
    if (amount === undefined || !txnRef || !responseCode) return { ok: false, reason: 'malformed' };
    // Success needs both codes (vnp_TransactionStatus is absent in some older callbacks).
    const paid = responseCode === '00' && (params.vnp_TransactionStatus ?? '00') === '00';
    const providerRef = params.vnp_TransactionNo && params.vnp_TransactionNo !== '0' ? params.vnp_TransactionNo : null;
    return {
      ok: true,
      report: {
        txnRef,
        outcome: paid ? 'paid' : 'failed',
        amount,
        providerRef,
        bankCode: params.vnp_BankCode || null,
        bankTxnNo: params.vnp_BankTranNo || null,
        cardType: params.vnp_CardType || null,
        paidAt: paid ? (parseVnpayTime(params.vnp_PayDate) ?? null) : null,
        responseCode,
      },
    };
  }

  async function callApi(body: Record<string, string>): Promise<Record<string, string>> {
    let response: Response;
    try {
      response = await doFetch(config.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ProviderError('vnpay', 'network', `VNPay merchant API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new ProviderError('vnpay', 'network', `VNPay merchant API answered HTTP ${response.status}`);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new ProviderError('vnpay', 'protocol', 'VNPay merchant API answered something that is not JSON');
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ProviderError('vnpay', 'protocol', 'VNPay merchant API answered an unexpected body');
    // Numbers (vnp_Amount...) are signed as their text.
    return Object.fromEntries(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
  }

  function checkAnswer(answer: Record<string, string>, fields: readonly string[], command: string, txnRef: string): void {
    // A checksum error (97) is answered unsigned; so is a malformed request (03).
    if (answer.vnp_ResponseCode === '97' || answer.vnp_ResponseCode === '03') {
      throw new ProviderError('vnpay', 'protocol', `VNPay refused the ${command} request: ${answer.vnp_ResponseCode} ${answer.vnp_Message ?? ''}`.trim());
    }
    const expected = signPipe(fields.map((f) => answer[f]), config.hashSecret);
    if (!sameSignature(expected, answer.vnp_SecureHash)) throw new ProviderError('vnpay', 'signature', `VNPay's ${command} answer is not signed with our secret`);
    if (answer.vnp_TmnCode !== config.tmnCode || (answer.vnp_TxnRef && answer.vnp_TxnRef !== txnRef)) {
      throw new ProviderError('vnpay', 'protocol', `VNPay's ${command} answer is about another merchant or transaction`);
    }
  }

  const requestId = () => randomBytes(16).toString('hex');

  return {
    name: 'vnpay',
    minAmount: VNPAY_MIN_AMOUNT,
    maxAmount: VNPAY_MAX_AMOUNT,

    async createPayment(order: PaymentOrder) {
      const params: Record<string, string> = {
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'pay',
        vnp_TmnCode: config.tmnCode,
        vnp_Amount: String(order.amount * 100),
        vnp_CurrCode: 'VND',
        vnp_TxnRef: order.txnRef,
        vnp_OrderInfo: orderInfoText(order.description) || order.txnRef,
        vnp_OrderType: 'other',
        vnp_Locale: order.locale === 'en' ? 'en' : 'vn',
        vnp_ReturnUrl: order.returnUrl,
        vnp_IpAddr: ipForVnpay(order.clientIp),
        vnp_CreateDate: vnpayTime(order.createdAt),
        vnp_ExpireDate: vnpayTime(order.expiresAt),
        ...(order.bankCode ? { vnp_BankCode: order.bankCode } : {}),
      };
      const query = canonicalQuery(params);
      return { redirectUrl: `${config.paymentUrl}?${query}&vnp_SecureHash=${signParams(params, config.hashSecret)}` };
    },

    verifyReturn: (query) => verifyCallback(query),
    parseIpn: (request: CallbackRequest) => verifyCallback(request.query),
    answerIpn: (result) => ({ ...vnpayIpnAnswers[result] }),

    async queryStatus(query: PaymentQuery): Promise<ProviderReport> {
      const body: Record<string, string> = {
        vnp_RequestId: requestId(),
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'querydr',
        vnp_TmnCode: config.tmnCode,
        vnp_TxnRef: query.txnRef,
        vnp_OrderInfo: orderInfoText(`Truy van giao dich ${query.txnRef}`),
        vnp_TransactionDate: vnpayTime(query.createdAt),
        vnp_CreateDate: vnpayTime(now()),
        vnp_IpAddr: ipForVnpay(query.serverIp),
      };
      body.vnp_SecureHash = signPipe(QUERY_REQUEST_FIELDS.map((f) => body[f]), config.hashSecret);
      const answer = await callApi(body);
      if (answer.vnp_ResponseCode === '91') {
        // "Không tìm thấy giao dịch yêu cầu": the payer never opened the payment page.
        if (answer.vnp_SecureHash) checkAnswer(answer, QUERY_RESPONSE_FIELDS, 'querydr', query.txnRef);
        return { txnRef: query.txnRef, outcome: 'not_found', amount: null, providerRef: null, bankCode: null, bankTxnNo: null, cardType: null, paidAt: null, responseCode: '91' };
      }
      checkAnswer(answer, QUERY_RESPONSE_FIELDS, 'querydr', query.txnRef);
      if (answer.vnp_ResponseCode !== '00') throw new ProviderError('vnpay', 'protocol', `VNPay querydr answered ${answer.vnp_ResponseCode}: ${answer.vnp_Message ?? ''}`);
      const type = answer.vnp_TransactionType;
      const status = answer.vnp_TransactionStatus;
      // 01 payment; 02 and 03 a full or partial refund of it. Status 00 done, 01 not finished,
      // 02 failed; the others are the refund's own stages or a fraud hold, none of them "paid".
      const outcome: ProviderOutcome = type === '02' || type === '03' ? 'refunded' : status === '00' ? 'paid' : status === '01' || status === '07' ? 'pending' : 'failed';
      const providerRef = answer.vnp_TransactionNo && answer.vnp_TransactionNo !== '0' ? answer.vnp_TransactionNo : null;
      return {
        txnRef: query.txnRef,
        outcome,
        amount: amountFromVnp(answer.vnp_Amount) ?? null,
        providerRef,
        bankCode: answer.vnp_BankCode || null,
        bankTxnNo: null,
        cardType: null,
        paidAt: outcome === 'paid' ? (parseVnpayTime(answer.vnp_PayDate) ?? null) : null,
        responseCode: status ?? answer.vnp_ResponseCode,
      };
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      const body: Record<string, string> = {
        vnp_RequestId: requestId(),
        vnp_Version: VNPAY_VERSION,
        vnp_Command: 'refund',
        vnp_TmnCode: config.tmnCode,
        vnp_TransactionType: '02',
        vnp_TxnRef: request.txnRef,
        vnp_Amount: String(request.amount * 100),
        vnp_OrderInfo: orderInfoText(request.description) || `Hoan tien ${request.txnRef}`,
        vnp_TransactionNo: request.providerRef ?? '',
        vnp_TransactionDate: vnpayTime(request.createdAt),
        vnp_CreateBy: request.requestedBy,
        vnp_CreateDate: vnpayTime(now()),
        vnp_IpAddr: ipForVnpay(request.serverIp),
      };
      body.vnp_SecureHash = signPipe(REFUND_REQUEST_FIELDS.map((f) => body[f]), config.hashSecret);
      const answer = await callApi(body);
      if (answer.vnp_ResponseCode !== '00' && !answer.vnp_SecureHash) {
        return { ok: false, responseCode: answer.vnp_ResponseCode ?? '99', message: answer.vnp_Message ?? '' };
      }
      checkAnswer(answer, REFUND_RESPONSE_FIELDS, 'refund', request.txnRef);
      return { ok: answer.vnp_ResponseCode === '00', responseCode: answer.vnp_ResponseCode ?? '99', message: answer.vnp_Message ?? '' };
    },
  };
}
