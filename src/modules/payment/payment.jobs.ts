// The payment module's outbox job: reconciliation. One is queued with every attempt, due just
// after the attempt's deadline (the transaction that creates the attempt writes it, so no attempt
// is ever left without one); it settles that attempt and any other attempt open for more than 15
// minutes (an attempt whose own job died is caught by the next one). Delivery is at least once and
// every step re-reads the attempt under its row lock, so a repeated run changes nothing.
import { defineJob, type JobDefinition } from '../../platform/outbox/registry.js';
import type { PaymentDeps } from './payment-deps.js';
import { reconcilePayment, reconcileStalePayments } from './payment-reconcile.js';

export const PAYMENT_RECONCILE = 'payment.reconcile';

export function createPaymentJobs(deps: () => PaymentDeps): readonly JobDefinition<never>[] {
  const reconcile = defineJob<unknown>({
    type: PAYMENT_RECONCILE,
    maxAttempts: 10,
    async handle(payload, ctx) {
      const paymentId = (payload as { paymentId?: unknown }).paymentId;
      const d = deps();
      // Its own attempt first: a provider that cannot be reached throws, and the job is retried.
      if (typeof paymentId === 'string') {
        const result = await reconcilePayment(d, paymentId);
        ctx.log.info({ paymentId, result }, 'payment reconciled');
      }
      const swept = await reconcileStalePayments(d, ctx.log);
      if (swept.settled || swept.failed) ctx.log.info(swept, 'stale payments reconciled');
    },
  });
  return [reconcile];
}
