// Kysely queries of the payment module: plain functions taking db or trx first. Functions that
// lock take Transaction<DB>, so the compiler keeps them inside a transaction.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ProviderName } from './payment-provider.js';
import type { PaymentState } from './payment-states.js';
import type { ObligationKind, PaymentObligationTable, PaymentTable } from './payment.table.js';

export type ObligationRow = Selectable<PaymentObligationTable>;
export type PaymentRow = Selectable<PaymentTable>;

export async function lockObligation(trx: Transaction<DB>, id: string): Promise<ObligationRow | undefined> {
  return trx.selectFrom('paymentObligation').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findObligation(db: Kysely<DB>, id: string): Promise<ObligationRow | undefined> {
  return db.selectFrom('paymentObligation').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * An obligation by its kind and reference (case and outer spaces ignored). A standalone reference
 * is unique; a dossier may owe several fees over time: the one still owed, else the latest.
 */
export async function findObligationByReference(db: Kysely<DB>, kind: ObligationKind, reference: string): Promise<ObligationRow | undefined> {
  return db
    .selectFrom('paymentObligation')
    .selectAll()
    .where('kind', '=', kind)
    // Lowered by the database on both sides: one notion of case for Vietnamese letters (Đ, Ơ...).
    .where(sql<string>`lower(reference)`, '=', sql<string>`lower(${reference.trim()})`)
    .orderBy(sql`status = 'unpaid'`, 'desc')
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The next serial of the day for a provider, taken with a row lock held until commit. */
export async function nextTxnSerial(trx: Transaction<DB>, provider: ProviderName, day: string): Promise<number> {
  const row = await trx
    .insertInto('paymentSerial')
    .values({ provider, day, lastSerial: 1 })
    .onConflict((oc) => oc.columns(['provider', 'day']).doUpdateSet((eb) => ({ lastSerial: eb('paymentSerial.lastSerial', '+', 1) })))
    .returning('lastSerial')
    .executeTakeFirstOrThrow();
  return row.lastSerial;
}

export async function lockPayment(trx: Transaction<DB>, id: string): Promise<PaymentRow | undefined> {
  return trx.selectFrom('payment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function lockPaymentByTxnRef(trx: Transaction<DB>, provider: ProviderName, txnRef: string): Promise<PaymentRow | undefined> {
  return trx.selectFrom('payment').selectAll().where('provider', '=', provider).where('txnRef', '=', txnRef).forUpdate().executeTakeFirst();
}

export async function findPayment(db: Kysely<DB>, id: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPaymentByTxnRef(db: Kysely<DB>, provider: ProviderName, txnRef: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payment').selectAll().where('provider', '=', provider).where('txnRef', '=', txnRef).executeTakeFirst();
}

/**
 * The newest attempt of an obligation that a new start must not duplicate: one handed to its
 * payer (pending, with its address) whose deadline is not near, or one another request has just
 * created and not yet handed over. One statement, so one snapshot: read in two, an attempt handed
 * over between them (created, then pending) would be seen in neither, and a second one made.
 */
export async function findOpenAttempt(trx: Transaction<DB>, obligationId: string, bounds: { expiresAfter: Date; createdAfter: Date }): Promise<PaymentRow | undefined> {
  return trx
    .selectFrom('payment')
    .selectAll()
    .where('obligationId', '=', obligationId)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'pending'), eb('redirectUrl', 'is not', null), eb('expiresAt', '>', bounds.expiresAfter)]),
        eb.and([eb('state', '=', 'created'), eb('createdAt', '>', bounds.createdAfter)]),
      ]),
    )
    .orderBy('createdAt', 'desc')
    .executeTakeFirst();
}

/** Attempts still open and created before `before`, oldest first (the reconciliation job's work). */
export async function listStalePayments(db: Kysely<DB>, before: Date, limit: number): Promise<{ id: string }[]> {
  return db
    .selectFrom('payment')
    .select('id')
    .where('state', 'in', ['created', 'pending'] satisfies PaymentState[])
    .where('createdAt', '<', before)
    .orderBy('createdAt')
    .limit(limit)
    .execute();
}

/** An attempt with its obligation and the obligation's agency, for pages, receipts and the report. */
export async function findPaymentView(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('payment as p')
    .innerJoin('paymentObligation as o', 'o.id', 'p.obligationId')
    .innerJoin('agency as a', 'a.id', 'o.agencyId')
    .leftJoin('dossier as d', 'd.id', 'o.dossierId')
    .select([
      'p.id',
      'p.provider',
      'p.txnRef',
      'p.amount',
      'p.state',
      'p.providerRef',
      'p.bankCode',
      'p.paidAt',
      'p.refundDue',
      'p.refundedAt',
      'p.expiresAt',
      'p.createdAt',
      'o.id as obligationId',
      'o.kind',
      'o.reference',
      'o.description',
      'o.payerName',
      'o.payerIdNumber',
      'o.lines',
      'o.total',
      'o.status as obligationStatus',
      'o.paidPaymentId',
      'o.dossierId',
      'd.code as dossierCode',
      'd.ownerAccountId',
      'a.id as agencyId',
      'a.code as agencyCode',
      'a.name as agencyName',
      sql<string>`a.path::text`.as('agencyPath'),
      'a.parentId as agencyParentId',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export type PaymentView = NonNullable<Awaited<ReturnType<typeof findPaymentView>>>;
