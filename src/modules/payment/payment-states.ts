// The one state graph of a payment attempt (decision 008). Every change of state is a row here:
// from which states, to which, and who may cause it. The IPN and the reconciliation job are the
// only sources of "paid" (DOMAIN.md section 8: the IPN is the source of truth; the return URL is
// for display only and causes nothing). docs/decisions/008-payments.md shows this table as a
// diagram rendered from it (a test keeps the two equal).

export const paymentStates = ['created', 'pending', 'paid', 'failed', 'expired', 'refunded'] as const;
export type PaymentState = (typeof paymentStates)[number];

/** Who caused an edge: the payer starting it, the provider's IPN, the reconciliation job's query, an officer. */
export const paymentSources = ['payer', 'ipn', 'reconciliation', 'officer'] as const;
export type PaymentSource = (typeof paymentSources)[number];

export const paymentActions = ['create', 'send', 'init_failed', 'confirm', 'decline', 'expire', 'confirm_late', 'refund'] as const;
export type PaymentAction = (typeof paymentActions)[number];

export interface PaymentTransition {
  action: PaymentAction;
  /** null: the attempt does not exist yet. */
  from: readonly (PaymentState | null)[];
  to: PaymentState;
  by: readonly PaymentSource[];
}

export const paymentTransitions: readonly PaymentTransition[] = [
  { action: 'create', from: [null], to: 'created', by: ['payer'] },
  // The provider's address (VNPay: the signed URL; the national platform: INIT's answer) is handed to the payer.
  { action: 'send', from: ['created'], to: 'pending', by: ['payer'] },
  { action: 'init_failed', from: ['created'], to: 'failed', by: ['payer'] },
  // Only what the provider signed, received by IPN or read back by query, settles an attempt.
  { action: 'confirm', from: ['created', 'pending'], to: 'paid', by: ['ipn', 'reconciliation'] },
  { action: 'decline', from: ['created', 'pending'], to: 'failed', by: ['ipn', 'reconciliation'] },
  // Past its deadline with no payment at the provider (the job asks before it closes the attempt).
  { action: 'expire', from: ['created', 'pending'], to: 'expired', by: ['reconciliation'] },
  // A late IPN (or query) that says the money was taken is never lost: the attempt is paid, and
  // the obligation credited if it is still owed, else the money is flagged for refund.
  { action: 'confirm_late', from: ['expired', 'failed'], to: 'paid', by: ['ipn', 'reconciliation'] },
  // Money that was not owed (a second payment of a settled obligation) goes back to the payer.
  { action: 'refund', from: ['paid'], to: 'refunded', by: ['officer'] },
];

export function findPaymentTransition(action: PaymentAction, from: PaymentState | null): PaymentTransition | undefined {
  return paymentTransitions.find((t) => t.action === action && t.from.includes(from));
}

/** How long the payer has at the provider (VNPay's vnp_ExpireDate); the reconciliation job asks
 *  the provider about an attempt still open after it. */
export const PAYMENT_TIMEOUT_MINUTES = 15;

/** The states an attempt can still leave by itself (the reconciliation job looks after them). */
export const openPaymentStates: readonly PaymentState[] = ['created', 'pending'];

/** The table as a Mermaid state diagram (docs/decisions/008-payments.md). */
export function renderPaymentDiagram(): string {
  const lines = ['stateDiagram-v2'];
  for (const t of paymentTransitions) {
    for (const from of t.from) lines.push(`    ${from ?? '[*]'} --> ${t.to}: ${t.action} (${t.by.join(', ')})`);
  }
  for (const end of ['failed', 'expired', 'refunded']) lines.push(`    ${end} --> [*]`);
  return lines.join('\n');
}
