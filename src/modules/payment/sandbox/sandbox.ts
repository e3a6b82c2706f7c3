// The sandbox gateway: a small HTTP service that behaves like VNPay v2.1.0 (DOMAIN.md section 8),
// so that the whole payment flow runs on one machine, in the demo (`npm start` starts it when
// VNPAY_PAYMENT_URL is unset) and in the tests. It signs and checks with the adapter's own rules
// (vnpay-sign.ts):
//  - GET /paymentv2/vpcpay.html checks the merchant's signature and the parameters, then shows a
//    payment page (no script) with "Thanh toán" and "Hủy";
//  - the answer is a signed redirect to vnp_ReturnUrl and a signed IPN, sent as GET to the
//    merchant's IPN address (registered with the merchant, as at VNPay);
//  - POST /merchant_webapi/api/transaction answers querydr and refund, signed with '|'.
// It can be told (programmatically, or by POST /sandbox/behaviour) to decline, to send the IPN
// before or after the payer's return, to hold it until released (delayed, reordered), to never send
// it (lost), to send it several times at once (duplicated), to report another amount, or to have
// its merchant API down.
import { randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { MessageKey } from '../../../platform/i18n/i18n.js';
import { amountFromVnp, QUERY_REQUEST_FIELDS, QUERY_RESPONSE_FIELDS, REFUND_REQUEST_FIELDS, REFUND_RESPONSE_FIELDS, VNPAY_MAX_AMOUNT, VNPAY_MIN_AMOUNT, VNPAY_VERSION } from '../vnpay.js';
import { canonicalQuery, parseVnpayTime, sameSignature, signParams, signPipe, verifyParams, vnpayTime } from '../vnpay-sign.js';
import { errorPage, paymentPage } from './sandbox-pages.js';

export interface SandboxMerchant {
  tmnCode: string;
  hashSecret: string;
  /** Where the IPN goes (GET); registered with the merchant, not sent with each payment. */
  ipnUrl?: string | undefined;
}

export interface SandboxBehaviour {
  /** 'approve': the bank takes the money; 'decline': the bank refuses it (vnp_ResponseCode 51). */
  outcome: 'approve' | 'decline';
  /** When the IPN goes: before the payer's redirect is answered, after it, held until release(), or never. */
  ipn: 'before_return' | 'after_return' | 'hold' | 'never';
  /** How many copies of each IPN are sent, all at once. */
  copies: number;
  /** VND added to the amount the callbacks report (correctly signed): a provider-side discrepancy. */
  amountOffset: number;
  /** The merchant API answers 503. */
  apiDown: boolean;
}

export const defaultBehaviour: SandboxBehaviour = { outcome: 'approve', ipn: 'before_return', copies: 1, amountOffset: 0, apiDown: false };

export interface IpnDelivery {
  txnRef: string;
  copy: number;
  /** The merchant's HTTP status, or null when it could not be reached. */
  status: number | null;
  /** The merchant's answer ({ RspCode, Message }), or null. */
  answer: { RspCode?: string; Message?: string } | null;
}

type TxnState = 'open' | 'paid' | 'failed' | 'refunded';

export interface SandboxTransaction {
  ref: string;
  tmnCode: string;
  txnRef: string;
  amount: number;
  orderInfo: string;
  createDate: string;
  expiresAt: Date;
  returnUrl: string;
  locale: 'vi' | 'en';
  state: TxnState;
  transactionNo: string | null;
  bankCode: string | null;
  payDate: string | null;
  /** The amount the callbacks reported (amount + the behaviour's offset). */
  reportedAmount: number;
  /** The signed callback parameters, once the payer has acted. */
  callback: Record<string, string> | null;
}

export interface PaymentSandbox {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly paymentUrl: string;
  readonly apiUrl: string;
  setMerchant(merchant: SandboxMerchant): void;
  /** Changes the behaviour for what follows; returns the behaviour now in force. */
  behave(change: Partial<SandboxBehaviour>): SandboxBehaviour;
  reset(): void;
  /** The transaction references whose IPN is held. */
  held(): string[];
  /** Sends the held IPNs one after the other, in the order held or reversed (reordered callbacks). */
  release(order?: 'as_held' | 'reverse'): Promise<IpnDelivery[]>;
  /** Sends a transaction's IPN again (a duplicate arriving later). */
  resend(txnRef: string, copies?: number): Promise<IpnDelivery[]>;
  /** Resolves when every IPN sent in the background has been answered. */
  settled(): Promise<void>;
  readonly deliveries: readonly IpnDelivery[];
  transaction(txnRef: string): SandboxTransaction | undefined;
  close(): Promise<void>;
}

export interface SandboxOptions {
  merchants: SandboxMerchant[];
  host?: string;
  port?: number;
  now?: () => Date;
}

const localeOf = (value: string | undefined): 'vi' | 'en' => (value === 'en' ? 'en' : 'vi');

export async function startPaymentSandbox(options: SandboxOptions): Promise<PaymentSandbox> {
  const now = options.now ?? (() => new Date());
  const merchants = new Map(options.merchants.map((m) => [m.tmnCode, { ...m }]));
  const transactions = new Map<string, SandboxTransaction>(); // by tmnCode:txnRef
  const byRef = new Map<string, SandboxTransaction>();
  const requestIds = new Set<string>();
  const deliveries: IpnDelivery[] = [];
  const held: SandboxTransaction[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let behaviour: SandboxBehaviour = { ...defaultBehaviour };
  let transactionNo = 14_000_000 + Math.floor(Math.random() * 1_000_000);

  const keyOf = (tmnCode: string, txnRef: string) => `${tmnCode}:${txnRef}`;

  function signedQuery(params: Record<string, string>, secret: string): string {
    return `${canonicalQuery(params)}&vnp_SecureHash=${signParams(params, secret)}`;
  }

  async function deliver(txn: SandboxTransaction, copies: number): Promise<IpnDelivery[]> {
    const merchant = merchants.get(txn.tmnCode);
    if (!merchant?.ipnUrl || !txn.callback) return [];
    const url = `${merchant.ipnUrl}${merchant.ipnUrl.includes('?') ? '&' : '?'}${signedQuery(txn.callback, merchant.hashSecret)}`;
    const one = async (copy: number): Promise<IpnDelivery> => {
      try {
        const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(15_000) });
        const text = await response.text();
        let answer: IpnDelivery['answer'] = null;
        try {
          answer = JSON.parse(text) as IpnDelivery['answer'];
        } catch {
          answer = null;
        }
        return { txnRef: txn.txnRef, copy, status: response.status, answer };
      } catch {
        return { txnRef: txn.txnRef, copy, status: null, answer: null };
      }
    };
    const results = await Promise.all(Array.from({ length: Math.max(1, copies) }, (_, i) => one(i + 1)));
    deliveries.push(...results);
    return results;
  }

  function inBackground(work: Promise<unknown>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(formbody);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    reply.header('x-content-type-options', 'nosniff');
  });

  const html = (reply: import('fastify').FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

  // ---------- the payment page ----------
  app.get('/paymentv2/vpcpay.html', async (request, reply) => {
    const raw = new URLSearchParams(request.url.split('?')[1] ?? '');
    const params: Record<string, string> = {};
    for (const [key, value] of raw) {
      if (key in params) return html(reply, 400, errorPage('vi', '03', 'payment.sandbox.error.format'));
      params[key] = value;
    }
    const locale = localeOf(params.vnp_Locale);
    const fail = (code: string, key: MessageKey, status = 400) => html(reply, status, errorPage(locale, code, key));
    const merchant = params.vnp_TmnCode ? merchants.get(params.vnp_TmnCode) : undefined;
    if (!merchant) return fail('02', 'payment.sandbox.error.merchant');
    if (!verifyParams(params, merchant.hashSecret)) return fail('70', 'payment.sandbox.error.signature');
    const amount = amountFromVnp(params.vnp_Amount);
    const created = parseVnpayTime(params.vnp_CreateDate);
    const expires = parseVnpayTime(params.vnp_ExpireDate);
    if (params.vnp_Version !== VNPAY_VERSION || params.vnp_Command !== 'pay' || params.vnp_CurrCode !== 'VND' || !params.vnp_TxnRef || !params.vnp_OrderInfo || !params.vnp_IpAddr || !created || !expires || amount === undefined) {
      return fail('03', 'payment.sandbox.error.format');
    }
    let returnUrl: URL;
    try {
      returnUrl = new URL(params.vnp_ReturnUrl ?? '');
      if (returnUrl.protocol !== 'http:' && returnUrl.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return fail('03', 'payment.sandbox.error.format');
    }
    if (amount < VNPAY_MIN_AMOUNT || amount > VNPAY_MAX_AMOUNT) return fail('32', 'payment.sandbox.error.amount');
    if (now() > expires) return fail('11', 'payment.sandbox.error.expired');
    const key = keyOf(merchant.tmnCode, params.vnp_TxnRef);
    let txn = transactions.get(key);
    if (txn && (txn.amount !== amount || txn.createDate !== params.vnp_CreateDate)) return fail('94', 'payment.sandbox.error.duplicate');
    if (txn && txn.state !== 'open') return fail('00', 'payment.sandbox.error.done', 409);
    if (!txn) {
      txn = {
        ref: randomBytes(12).toString('hex'),
        tmnCode: merchant.tmnCode,
        txnRef: params.vnp_TxnRef,
        amount,
        orderInfo: params.vnp_OrderInfo,
        createDate: params.vnp_CreateDate!,
        expiresAt: expires,
        returnUrl: returnUrl.toString(),
        locale,
        state: 'open',
        transactionNo: null,
        bankCode: null,
        payDate: null,
        reportedAmount: amount,
        callback: null,
      };
      transactions.set(key, txn);
      byRef.set(txn.ref, txn);
    }
    return html(reply, 200, paymentPage({ locale, ref: txn.ref, tmnCode: txn.tmnCode, txnRef: txn.txnRef, orderInfo: txn.orderInfo, amount: txn.amount, expiresAt: txn.expiresAt, bankCode: params.vnp_BankCode }));
  });

  // ---------- the payer pays or cancels ----------
  app.post('/paymentv2/xac-nhan', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const txn = typeof body.ref === 'string' ? byRef.get(body.ref) : undefined;
    if (!txn) return html(reply, 404, errorPage('vi', '91', 'payment.sandbox.error.notFound'));
    if (txn.state !== 'open') return html(reply, 409, errorPage(txn.locale, '00', 'payment.sandbox.error.done'));
    if (now() > txn.expiresAt) return html(reply, 400, errorPage(txn.locale, '11', 'payment.sandbox.error.expired'));
    const merchant = merchants.get(txn.tmnCode)!;
    const cancelled = body.action !== 'pay';
    const approved = !cancelled && behaviour.outcome === 'approve';
    const bank = typeof body.bank === 'string' && /^[A-Z0-9]{2,20}$/.test(body.bank) ? body.bank : 'NCB';
    transactionNo += 1;
    txn.state = approved ? 'paid' : 'failed';
    txn.transactionNo = cancelled ? null : String(transactionNo);
    txn.bankCode = bank;
    txn.payDate = vnpayTime(now());
    txn.reportedAmount = txn.amount + behaviour.amountOffset;
    // 00 success; 24 the customer cancelled; 51 not enough money in the account.
    const responseCode = approved ? '00' : cancelled ? '24' : '51';
    txn.callback = {
      vnp_Amount: String(txn.reportedAmount * 100),
      vnp_BankCode: bank,
      ...(approved ? { vnp_BankTranNo: `VNP${transactionNo}` } : {}),
      vnp_CardType: 'ATM',
      vnp_OrderInfo: txn.orderInfo,
      vnp_PayDate: txn.payDate,
      vnp_ResponseCode: responseCode,
      vnp_TmnCode: txn.tmnCode,
      vnp_TransactionNo: txn.transactionNo ?? '0',
      vnp_TransactionStatus: approved ? '00' : '02',
      vnp_TxnRef: txn.txnRef,
    };
    const returnTo = `${txn.returnUrl}${txn.returnUrl.includes('?') ? '&' : '?'}${signedQuery(txn.callback, merchant.hashSecret)}`;
    const copies = behaviour.copies;
    switch (behaviour.ipn) {
      case 'before_return':
        await deliver(txn, copies);
        break;
      case 'after_return':
        // Reordered: the payer's browser is answered first, the IPN follows a moment later.
        inBackground(new Promise((resolve) => setTimeout(resolve, 30)).then(() => deliver(txn, copies)));
        break;
      case 'hold':
        held.push(txn);
        break;
      case 'never':
        break;
    }
    return reply.redirect(returnTo, 303);
  });

  // ---------- the merchant API: querydr and refund ----------
  app.post('/merchant_webapi/api/transaction', async (request, reply) => {
    if (behaviour.apiDown) return reply.code(503).send({ vnp_ResponseCode: '99', vnp_Message: 'Service unavailable' });
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    const command = body.vnp_Command;
    const merchant = body.vnp_TmnCode ? merchants.get(body.vnp_TmnCode) : undefined;
    const responseId = randomBytes(8).toString('hex');
    if (!merchant) return { vnp_ResponseId: responseId, vnp_Command: command ?? '', vnp_ResponseCode: '02', vnp_Message: 'Merchant is not valid' };
    const requestFields = command === 'refund' ? REFUND_REQUEST_FIELDS : QUERY_REQUEST_FIELDS;
    if ((command !== 'querydr' && command !== 'refund') || body.vnp_Version !== VNPAY_VERSION || !body.vnp_RequestId || !body.vnp_TxnRef) {
      return { vnp_ResponseId: responseId, vnp_Command: command ?? '', vnp_ResponseCode: '03', vnp_Message: 'Data format is not valid' };
    }
    if (!sameSignature(signPipe(requestFields.map((f) => body[f]), merchant.hashSecret), body.vnp_SecureHash)) {
      return { vnp_ResponseId: responseId, vnp_Command: command, vnp_ResponseCode: '97', vnp_Message: 'Invalid checksum' };
    }
    const answer = (code: string, message: string, txn: SandboxTransaction | undefined, extra: Record<string, string> = {}) => {
      const out: Record<string, string> = {
        vnp_ResponseId: responseId,
        vnp_Command: command,
        vnp_ResponseCode: code,
        vnp_Message: message,
        vnp_TmnCode: merchant.tmnCode,
        vnp_TxnRef: body.vnp_TxnRef!,
        vnp_Amount: txn ? String(txn.reportedAmount * 100) : '',
        vnp_BankCode: txn?.bankCode ?? '',
        vnp_PayDate: txn?.payDate ?? '',
        vnp_TransactionNo: txn?.transactionNo ?? '',
        vnp_TransactionType: '01',
        vnp_TransactionStatus: '',
        vnp_OrderInfo: txn?.orderInfo ?? '',
        ...extra,
      };
      const fields = command === 'refund' ? REFUND_RESPONSE_FIELDS : QUERY_RESPONSE_FIELDS;
      out.vnp_SecureHash = signPipe(fields.map((f) => out[f]), merchant.hashSecret);
      return out;
    };
    const day = vnpayTime(now()).slice(0, 8);
    const requestKey = `${merchant.tmnCode}:${day}:${body.vnp_RequestId}`;
    if (requestIds.has(requestKey)) return answer('94', 'Duplicate request', undefined);
    requestIds.add(requestKey);
    const txn = transactions.get(keyOf(merchant.tmnCode, body.vnp_TxnRef!));
    // The transaction is found by its reference and the date it was created.
    if (!txn || txn.createDate !== body.vnp_TransactionDate) return answer('91', 'Transaction not found', undefined);
    if (command === 'querydr') {
      const status = txn.state === 'paid' || txn.state === 'refunded' ? '00' : txn.state === 'failed' ? '02' : '01';
      return answer('00', 'Success', txn, { vnp_TransactionType: txn.state === 'refunded' ? '02' : '01', vnp_TransactionStatus: status });
    }
    const amount = amountFromVnp(body.vnp_Amount);
    if (txn.state !== 'paid') return answer('95', 'Transaction is not refundable', txn);
    if (amount === undefined || amount !== txn.reportedAmount || body.vnp_TransactionType !== '02') return answer('03', 'Invalid amount', txn);
    txn.state = 'refunded';
    return answer('00', 'Refund success', txn, { vnp_TransactionType: '02', vnp_TransactionStatus: '05' });
  });

  // ---------- the control API (demo operators, tests) ----------
  app.get('/sandbox/behaviour', async () => behaviour);
  app.post('/sandbox/behaviour', async (request, reply) => {
    const body = (request.body ?? {}) as Partial<Record<keyof SandboxBehaviour, unknown>>;
    const next = { ...behaviour };
    if (body.outcome === 'approve' || body.outcome === 'decline') next.outcome = body.outcome;
    if (body.ipn === 'before_return' || body.ipn === 'after_return' || body.ipn === 'hold' || body.ipn === 'never') next.ipn = body.ipn;
    if (Number.isInteger(body.copies) && (body.copies as number) >= 1 && (body.copies as number) <= 10) next.copies = body.copies as number;
    if (Number.isInteger(body.amountOffset)) next.amountOffset = body.amountOffset as number;
    if (typeof body.apiDown === 'boolean') next.apiDown = body.apiDown;
    behaviour = next;
    return reply.send(behaviour);
  });
  app.post('/sandbox/release', async (request) => {
    const order = ((request.body ?? {}) as { order?: unknown }).order === 'reverse' ? 'reverse' : 'as_held';
    return release(order);
  });
  app.get('/', async (_request, reply) => html(reply, 200, errorPage('vi', '—', 'payment.sandbox.index')));

  async function release(order: 'as_held' | 'reverse'): Promise<IpnDelivery[]> {
    const batch = held.splice(0, held.length);
    if (order === 'reverse') batch.reverse();
    const out: IpnDelivery[] = [];
    for (const txn of batch) out.push(...(await deliver(txn, behaviour.copies)));
    return out;
  }

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url,
    paymentUrl: `${url}/paymentv2/vpcpay.html`,
    apiUrl: `${url}/merchant_webapi/api/transaction`,
    setMerchant(merchant) {
      merchants.set(merchant.tmnCode, { ...merchant });
    },
    behave(change) {
      behaviour = { ...behaviour, ...change };
      return behaviour;
    },
    reset() {
      behaviour = { ...defaultBehaviour };
    },
    held: () => held.map((t) => t.txnRef),
    release: (order = 'as_held') => release(order),
    async resend(txnRef, copies = 1) {
      const txn = [...transactions.values()].find((t) => t.txnRef === txnRef);
      return txn ? deliver(txn, copies) : [];
    },
    async settled() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    deliveries,
    transaction: (txnRef) => [...transactions.values()].find((t) => t.txnRef === txnRef),
    async close() {
      await Promise.allSettled([...inFlight]);
      await app.close();
    },
  };
}
