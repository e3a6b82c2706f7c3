// What a verified provider report does to an attempt (decision 008). The IPN and the
// reconciliation job's query both come here, with the attempt's row locked:
//  - an open attempt (created, pending) becomes paid or failed;
//  - a closed one (expired, failed) that the provider says was paid is paid late: the money was
//    taken, so it is never lost;
//  - a paid one told "paid" again is a duplicate: nothing is credited twice.
// Paying credits the obligation once, with its row locked: if another attempt settled it first,
// the attempt is still paid (the provider holds the money) and flagged for refund.
// The caller has checked the signature, found the order and compared the amount.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ProviderReport } from './payment-provider.js';
import type { PaymentDeps } from './payment-deps.js';
import { auditPayment, movePayment, systemActor, type PaymentActor } from './payment-transition.js';
import { lockObligation, type PaymentRow } from './payment.repository.js';

export type SettleResult = 'confirmed' | 'declined' | 'duplicate' | 'closed' | 'open';

/** The provider's view, kept beside our state for the reconciliation report. */
function providerView(report: ProviderReport, at: Date) {
  return { providerStatus: report.outcome, providerAmount: report.amount, providerCheckedAt: at };
}

export async function settlePayment(
  trx: Transaction<DB>,
  deps: Pick<PaymentDeps, 'onObligationPaid'> & { now: () => Date },
  payment: PaymentRow,
  report: ProviderReport,
  source: 'ipn' | 'reconciliation',
  actor: PaymentActor = systemActor,
): Promise<SettleResult> {
  const at = deps.now();
  const facts = { provider: payment.provider, txnRef: payment.txnRef, responseCode: report.responseCode };
  if (report.outcome === 'paid') {
    if (payment.state === 'paid' || payment.state === 'refunded') {
      // A copy arriving after a refund says nothing new about the refunded money.
      if (payment.state === 'paid') await trx.updateTable('payment').set(providerView(report, at)).where('id', '=', payment.id).execute();
      await auditPayment(trx, 'payment.callback.duplicate', payment.id, { ...facts, source, state: payment.state });
      return 'duplicate';
    }
    const late = payment.state === 'expired' || payment.state === 'failed';
    const obligation = await lockObligation(trx, payment.obligationId);
    if (!obligation) throw new Error(`payment ${payment.id}: its obligation ${payment.obligationId} is missing`);
    const credit = obligation.status === 'unpaid';
    const paidAt = report.paidAt ?? at;
    if (credit) {
      const updated = await trx
        .updateTable('paymentObligation')
        .set({ status: 'paid', paidPaymentId: payment.id, paidAt, updatedAt: at })
        .where('id', '=', obligation.id)
        .where('status', '=', 'unpaid')
        .returningAll()
        .executeTakeFirstOrThrow();
      // The dossier side (status 6 → resumed) reacts in this same transaction.
      if (deps.onObligationPaid) await deps.onObligationPaid(trx, updated);
    }
    await movePayment(trx, payment, {
      action: late ? 'confirm_late' : 'confirm',
      source,
      actor,
      set: {
        providerRef: report.providerRef,
        bankCode: report.bankCode,
        bankTxnNo: report.bankTxnNo,
        cardType: report.cardType,
        responseCode: report.responseCode,
        paidAt,
        refundDue: !credit,
        ...providerView(report, at),
      },
      details: { ...facts, amount: payment.amount, credited: credit, ...(late ? { late: payment.state } : {}) },
    });
    if (!credit) {
      await auditPayment(trx, 'payment.refund_due', payment.id, { ...facts, obligationStatus: obligation.status, settledBy: obligation.paidPaymentId });
    }
    return 'confirmed';
  }

  if (report.outcome === 'failed') {
    if (payment.state === 'created' || payment.state === 'pending') {
      await movePayment(trx, payment, {
        action: 'decline',
        source,
        actor,
        set: { responseCode: report.responseCode, bankCode: report.bankCode, providerRef: report.providerRef, ...providerView(report, at) },
        details: facts,
      });
      return 'declined';
    }
    // Closed already: recorded beside our state (a "paid" that the provider now calls failed
    // shows as a mismatch in the reconciliation report), nothing else changes.
    await trx.updateTable('payment').set(providerView(report, at)).where('id', '=', payment.id).execute();
    await auditPayment(trx, 'payment.callback.closed', payment.id, { ...facts, source, state: payment.state, outcome: report.outcome });
    return 'closed';
  }

  // pending, not_found, refunded: nothing to settle; the provider's view is kept.
  await trx.updateTable('payment').set(providerView(report, at)).where('id', '=', payment.id).execute();
  return payment.state === 'created' || payment.state === 'pending' ? 'open' : 'closed';
}
