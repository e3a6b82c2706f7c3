// Paying back money that was not owed (decision 008): an attempt paid for an obligation another
// attempt had already settled is flagged refund_due; a leader of the obligation's agency asks the
// provider to pay it back. The provider is asked outside any transaction; only its "done" moves the
// attempt to refunded (with its event and audit entry), and a refusal is audited with its code.
import { requireAccess, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { isProviderError } from './payment-provider.js';
import type { PaymentDeps } from './payment-deps.js';
import { actorOf } from './payment-start.js';
import { auditPayment, movePayment } from './payment-transition.js';
import { findPaymentView, lockPayment } from './payment.repository.js';

export async function refundPayment(deps: PaymentDeps, actor: Actor, paymentId: string, meta: { ip?: string | undefined }): Promise<void> {
  const view = await findPaymentView(deps.db, paymentId);
  if (!view) throw new AppError('not_found');
  // Refunds are a money decision: leaders (dossier.approve) of the agency that is owed.
  requireAccess(actor, 'dossier.approve', { agencyPath: view.agencyPath });
  if (view.state !== 'paid' || !view.refundDue) throw new AppError('conflict', 'payment.error.notRefundable');
  const provider = deps.providers[view.provider];
  if (!provider) throw new AppError('unavailable', 'payment.error.notConfigured');
  const who = actorOf(actor);
  let result;
  try {
    result = await provider.refund({
      txnRef: view.txnRef,
      amount: view.amount,
      description: `Hoan tien giao dich ${view.txnRef}`,
      createdAt: new Date(view.createdAt),
      providerRef: view.providerRef,
      requestedBy: who.id ?? 'motcua',
      serverIp: deps.serverIp,
    });
  } catch (error) {
    if (isProviderError(error) && error.reason === 'not_connected') throw new AppError('unavailable', 'payment.error.nationalNotConnected');
    throw new AppError('unavailable', 'payment.error.providerDown');
  }
  if (!result.ok) {
    await deps.db.transaction().execute((trx) => auditPayment(trx, 'payment.refund.refused', paymentId, { provider: view.provider, txnRef: view.txnRef, code: result.responseCode }, who, meta.ip));
    throw new AppError('unprocessable', 'payment.error.refundRefused', { code: result.responseCode });
  }
  await deps.db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, paymentId);
    if (payment?.state !== 'paid' || !payment.refundDue) throw new AppError('conflict', 'payment.error.notRefundable');
    await movePayment(trx, payment, { action: 'refund', source: 'officer', actor: who, ip: meta.ip, set: { refundDue: false, refundedAt: deps.now() }, details: { provider: payment.provider, txnRef: payment.txnRef, amount: payment.amount, responseCode: result.responseCode } });
  });
}
