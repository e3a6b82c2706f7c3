// Reconciliation with the provider (decision 008). An attempt still open 15 minutes after it was
// created (past its deadline at the provider) is asked about through the provider's merchant API,
// outside any transaction, and settled with its row locked: paid, failed, or expired when the
// provider has no payment for it. A provider that cannot be reached leaves the attempt as it is
// and the job is retried. A provider report whose amount differs is recorded and credits nothing.
import type { JobLogger } from '../../platform/outbox/registry.js';
import type { PaymentDeps } from './payment-deps.js';
import { settlePayment } from './payment-settle.js';
import { auditPayment, movePayment, systemActor } from './payment-transition.js';
import { PAYMENT_TIMEOUT_MINUTES } from './payment-states.js';
import { findPayment, listStalePayments, lockPayment } from './payment.repository.js';
import type { ProviderReport } from './payment-provider.js';

export type ReconcileResult = 'final' | 'confirmed' | 'declined' | 'expired' | 'open' | 'mismatch';

/** Asks the provider about one attempt and settles it. Throws when the provider cannot be asked. */
export async function reconcilePayment(deps: PaymentDeps, paymentId: string): Promise<ReconcileResult> {
  const payment = await findPayment(deps.db, paymentId);
  if (!payment || (payment.state !== 'created' && payment.state !== 'pending')) return 'final';
  const provider = deps.providers[payment.provider];
  if (!provider) throw new Error(`payment ${paymentId}: provider ${payment.provider} is not configured`);
  const report: ProviderReport = await provider.queryStatus({
    txnRef: payment.txnRef,
    amount: payment.amount,
    description: `Truy van giao dich ${payment.txnRef}`,
    createdAt: new Date(payment.createdAt),
    serverIp: deps.serverIp,
  });
  return deps.db.transaction().execute(async (trx): Promise<ReconcileResult> => {
    const locked = await lockPayment(trx, paymentId);
    if (!locked || (locked.state !== 'created' && locked.state !== 'pending')) return 'final';
    const at = deps.now();
    if (report.outcome === 'paid' && report.amount !== locked.amount) {
      await trx.updateTable('payment').set({ providerStatus: report.outcome, providerAmount: report.amount, providerCheckedAt: at }).where('id', '=', locked.id).execute();
      await auditPayment(trx, 'payment.reconcile.mismatch', locked.id, { provider: locked.provider, txnRef: locked.txnRef, expected: locked.amount, reported: report.amount });
      return 'mismatch';
    }
    const settled = await settlePayment(trx, deps, locked, report, 'reconciliation');
    if (settled === 'confirmed' || settled === 'declined') return settled;
    if (at >= new Date(locked.expiresAt)) {
      await movePayment(trx, { id: locked.id, state: locked.state }, { action: 'expire', source: 'reconciliation', actor: systemActor, details: { provider: locked.provider, txnRef: locked.txnRef, providerSays: report.outcome } });
      return 'expired';
    }
    return 'open';
  });
}

/** Every attempt open for longer than the payment timeout, oldest first, up to `limit`. */
export async function reconcileStalePayments(deps: PaymentDeps, log: JobLogger, limit = 50): Promise<{ settled: number; failed: number }> {
  const before = new Date(deps.now().getTime() - PAYMENT_TIMEOUT_MINUTES * 60_000);
  let settled = 0;
  let failed = 0;
  for (const { id } of await listStalePayments(deps.db, before, limit)) {
    try {
      const result = await reconcilePayment(deps, id);
      if (result !== 'open' && result !== 'final') settled += 1;
    } catch (error) {
      failed += 1;
      log.warn({ paymentId: id, err: error instanceof Error ? error.message : String(error) }, 'payment not reconciled');
    }
  }
  return { settled, failed };
}
