// Walk-in and postal dossiers (channels 1 and 3): reception enters them on the applicant's behalf
// at the one-stop desk, with the scanned documents; from then on they follow the same path as an
// online dossier (status 1, then the completeness check). The receiving officer owns the record;
// the applicant follows it by its code and their phone or CCCD on the tracking page.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { requireAccess, type Actor } from '../../platform/access/access.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import {
  addScannedDocument,
  assignDossierCode,
  calendarAround,
  changeStatus,
  findDossierByCode,
  findPublishedProcedure,
  isUuid,
  type DossierDeps,
  type RequestMeta,
} from '../dossier/dossier.service.js';

export interface WalkInInput {
  procedureCode: string;
  agencyCode: string;
  channel: 1 | 3;
  applicant: { name: string; idNumber?: string | undefined; phone?: string | undefined; email?: string | undefined };
  data?: Record<string, unknown> | undefined;
}

export async function receiveWalkIn(deps: DossierDeps, actor: Actor, input: WalkInInput, meta: RequestMeta): Promise<{ code: string; status: 'new'; submittedAt: Date; dueAt: Date | null }> {
  requireAccess(actor, 'dossier.receive');
  if (actor.kind !== 'officer') throw new AppError('not_found');
  const procedure = await findPublishedProcedure(deps.db, input.procedureCode);
  if (!procedure) throw new AppError('not_found', 'dossier.error.procedureUnknown', { code: input.procedureCode.slice(0, 40) });
  const agency = procedure.agencies.find((a) => a.code === input.agencyCode);
  const problems: FieldProblem[] = [];
  if (!agency) problems.push({ name: 'agencyCode', message: { key: 'dossier.error.agencyUnknown' } });
  else requireAccess(actor, 'dossier.receive', { agencyPath: agency.path });
  const name = input.applicant.name.trim();
  if (name.length < 3 || name.length > 200) problems.push({ name: 'applicant.name', message: { key: 'workflow.walkIn.name' } });
  const phone = input.applicant.phone?.replace(/[\s.-]/g, '') || null;
  if (phone && !/^0\d{9}$/.test(phone)) problems.push({ name: 'applicant.phone', message: { key: 'workflow.walkIn.phone' } });
  const idNumber = input.applicant.idNumber?.trim() || null;
  if (idNumber && !/^\d{12}$/.test(idNumber)) problems.push({ name: 'applicant.idNumber', message: { key: 'workflow.walkIn.idNumber' } });
  const email = input.applicant.email?.trim() || null;
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email)) problems.push({ name: 'applicant.email', message: { key: 'workflow.walkIn.email' } });
  if (problems.length) throw new AppError('unprocessable', 'error.unprocessable', {}, problems);
  const now = new Date();
  const calendar = await calendarAround(deps.db, now);
  const id = randomUUID();
  return deps.db.transaction().execute(async (trx) => {
    const { code, ruleId } = await assignDossierCode(trx, agency!, now);
    const dueAt = procedure.processingDays === null ? null : calendar.addWorkingDays(now, procedure.processingDays);
    await trx
      .insertInto('dossier')
      .values({ id, procedureId: procedure.id, agencyId: agency!.id, ownerAccountId: actor.accountId, channel: input.channel, data: JSON.stringify(input.data ?? {}), updatedAt: now, notifyEmail: email !== null, notifySms: phone !== null } as never)
      .execute();
    await changeStatus(trx, deps, {
      dossierId: id,
      from: 'draft',
      to: 'new',
      action: 'receive_in_person',
      actor: { type: 'officer', id: String(actor.accountId) },
      agencyId: agency!.id,
      at: now,
      set: {
        code,
        submittedAt: now,
        dueAt,
        receivedBy: actor.accountId,
        applicantName: name,
        applicantIdNumber: idNumber,
        applicantPhone: phone,
        applicantEmail: email,
        ruleVersions: JSON.stringify({ procedureVersion: procedure.version, onlineLevel: procedure.onlineLevel, dossierCodeRule: ruleId, calendar: 'working-days' }),
      },
    });
    await appendAudit(trx, { actorType: 'officer', actorId: String(actor.accountId), action: 'dossier.receive_walk_in', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { code, channel: input.channel } });
    return { code, status: 'new' as const, submittedAt: now, dueAt };
  });
}

/** Reception attaches a scanned document to a dossier of its agency, before or at acceptance. */
export async function attachScan(deps: DossierDeps, actor: Actor, code: string, upload: { slot: number; fileName: string; stream: NodeJS.ReadableStream; truncated?: () => boolean }, meta: RequestMeta) {
  try {
    requireAccess(actor, 'dossier.receive');
    if (actor.kind !== 'officer' || isUuid(code)) throw new AppError('not_found');
    const dossier = await findDossierByCode(deps.db, code);
    if (!dossier || dossier.agencyId === null) throw new AppError('not_found');
    const agency = await deps.db.selectFrom('agency').select(sql<string>`path::text`.as('path')).where('id', '=', dossier.agencyId).executeTakeFirstOrThrow();
    requireAccess(actor, 'dossier.receive', { agencyPath: agency.path });
    if (dossier.status !== 'new' && dossier.status !== 'accepted') throw new AppError('conflict', 'workflow.walkIn.scanLate');
    return await addScannedDocument(deps, dossier, upload, { accountId: actor.accountId }, meta);
  } catch (error) {
    upload.stream.resume();
    throw error;
  }
}
