// One way to change a payment attempt's state: the state, its event and its audit entry are
// written in the caller's transaction (decision 008; ARCHITECTURE.md convention 7), so they all
// happen or none does. The edge must be in the graph (payment-states.ts); a state that changed
// under the caller's row lock is a bug, not a race, and fails loudly.
import type { Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit, type AuditActorType } from '../../platform/audit/audit.js';
import { findPaymentTransition, type PaymentAction, type PaymentSource, type PaymentState } from './payment-states.js';
import type { PaymentTable } from './payment.table.js';

export interface PaymentActor {
  type: AuditActorType;
  id: string | null;
}

/** The provider's callbacks and the reconciliation job act as the system. */
export const systemActor: PaymentActor = { type: 'system', id: null };

export interface PaymentChange {
  action: PaymentAction;
  source: PaymentSource;
  actor: PaymentActor;
  /** Other columns that change with the state, in the same statement. */
  set?: Updateable<PaymentTable>;
  /** Facts for the event and the audit entry (no personal data: the audit refuses some). */
  details?: Record<string, unknown>;
  ip?: string | null | undefined;
}

/** Moves a locked attempt along one edge; returns the new state. */
export async function movePayment(trx: Transaction<DB>, payment: { id: string; state: PaymentState | null }, change: PaymentChange): Promise<PaymentState> {
  const edge = findPaymentTransition(change.action, payment.state);
  if (!edge) throw new Error(`payment ${payment.id}: ${change.action} is not an edge from ${payment.state}`);
  if (!edge.by.includes(change.source)) throw new Error(`payment ${payment.id}: ${change.action} cannot come from ${change.source}`);
  if (payment.state !== null) {
    const updated = await trx
      .updateTable('payment')
      .set({ ...(change.set ?? {}), state: edge.to, updatedAt: new Date() })
      .where('id', '=', payment.id)
      .where('state', '=', payment.state)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new Error(`payment ${payment.id} is not in state ${payment.state}`);
  }
  const details = { from: payment.state, to: edge.to, source: change.source, ...(change.details ?? {}) };
  await trx
    .insertInto('paymentEvent')
    .values({
      paymentId: payment.id,
      action: change.action,
      fromState: payment.state,
      toState: edge.to,
      source: change.source,
      actorType: change.actor.type,
      actorId: change.actor.id,
      details: JSON.stringify(change.details ?? {}),
    })
    .execute();
  await appendAudit(trx, { actorType: change.actor.type, actorId: change.actor.id, action: `payment.${change.action}`, objectType: 'payment', objectId: payment.id, ip: change.ip ?? null, details });
  return edge.to;
}

/** A fact about an attempt that is not an edge (a rejected or repeated callback, a flagged refund). */
export async function auditPayment(trx: Transaction<DB>, action: string, objectId: string | null, details: Record<string, unknown>, actor: PaymentActor = systemActor, ip?: string | null): Promise<void> {
  await appendAudit(trx, { actorType: actor.type, actorId: actor.id, action, objectType: 'payment', objectId, ip: ip ?? null, details });
}
