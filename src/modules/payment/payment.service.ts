// The payment module's public surface (ARCHITECTURE.md convention 1: other modules import only
// this file): obligations (a dossier's fee is created by the workflow through
// createDossierFeeObligation, in its own transaction), payments through one provider interface,
// the IPN and the return page, reconciliation (job and daily report), receipts, the demo data and
// the sandbox gateway.
import { AppError } from '../../platform/errors/app-error.js';
import type { PaymentDeps } from './payment-deps.js';
import { findPaymentView, type PaymentView } from './payment.repository.js';

export { createPaymentDeps, paymentFormOrigins, type PaymentDeps, type PaymentDepsOptions, type PaymentObligation } from './payment-deps.js';
export { createDossierFeeObligation, insertObligation, lookupObligation, normalizePayerId, payerMatches, type DossierFeeInput, type ObligationInput } from './payment-obligations.js';
export { startPayment, type StartedPayment, type StartPaymentInput } from './payment-start.js';
export { handleIpn, viewReturn, type IpnOutcome, type ReturnView } from './payment-callbacks.js';
export { reconcilePayment, reconcileStalePayments } from './payment-reconcile.js';
export { refundPayment } from './payment-refund.js';
export { listDayPayments, paymentFlags, reconciliationReport, reportCsv, reportXlsx, type ReportFlag, type ReportRow } from './payment-report.js';
export { renderPaymentReceipt, paymentPageUrl } from './payment-receipt.js';
export { createPaymentJobs, PAYMENT_RECONCILE } from './payment.jobs.js';
export { seedDemoPayments, demoObligations } from './demo-payments.js';
export { startDemoPaymentSandbox, type DemoPaymentSandbox } from './sandbox/demo.js';
export { paymentStates, paymentTransitions, renderPaymentDiagram, PAYMENT_TIMEOUT_MINUTES, type PaymentState } from './payment-states.js';
export { obligationKinds, lookupKinds, standaloneKinds, type ObligationKind, type ObligationLine } from './payment.table.js';
export type { PaymentProvider, ProviderName } from './payment-provider.js';
export type { PaymentView } from './payment.repository.js';

/** An attempt as its page and the status API show it. Its id (a random UUID) is the capability:
 *  whoever started the payment holds it; nothing lists it publicly. */
export async function getPayment(deps: Pick<PaymentDeps, 'db'>, id: string): Promise<PaymentView> {
  const view = await findPaymentView(deps.db, id);
  if (!view) throw new AppError('not_found');
  return view;
}
