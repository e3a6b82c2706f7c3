// The dossier's side of a financial obligation (status 6, DOMAIN.md §4 and §8): the officer asks
// for some of the procedure's fee lines, which become an obligation the applicant pays online;
// the payment's IPN (the source of truth) then resumes the dossier in the same transaction, with
// the appointment and the step's due instant moved by the pause, and tells the applicant and the
// officer who holds the dossier.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit } from '../../platform/audit/audit.js';
import type { FieldProblem } from '../../platform/errors/app-error.js';
import { localDateOf } from '../calendar/local-date.js';
import { loadWorkingDays } from '../calendar/calendar.service.js';
import { changeStatus, dueAfterResume, lockDossier, pausingStatuses, stepDueAfterResume, type DossierDeps } from '../dossier/dossier.service.js';
import { queueEmail } from '../notify/notify.service.js';
import { obligationLineOf } from '../dossier/submission-queries.js';
import { createDossierFeeObligation, type PaymentObligation } from '../payment/payment.service.js';

export interface FeeLine {
  name: string;
  amountVnd: number;
}

/** The fee lines the officer ticked (indexes into the procedure's fees), as obligation lines. */
export function chosenFeeLines(fees: readonly FeeLine[], indexes: readonly number[] | undefined, problems: FieldProblem[]): { label: string; amount: number }[] {
  const unique = [...new Set(indexes ?? [])];
  const lines = unique.map((i) => fees[i]).filter((f): f is FeeLine => f !== undefined && f.amountVnd > 0);
  if (lines.length === 0 || lines.length !== unique.length) {
    problems.push({ name: 'fees', message: { key: 'workflow.error.fees' } });
    return [];
  }
  return lines.map(obligationLineOf);
}

/** The obligation for the lines, in the action's transaction; the payer is the applicant. */
export async function requestDossierFee(
  trx: Transaction<DB>,
  dossier: { id: string; agencyId: number; applicantName: string | null; applicantIdNumber: string | null },
  lines: { label: string; amount: number }[],
  reason: string | null,
  officerId: number | null,
): Promise<PaymentObligation> {
  return createDossierFeeObligation(
    trx,
    {},
    { dossierId: dossier.id, agencyId: dossier.agencyId, payerName: dossier.applicantName ?? '—', payerIdNumber: dossier.applicantIdNumber ?? '', lines, ...(reason ? { description: reason.slice(0, 500) } : {}) },
    { type: 'officer', id: officerId === null ? null : String(officerId) },
  );
}

/** The procedure's fee lines of a dossier (the version it was submitted under). */
export async function feesOfDossier(db: Kysely<DB> | Transaction<DB>, procedureId: number): Promise<FeeLine[]> {
  const row = await db.selectFrom('procedure').select('fees').where('id', '=', procedureId).executeTakeFirst();
  return (row?.fees as FeeLine[] | undefined) ?? [];
}

/**
 * Runs inside the IPN's transaction when an obligation is paid: a dossier waiting in status 6 goes
 * back to the status it was paused from. Anything else (not a dossier's, already resumed by an
 * officer) changes nothing: the payment stays recorded either way.
 */
export async function resumeAfterPayment(trx: Transaction<DB>, deps: Pick<DossierDeps, 'jobs' | 'publicUrl'>, obligation: PaymentObligation): Promise<void> {
  if (!obligation.dossierId) return;
  const dossier = await lockDossier(trx, obligation.dossierId);
  if (!dossier || dossier.status !== 'financial') return;
  const state = await trx
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedureId')
    .leftJoin('account as s', 's.id', 'd.assigneeAccountId')
    .select(['d.pausedFrom', 'd.acceptedAt', 'd.apologizedAt', 'd.stepDueAt', 'd.workflowStep', 'd.assigneeAccountId', 'd.handlingAgencyId', 'p.processingDays', 's.email as assigneeEmail', 's.fullName as assigneeName', 's.locale as assigneeLocale'])
    .where('d.id', '=', dossier.id)
    .executeTakeFirstOrThrow();
  const now = new Date();
  // Read through the transaction: on the embedded database the pool's one connection is this one.
  const year = Number(localDateOf(now).slice(0, 4));
  const calendar = await loadWorkingDays(trx as unknown as Kysely<DB>, year - 1, year + 2);
  const to = state.pausedFrom && !pausingStatuses.has(state.pausedFrom) ? state.pausedFrom : 'processing';
  const due = await dueAfterResume(trx, calendar, { id: dossier.id, acceptedAt: state.acceptedAt, apologizedAt: state.apologizedAt }, state.processingDays, now);
  const stepDue = await stepDueAfterResume(trx, calendar, { id: dossier.id, stepDueAt: state.stepDueAt }, now);
  await changeStatus(trx, deps, {
    dossierId: dossier.id,
    from: 'financial',
    to,
    action: 'confirm_payment',
    actor: { type: 'system', id: null },
    agencyId: state.handlingAgencyId ?? dossier.agencyId!,
    reason: null,
    at: now,
    set: { pausedFrom: null, ...(due ? { dueAt: due } : {}), ...(stepDue ? { stepDueAt: stepDue } : {}) },
    step: state.workflowStep,
    stepDueAt: stepDue ?? state.stepDueAt,
    toAccountId: state.assigneeAccountId,
    details: { obligationId: obligation.id, paid: obligation.total },
  });
  await appendAudit(trx, { actorType: 'system', actorId: null, action: 'dossier.confirm_payment', objectType: 'dossier', objectId: dossier.id, ip: null, details: { code: dossier.code, obligationId: obligation.id, to } });
  // The officer who holds the dossier learns it can go on (the applicant is told by changeStatus).
  if (state.assigneeEmail) {
    await queueEmail(deps.jobs, trx, {
      to: state.assigneeEmail,
      template: 'dossier.status-changed',
      locale: state.assigneeLocale === 'en' ? 'en' : 'vi',
      params: { name: state.assigneeName ?? '—', dossierCode: dossier.code!, statusText: state.assigneeLocale === 'en' ? 'fee paid, processing resumes' : 'đã nộp phí, lệ phí; tiếp tục xử lý', link: `${deps.publicUrl}/quan-tri/ho-so/${encodeURIComponent(dossier.code!)}` },
    });
  }
}
