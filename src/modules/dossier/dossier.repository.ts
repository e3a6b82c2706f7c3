// Kysely queries of the dossier module: plain functions taking db or trx first.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { RequiredDocumentLike } from './dossier-slots.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface AgencyRef {
  id: number;
  code: string;
  name: string;
  path: string;
}

export interface ProcedureForSubmission {
  id: number;
  code: string;
  version: number;
  name: string;
  nameEn: string | null;
  processingDays: number | null;
  onlineLevel: string;
  acceptsOnline: boolean;
  formSchema: Record<string, unknown>;
  documents: RequiredDocumentLike[];
  agencies: AgencyRef[];
}

/** A procedure version's own content, from its row (what does not change once published). */
export function procedureContentOf(
  row: Pick<ProcedureForSubmission, 'id' | 'code' | 'version' | 'name' | 'nameEn' | 'processingDays' | 'formSchema'> & { onlineLevelScheme: string; onlineLevel: number | string; documents: unknown },
): Omit<ProcedureForSubmission, 'acceptsOnline' | 'agencies'> {
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    name: row.name,
    nameEn: row.nameEn,
    processingDays: row.processingDays,
    onlineLevel: `${row.onlineLevelScheme}/${row.onlineLevel}`,
    formSchema: row.formSchema,
    documents: row.documents as RequiredDocumentLike[],
  };
}

async function agenciesOf(db: Db, procedureId: number): Promise<AgencyRef[]> {
  const rows = await db
    .selectFrom('procedureAgency as pa')
    .innerJoin('agency as a', 'a.id', 'pa.agencyId')
    .where('pa.procedureId', '=', procedureId)
    .where('a.code', 'is not', null)
    .select(['a.id', 'a.code', 'a.name', sql<string>`a.path::text`.as('path')])
    .orderBy('a.code')
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code!, name: r.name, path: r.path }));
}

/** The published version of a procedure, with what submission needs. */
export async function findPublishedProcedure(db: Db, code: string): Promise<ProcedureForSubmission | undefined> {
  const row = await db
    .selectFrom('procedure as p')
    .innerJoin('onlineLevelRule as r', (join) => join.onRef('r.scheme', '=', 'p.onlineLevelScheme').onRef('r.level', '=', 'p.onlineLevel'))
    .where('p.code', '=', code)
    .where('p.status', '=', 'published')
    .select(['p.id', 'p.code', 'p.version', 'p.name', 'p.nameEn', 'p.processingDays', 'p.onlineLevelScheme', 'p.onlineLevel', 'r.acceptsOnline', 'p.formSchema', 'p.documents'])
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...procedureContentOf(row), acceptsOnline: row.acceptsOnline, agencies: await agenciesOf(db, row.id) };
}

/** The procedure version a dossier was started on. */
export async function getProcedureVersion(db: Db, procedureId: number): Promise<ProcedureForSubmission> {
  const row = await db.selectFrom('procedure').select('code').where('id', '=', procedureId).executeTakeFirstOrThrow();
  const published = await findPublishedProcedure(db, row.code);
  if (published && published.id === procedureId) return published;
  // A retired version still describes the dossiers started on it.
  const p = await db
    .selectFrom('procedure as p')
    .innerJoin('onlineLevelRule as r', (join) => join.onRef('r.scheme', '=', 'p.onlineLevelScheme').onRef('r.level', '=', 'p.onlineLevel'))
    .where('p.id', '=', procedureId)
    .select(['p.id', 'p.code', 'p.version', 'p.name', 'p.nameEn', 'p.processingDays', 'p.onlineLevelScheme', 'p.onlineLevel', 'r.acceptsOnline', 'p.formSchema', 'p.documents'])
    .executeTakeFirstOrThrow();
  return { ...procedureContentOf(p), acceptsOnline: p.acceptsOnline, agencies: await agenciesOf(db, p.id) };
}

export const dossierColumns = [
  'd.id',
  'd.code',
  'd.procedureId',
  'd.agencyId',
  'd.ownerAccountId',
  'd.businessId',
  'd.channel',
  'd.status',
  'd.data',
  'd.currentStep',
  'd.notifyEmail',
  'd.notifySms',
  'd.applicantName',
  'd.applicantIdNumber',
  'd.applicantPhone',
  'd.applicantEmail',
  'd.ruleVersions',
  'd.submitKey',
  'd.submittedAt',
  'd.dueAt',
  'd.createdAt',
  'd.updatedAt',
  'd.version',
  'd.pausedFrom',
  'd.supplementItems',
  'd.acceptedAt',
  'd.apologizedAt',
  'd.resultDelivery',
  'd.resultPostAddress',
  'd.stepDueAt',
] as const;

export async function findDossier(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('dossier as d').select(dossierColumns).where('d.id', '=', id).executeTakeFirst();
}

/** Locks the dossier row for the rest of the transaction: one change at a time. */
export async function lockDossier(trx: Transaction<DB>, id: string) {
  if (!isUuid(id)) return undefined;
  return trx.selectFrom('dossier as d').select(dossierColumns).where('d.id', '=', id).forUpdate().executeTakeFirst();
}

export type DossierRow = NonNullable<Awaited<ReturnType<typeof findDossier>>>;

export async function findDossierByCode(db: Db, code: string) {
  return db.selectFrom('dossier as d').select(dossierColumns).where('d.code', '=', code).executeTakeFirst();
}

export async function findAgency(db: Db, id: number): Promise<AgencyRef | undefined> {
  const row = await db.selectFrom('agency').select(['id', 'code', 'name', sql<string>`path::text`.as('path')]).where('id', '=', id).executeTakeFirst();
  return row && row.code ? { id: row.id, code: row.code, name: row.name, path: row.path } : undefined;
}

export async function listDossierEvents(db: Db, dossierId: string) {
  return db
    .selectFrom('dossierEvent as e')
    .leftJoin('agency as a', 'a.id', 'e.agencyId')
    .where('e.dossierId', '=', dossierId)
    .leftJoin('account as actor', (join) => join.on(sql<boolean>`e.actor_id = actor.id::text and e.actor_type in ('officer', 'citizen', 'business')`))
    .leftJoin('account as receiver', 'receiver.id', 'e.toAccountId')
    .select(['e.at', 'e.action', 'e.fromStatus', 'e.toStatus', 'e.reason', 'a.name as agencyName', 'e.step', 'e.stepDueAt', 'e.details', 'actor.fullName as actorName', 'receiver.fullName as receiverName'])
    .orderBy('e.id')
    .execute();
}

export async function listAttachments(db: Db, dossierId: string) {
  return db
    .selectFrom('dossierAttachment')
    .where('dossierId', '=', dossierId)
    .select(['id', 'slot', 'sha256', 'fileName', 'mediaType', 'size', 'addedAt'])
    .orderBy('slot')
    .orderBy('addedAt')
    .execute();
}

export async function listOwnerDossiers(db: Db, ownerAccountId: number, page: number, pageSize: number) {
  const base = db.selectFrom('dossier as d').where('d.ownerAccountId', '=', ownerAccountId);
  const [rows, total] = await Promise.all([
    base
      .innerJoin('procedure as p', 'p.id', 'd.procedureId')
      .leftJoin('agency as a', 'a.id', 'd.agencyId')
      .select(['d.id', 'd.code', 'd.status', 'd.submittedAt', 'd.dueAt', 'd.updatedAt', 'p.code as procedureCode', 'p.name as procedureName', 'p.nameEn as procedureNameEn', 'a.name as agencyName'])
      .orderBy('d.updatedAt', 'desc')
      .orderBy('d.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
