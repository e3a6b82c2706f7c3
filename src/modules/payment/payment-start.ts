// Starting a payment (decision 008): the obligation's row is locked, so two attempts started at
// once cannot both be created; an obligation already paid is refused with the date it was paid;
// an attempt still open is handed back rather than doubled. The attempt is created and its
// reconciliation job queued in one transaction, the provider is asked for the payer's address
// outside it (it may be a network call), and the attempt moves to pending with that address.
import { randomUUID } from 'node:crypto';
import { hasAccess, ownerAccountIdOf, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { formatDate } from '../../platform/text/vietnam-time.js';
import { isProviderError, type PaymentProvider } from './payment-provider.js';
import type { PaymentDeps } from './payment-deps.js';
import { payerMatches } from './payment-obligations.js';
import { movePayment, type PaymentActor } from './payment-transition.js';
import { findOpenAttempt, lockObligation, lockPayment, nextTxnSerial } from './payment.repository.js';
import { PAYMENT_RECONCILE } from './payment.jobs.js';
import { vietnamDayDigits } from './vnpay-sign.js';
import { vietnamDay } from './payment-day.js';
import { PAYMENT_TIMEOUT_MINUTES } from './payment-states.js';

/** The reconciliation job asks the provider this long after the deadline. */
const RECONCILE_GRACE_MS = 60_000;
/** An open attempt this close to its deadline is not handed out again. */
const REUSE_MARGIN_MS = 2 * 60_000;

export interface StartPaymentInput {
  obligationId: string;
  /** The payer's identity number as proof (not needed by the owner of the obligation's dossier). */
  payerId?: string | undefined;
  bankCode?: string | undefined;
  locale: Locale;
  clientIp: string;
}

export interface StartedPayment {
  id: string;
  txnRef: string;
  amount: number;
  redirectUrl: string;
  expiresAt: Date;
  /** True when an attempt still open was handed back instead of a new one. */
  reused: boolean;
}

export function actorOf(actor: Actor): PaymentActor {
  if (actor.kind === 'anonymous') return { type: 'anonymous', id: null };
  if (actor.kind === 'api_token') return { type: 'api_token', id: String(actor.tokenId) };
  return { type: actor.kind, id: String(actor.accountId) };
}

export function returnUrlOf(publicUrl: string): string {
  return `${publicUrl}/thanh-toan/ket-qua`;
}

export function providerFor(deps: PaymentDeps): PaymentProvider {
  const provider = deps.providers[deps.defaultProvider];
  if (!provider) throw new AppError('unavailable', 'payment.error.notConfigured');
  return provider;
}

/** How long a second start waits for an attempt another request is creating (a double click). */
const STARTING_WAIT_MS = 5_000;
const STARTING_POLL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPayment(deps: PaymentDeps, actor: Actor, input: StartPaymentInput): Promise<StartedPayment> {
  const deadline = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    const result = await startOnce(deps, actor, input);
    if (result !== 'starting') return result;
    // Another request holds an attempt between "created" and "pending": wait for its address
    // rather than make a second attempt for the same obligation.
    if (Date.now() > deadline) throw new AppError('conflict', 'payment.error.starting');
    await sleep(STARTING_POLL_MS);
  }
}

