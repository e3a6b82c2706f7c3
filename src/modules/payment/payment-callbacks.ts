// What comes back from a provider (DOMAIN.md section 8; decision 008).
//  - The IPN is the source of truth. It is checked in the protocol's order: the signature first
//    (97), then the order (01), then the amount (04); then the attempt's state, with its row
//    locked, so that a duplicate, even one arriving at the same moment, finds it paid and gets 02
//    without a second credit. Every answer other than 00 is audited with its reason.
//  - The return URL only displays: its signature is checked, the attempt is shown as the database
//    has it, and nothing changes, however often it is replayed. Each view is audited.
import type { CallbackRequest, IpnResult, ProviderName, ProviderReport } from './payment-provider.js';
import type { PaymentDeps } from './payment-deps.js';
import { settlePayment } from './payment-settle.js';
import { auditPayment } from './payment-transition.js';
import { findPaymentByTxnRef, lockPaymentByTxnRef, type PaymentRow } from './payment.repository.js';
import { vnpayIpnAnswers } from './vnpay.js';

export interface CallbackLog {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A claimed reference is written to the audit only when it looks like one (never raw input). */
function safeRef(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(value) ? value : undefined;
}

export interface IpnOutcome {
  result: IpnResult;
  /** The body to answer with, in the provider's protocol. */
  answer: Record<string, string>;
}

export async function handleIpn(deps: PaymentDeps, providerName: ProviderName, request: CallbackRequest, meta: { ip?: string | undefined; log?: CallbackLog }): Promise<IpnOutcome> {
  const provider = deps.providers[providerName];
  // Without the provider configured nothing can be checked; VNPay's own format says so.
  const answerOf = (result: IpnResult) => (provider ? provider.answerIpn(result) : { ...vnpayIpnAnswers[result] });
  const rejected = async (result: IpnResult, paymentId: string | null, details: Record<string, unknown>): Promise<IpnOutcome> => {
    await deps.db.transaction().execute((trx) => auditPayment(trx, 'payment.ipn.rejected', paymentId, { provider: providerName, result, code: answerOf(result).RspCode ?? null, ...details }, undefined, meta.ip));
    return { result, answer: answerOf(result) };
  };
  try {
    if (!provider) return await rejected('unknown_error', null, { reason: 'provider_not_configured' });
    const verified = provider.parseIpn(request);
    if (!verified.ok) return await rejected(verified.reason === 'signature' ? 'invalid_signature' : 'unknown_error', null, { reason: verified.reason, txnRef: safeRef(request.query?.vnp_TxnRef) });
    const report = verified.report;
    const outcome = await deps.db.transaction().execute(async (trx): Promise<IpnOutcome | { reject: IpnResult; payment: PaymentRow | undefined; details: Record<string, unknown> }> => {
      const payment = await lockPaymentByTxnRef(trx, providerName, report.txnRef);
      if (!payment) return { reject: 'order_not_found', payment, details: { txnRef: safeRef(report.txnRef) } };
      if (report.amount !== payment.amount) {
        // Kept beside the attempt (the reconciliation report shows the difference); nothing is credited.
        await trx.updateTable('payment').set({ providerStatus: report.outcome, providerAmount: report.amount, providerCheckedAt: deps.now() }).where('id', '=', payment.id).execute();
        await auditPayment(trx, 'payment.ipn.rejected', payment.id, { provider: providerName, result: 'invalid_amount', code: answerOf('invalid_amount').RspCode ?? null, txnRef: payment.txnRef, expected: payment.amount, reported: report.amount }, undefined, meta.ip);
        return { result: 'invalid_amount', answer: answerOf('invalid_amount') };
      }
      const settled = await settlePayment(trx, deps, payment, report, 'ipn');
      const result: IpnResult = settled === 'confirmed' || settled === 'declined' ? 'confirmed' : settled === 'open' ? 'unknown_error' : 'already_confirmed';
      return { result, answer: answerOf(result) };
    });
    if ('reject' in outcome) return await rejected(outcome.reject, outcome.payment?.id ?? null, outcome.details);
    return outcome;
  } catch (error) {
    meta.log?.error({ err: error instanceof Error ? error.message : String(error), provider: providerName }, 'payment IPN failed');
    // 99: the provider will try again, or the reconciliation job will ask.
    return { result: 'unknown_error', answer: answerOf('unknown_error') };
  }
}

export type ReturnView = { ok: false; reason: 'signature' | 'malformed' | 'unknown' } | { ok: true; report: ProviderReport; paymentId: string };

/** The payer is back from the provider: verify, find the attempt, record the view, change nothing. */
export async function viewReturn(deps: PaymentDeps, providerName: ProviderName, query: Record<string, unknown>, meta: { ip?: string | undefined }): Promise<ReturnView> {
  const provider = deps.providers[providerName];
  const verified = provider ? provider.verifyReturn(query) : ({ ok: false, reason: 'signature' } as const);
  if (!verified.ok) {
    await deps.db.transaction().execute((trx) => auditPayment(trx, 'payment.return.rejected', null, { provider: providerName, reason: verified.reason, txnRef: safeRef(query.vnp_TxnRef) }, undefined, meta.ip));
    return { ok: false, reason: verified.reason };
  }
  const payment = await findPaymentByTxnRef(deps.db, providerName, verified.report.txnRef);
  await deps.db.transaction().execute((trx) =>
    auditPayment(trx, 'payment.return.viewed', payment?.id ?? null, { provider: providerName, txnRef: safeRef(verified.report.txnRef), responseCode: verified.report.responseCode, state: payment?.state ?? null }, undefined, meta.ip),
  );
  if (!payment) return { ok: false, reason: 'unknown' };
  return { ok: true, report: verified.report, paymentId: payment.id };
}
