// The reads of the submission transaction. A submission runs many of them at once (a deadline
// day, a whole commune online), so every round trip saved inside its transaction is time the
// dossier's row (and, later, the agency's serial of the day) is held: the dossier is locked and
// read with everything else the submission needs that can change in one statement, the procedure
// version's own content, which cannot change, is read once per process, and the owner's profile
// only when the form left an applicant's field empty.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { dossierColumns, isUuid, procedureContentOf, type AgencyRef, type ProcedureForSubmission } from './dossier.repository.js';
import type { FeeLine } from '../catalog/catalog.table.js';

/** The procedure's fee lines paid with the submission, as an obligation's lines (200 characters). */
export function feeLinesDueAtSubmission(fees: readonly FeeLine[]): { label: string; amount: number }[] {
  return fees.filter((f) => f.dueAtSubmission === true && f.amountVnd > 0).map(obligationLineOf);
}

/** A fee line as an obligation's line: the catalogue's names can be long, a line keeps 200 characters. */
export function obligationLineOf(fee: FeeLine): { label: string; amount: number } {
  return { label: fee.name.length > 200 ? `${fee.name.slice(0, 199)}…` : fee.name, amount: fee.amountVnd };
}

/**
 * The dossier row locked for the rest of the transaction, with what may change in its procedure
 * while a version is published: whether its online level takes dossiers online today, and its
 * agencies. Scalar subqueries rather than joins: the lock is on the dossier row alone, and PGlite
 * plans a join under FOR UPDATE several times slower than this.
 */
export async function lockDossierForSubmission(trx: Transaction<DB>, id: string) {
  if (!isUuid(id)) return undefined;
  const row = await trx
    .selectFrom('dossier as d')
    .select(dossierColumns)
    .select([
      sql<boolean>`(
        select r.accepts_online from procedure p
        join online_level_rule r on r.scheme = p.online_level_scheme and r.level = p.online_level
        where p.id = d.procedure_id)`.as('acceptsOnline'),
      sql<AgencyRef[] | string>`(
        select coalesce(json_agg(json_build_object('id', a.id, 'code', a.code, 'name', a.name, 'path', a.path::text) order by a.code), '[]'::json)
        from procedure_agency pa join agency a on a.id = pa.agency_id
        where pa.procedure_id = d.procedure_id and a.code is not null)`.as('agencies'),
    ])
    .where('d.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  const agencies = typeof row.agencies === 'string' ? (JSON.parse(row.agencies) as AgencyRef[]) : row.agencies;
  return { ...row, acceptsOnline: row.acceptsOnline === true, agencies };
}

/** The owner's profile, for the applicant's fields the form left empty. */
export async function ownerProfile(trx: Transaction<DB>, accountId: number) {
  return trx.selectFrom('account').select(['fullName', 'idNumber', 'phone', 'email']).where('id', '=', accountId).executeTakeFirstOrThrow();
}

type ProcedureContent = Omit<ProcedureForSubmission, 'acceptsOnline' | 'agencies'> & {
  /** The fee lines due with the submission (level 4), as obligation lines. */
  submissionFees: { label: string; amount: number }[];
};

// A published (or retired) procedure version is never edited: the database refuses it
// (mc_procedure_guard, migration 20261128T1200). Its content is therefore kept by id, per database,
// in the order first read, up to a bound; only such versions are kept.
const contentsByDatabase = new WeakMap<Kysely<DB>, Map<number, ProcedureContent>>();
const MAX_CONTENTS = 500;

/**
 * The immutable content of a procedure version (form, documents, days, level), by id: kept for
 * the database `pool`, read through `db` (the caller's transaction: PGlite has one connection).
 */
export async function procedureContent(pool: Kysely<DB>, db: Kysely<DB> | Transaction<DB>, procedureId: number): Promise<ProcedureContent | undefined> {
  let contents = contentsByDatabase.get(pool);
  if (!contents) {
    contents = new Map();
    contentsByDatabase.set(pool, contents);
  }
  const known = contents.get(procedureId);
  if (known) return known;
  const row = await db
    .selectFrom('procedure')
    .select(['id', 'code', 'version', 'status', 'name', 'nameEn', 'processingDays', 'onlineLevelScheme', 'onlineLevel', 'formSchema', 'documents', 'fees'])
    .where('id', '=', procedureId)
    .executeTakeFirst();
  if (!row) return undefined;
  const content: ProcedureContent = { ...procedureContentOf(row), submissionFees: feeLinesDueAtSubmission(row.fees) };
  if (row.status === 'published' || row.status === 'retired') {
    if (contents.size >= MAX_CONTENTS) contents.delete(contents.keys().next().value!);
    contents.set(procedureId, content);
  }
  return content;
}