async function startOnce(deps: PaymentDeps, actor: Actor, input: StartPaymentInput): Promise<StartedPayment | 'starting'> {
  const provider = providerFor(deps);
  const who = actorOf(actor);
  const now = deps.now();
  const prepared = await deps.db.transaction().execute(async (trx) => {
    const obligation = await lockObligation(trx, input.obligationId);
    if (!obligation) throw new AppError('not_found', 'payment.error.lookupNotFound');
    // Who may pay: whoever proves the payer's id, or the owner of the obligation's dossier.
    let allowed = payerMatches(obligation, input.payerId);
    const dossier = obligation.dossierId
      ? await trx
          .selectFrom('dossier as d')
          .innerJoin('procedure as p', 'p.id', 'd.procedureId')
          .select(['d.code', 'd.ownerAccountId', 'p.code as procedureCode', 'p.name as procedureName'])
          .where('d.id', '=', obligation.dossierId)
          .executeTakeFirst()
      : undefined;
    const owner = ownerAccountIdOf(actor);
    if (!allowed && dossier && owner !== undefined) allowed = hasAccess(actor, 'dossier.submit', { ownerAccountId: dossier.ownerAccountId }) && owner === dossier.ownerAccountId;
    if (!allowed) throw new AppError('not_found', 'payment.error.lookupNotFound');
    if (obligation.status === 'paid') throw new AppError('conflict', 'payment.error.alreadyPaid', { date: formatDate(input.locale, new Date(obligation.paidAt!)) });
    if (obligation.status === 'cancelled') throw new AppError('conflict', 'payment.error.cancelled');
    if (obligation.total < provider.minAmount || obligation.total > provider.maxAmount) {
      throw new AppError('unprocessable', 'payment.error.amountRange', { min: provider.minAmount.toLocaleString('vi-VN'), max: provider.maxAmount.toLocaleString('vi-VN') });
    }
    const open = await findOpenAttempt(trx, obligation.id, { expiresAfter: new Date(now.getTime() + REUSE_MARGIN_MS), createdAfter: new Date(now.getTime() - STARTING_WAIT_MS) });
    if (open?.state === 'pending' && open.redirectUrl) return { reused: open, obligation, dossier };
    if (open) return 'starting' as const;

    const digits = vietnamDayDigits(now);
    const day = vietnamDay(now);
    const serial = await nextTxnSerial(trx, provider.name, day);
    const txnRef = `${digits}${String(serial).padStart(6, '0')}`;
    const expiresAt = new Date(now.getTime() + PAYMENT_TIMEOUT_MINUTES * 60_000);
    const id = randomUUID();
    await trx
      .insertInto('payment')
      // created_at is the instant sent as vnp_CreateDate: querydr finds the transaction by it.
      .values({ id, obligationId: obligation.id, provider: provider.name, txnRef, txnDay: day, amount: obligation.total, locale: input.locale, expiresAt, createdAt: now, updatedAt: now })
      .execute();
    // Whatever happens to the payer, the job asks the provider once the deadline has passed.
    await deps.jobs.enqueue(trx, PAYMENT_RECONCILE, { paymentId: id }, { runAt: new Date(expiresAt.getTime() + RECONCILE_GRACE_MS) });
    const agency = await trx.selectFrom('agency').select(['code', 'name']).where('id', '=', obligation.agencyId).executeTakeFirstOrThrow();
    // The audit entry last: it holds the chain's lock until the commit.
    await movePayment(trx, { id, state: null }, { action: 'create', source: 'payer', actor: who, ip: input.clientIp, details: { provider: provider.name, txnRef, amount: obligation.total, obligationId: obligation.id } });
    return { created: { id, txnRef, expiresAt }, obligation, dossier, agency };
  });

  if (prepared === 'starting') return prepared;
  if ('reused' in prepared && prepared.reused) {
    const live = prepared.reused;
    return { id: live.id, txnRef: live.txnRef, amount: live.amount, redirectUrl: live.redirectUrl!, expiresAt: new Date(live.expiresAt), reused: true };
  }
  const { created, obligation, dossier, agency } = prepared as Exclude<typeof prepared, { reused: unknown }>;
  let redirectUrl: string;
  try {
    ({ redirectUrl } = await provider.createPayment({
      txnRef: created.txnRef,
      amount: obligation.total,
      description: `${obligation.description} ${obligation.reference}`.slice(0, 255),
      createdAt: now,
      expiresAt: created.expiresAt,
      clientIp: input.clientIp,
      locale: input.locale,
      returnUrl: returnUrlOf(deps.publicUrl),
      bankCode: input.bankCode,
      bill: {
        reference: obligation.reference,
        agencyCode: agency.code ?? '',
        agencyName: agency.name,
        payerName: obligation.payerName,
        payerIdNumber: obligation.payerIdNumber,
        dossierCode: dossier?.code ?? undefined,
        procedureCode: dossier?.procedureCode,
        procedureName: dossier?.procedureName,
        lines: obligation.lines,
      },
    }));
  } catch (error) {
    await deps.db.transaction().execute(async (trx) => {
      const payment = await lockPayment(trx, created.id);
      if (payment?.state === 'created') {
        await movePayment(trx, payment, { action: 'init_failed', source: 'payer', actor: who, ip: input.clientIp, details: { reason: isProviderError(error) ? error.reason : 'error' } });
      }
    });
    if (isProviderError(error) && error.reason === 'not_connected') throw new AppError('unavailable', 'payment.error.nationalNotConnected');
    throw new AppError('unavailable', 'payment.error.providerDown');
  }
  await deps.db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, created.id);
    if (payment?.state !== 'created') throw new AppError('conflict', 'payment.error.changed');
    await movePayment(trx, payment, { action: 'send', source: 'payer', actor: who, ip: input.clientIp, set: { redirectUrl }, details: { txnRef: created.txnRef } });
  });
  return { id: created.id, txnRef: created.txnRef, amount: obligation.total, redirectUrl, expiresAt: created.expiresAt, reused: false };
}
