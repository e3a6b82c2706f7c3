// The dossier's clock (DOMAIN.md §5): the appointment counts the procedure's working days from
// acceptance, and statuses 5, 6 and 8 pause it. The pauses are read from the event log, so the
// due instant after a pause is always recomputed from the whole history, never nudged.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { loadWorkingDays, type WorkingDays } from '../calendar/calendar.service.js';
import { localDateOf } from '../calendar/local-date.js';
import { pausingStatuses } from './dossier-status.js';

/** The working calendar around an instant. Pass the pool, not a transaction: the years are cached
 *  per pool, and on PGlite the one connection may be held by the caller's transaction. */
export async function calendarAround(db: Kysely<DB>, at: Date): Promise<WorkingDays> {
  const year = Number(localDateOf(at).slice(0, 4));
  return loadWorkingDays(db, year - 1, year + 2);
}

/** The pauses of a dossier: from entering 5, 6 or 8 until leaving it (open ones end `now`). */
export async function pausesOf(trx: Transaction<DB>, dossierId: string, now: Date): Promise<{ from: Date; to: Date }[]> {
  const events = await trx.selectFrom('dossierEvent').select(['at', 'fromStatus', 'toStatus']).where('dossierId', '=', dossierId).orderBy('id').execute();
  const pauses: { from: Date; to: Date | null }[] = [];
  for (const e of events) {
    if (pausingStatuses.has(e.toStatus) && !pausingStatuses.has(e.fromStatus ?? 'draft')) pauses.push({ from: new Date(e.at), to: null });
    if (e.fromStatus && pausingStatuses.has(e.fromStatus) && !pausingStatuses.has(e.toStatus)) {
      const open = pauses.at(-1);
      if (open && open.to === null) open.to = new Date(e.at);
    }
  }
  return pauses.map((p) => ({ from: p.from, to: p.to ?? now }));
}

/**
 * The appointment when a pause ends now: the working days from acceptance, with every pause so
 * far (this one included) taken out. Undefined when there is nothing to recompute (not yet
 * accepted, no statutory days, or the date was set by an apology letter).
 */
export async function dueAfterResume(trx: Transaction<DB>, calendar: WorkingDays, dossier: { id: string; acceptedAt: Date | null; apologizedAt: Date | null }, processingDays: number | null, now: Date): Promise<Date | undefined> {
  if (!dossier.acceptedAt || processingDays === null || dossier.apologizedAt) return undefined;
  return calendar.dueAfterPauses(new Date(dossier.acceptedAt), processingDays, await pausesOf(trx, dossier.id, now)) ?? undefined;
}

/**
 * The current step's own due instant when a pause ends now: the step's budget does not run while
 * the dossier waits for the applicant or a stop (DOMAIN.md §5), so it moves by the office time of
 * the pause that is ending. Undefined when the step has no due instant.
 */
export async function stepDueAfterResume(trx: Transaction<DB>, calendar: WorkingDays, dossier: { id: string; stepDueAt: Date | null }, now: Date): Promise<Date | undefined> {
  if (!dossier.stepDueAt) return undefined;
  const pause = (await pausesOf(trx, dossier.id, now)).at(-1);
  if (!pause) return undefined;
  return calendar.addOfficeTime(new Date(dossier.stepDueAt), calendar.officeMinutesBetween(pause.from, pause.to));
}
