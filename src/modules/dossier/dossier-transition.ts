// One way to change a dossier's status: the new status, its event and the notifications to the
// applicant are written in the caller's transaction (ARCHITECTURE.md convention 7), so they all
// happen or none does. The caller checks the transition is allowed and writes the audit entry.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { translate, type Locale, type MessageKey } from '../../platform/i18n/i18n.js';
import { queueEmail, queueSms } from '../notify/notify.service.js';
import type { DossierDeps } from './dossier-deps.js';
import type { DossierStatus } from './dossier-status.js';
import { noteDossierChange } from './dossier-changes.js';

export interface StatusChange {
  dossierId: string;
  from: DossierStatus;
  to: DossierStatus;
  action: string;
  actor: { type: string; id: string | null };
  agencyId: number | null;
  reason?: string | null;
  idempotencyKey?: string | null;
  at?: Date;
  /** Other columns that change with the status, in the same statement (e.g. the code at submission). */
  set?: Record<string, unknown>;
  /** The workflow step the dossier is at after the change, its due instant, and who now holds it. */
  step?: string | null;
  stepDueAt?: Date | null;
  toAccountId?: number | null;
  /** What the action carried (items to supplement, the new date...). */
  details?: Record<string, unknown> | null;
}

export function statusText(locale: Locale, status: DossierStatus): string {
  return translate(locale, `dossier.status.${status}` as MessageKey);
}

/** What an event did, in the applicant's words; an action without such words reads as its status. */
export function eventText(locale: Locale, action: string, status: DossierStatus): string {
  const key = `track.event.${action}` as MessageKey;
  const text: string | undefined = translate(locale, key);
  return text ?? statusText(locale, status);
}

export function trackingUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/tra-cuu/${encodeURIComponent(code)}`;
}

export async function changeStatus(trx: Transaction<DB>, deps: Pick<DossierDeps, 'jobs' | 'publicUrl'>, change: StatusChange): Promise<void> {
  const at = change.at ?? new Date();
  // A transfer moves the dossier from one agency's inbox to another's: both counts change.
  const handedFrom =
    change.set && 'handlingAgencyId' in change.set
      ? (await trx.selectFrom('dossier').select('handlingAgencyId').where('id', '=', change.dossierId).executeTakeFirst())?.handlingAgencyId
      : undefined;
  // The new status and its event in one statement (the event is inserted whatever the update
  // finds, but a missing row throws below and the caller's transaction rolls both back), with the
  // owner's language for the messages: a submission holds the agency's serial of the day until
  // it commits, so every round trip here is one the next submission waits for.
  const updated = await trx
    .with('changed', (db) =>
      db
        .updateTable('dossier')
        .set((eb) => ({ ...(change.set ?? {}), status: change.to, updatedAt: at, version: eb('version', '+', 1) }))
        .where('id', '=', change.dossierId)
        .where('status', '=', change.from)
        .returning(['code', 'applicantName', 'applicantEmail', 'applicantPhone', 'notifyEmail', 'notifySms', 'ownerAccountId', 'agencyId', 'handlingAgencyId']),
    )
    .with('event', (db) =>
      db.insertInto('dossierEvent').values({
        dossierId: change.dossierId,
        at,
        actorType: change.actor.type,
        actorId: change.actor.id,
        agencyId: change.agencyId,
        action: change.action,
        fromStatus: change.from,
        toStatus: change.to,
        reason: change.reason ?? null,
        idempotencyKey: change.idempotencyKey ?? null,
        step: change.step ?? null,
        stepDueAt: change.stepDueAt ?? null,
        toAccountId: change.toAccountId ?? null,
        details: change.details ? JSON.stringify(change.details) : null,
      }),
    )
    .selectFrom('changed')
    .selectAll('changed')
    .select((eb) => eb.selectFrom('account').select('account.locale').whereRef('account.id', '=', 'changed.ownerAccountId').as('ownerLocale'))
    .executeTakeFirst();
  // The caller holds the row lock, so a different status here is a bug, not a race.
  if (!updated) throw new Error(`dossier ${change.dossierId} is not in status ${change.from}`);
  noteDossierChange([updated.agencyId, updated.handlingAgencyId, handedFrom, change.agencyId]);
  // A hand-over inside the same status (assign, forward...) is not news to the applicant.
  if (!updated.code || change.from === change.to) return;
  const locale: Locale = updated.ownerLocale === 'en' ? 'en' : 'vi';
  const link = trackingUrl(deps.publicUrl, updated.code);
  const words = statusText(locale, change.to);
  // The citizen chose the channels when submitting (UI: "Kiểm tra thông tin").
  if (updated.notifyEmail && updated.applicantEmail) {
    await queueEmail(deps.jobs, trx, { to: updated.applicantEmail, template: 'dossier.status-changed', locale, params: { name: updated.applicantName ?? '—', dossierCode: updated.code, statusText: words, link } });
  }
  if (updated.notifySms && updated.applicantPhone && /^0\d{9}$/.test(updated.applicantPhone)) {
    await queueSms(deps.jobs, trx, { to: updated.applicantPhone, text: `MotCua: Ho so ${updated.code}: ${words}. Tra cuu: ${link}` });
  }
}
