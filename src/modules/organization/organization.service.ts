// The administrative tree and the agencies. Units and agencies carry validity dates; merged ones
// point to their successors so that an old dossier still resolves (Resolution 202/2025/QH15,
// the two-tier local government from 1/7/2025).
import Ajv from 'ajv';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { createDatabaseCache } from '../../platform/cache/database-cache.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { validateAgencyCode } from './agency-code.js';
import {
  AdminUnitFileSchema,
  AgencyFileSchema,
  type AdminUnitFile,
  type AgencyFile,
  type AgencyInput,
  type AgencyNode,
} from './organization.schemas.js';

export type { AgencyNode, AgencyInput, AdminUnitFile, AgencyFile } from './organization.schemas.js';
export { validateAgencyCode } from './agency-code.js';

const ajv = new Ajv.default({ allErrors: true, strict: false });
const checkUnitFile = ajv.compile(AdminUnitFileSchema);
const checkAgencyFile = ajv.compile(AgencyFileSchema);

export function todayInVietnam(now: Date = new Date()): string {
  // Dates of validity are civil dates in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** Inserts the administrative units of a data file, parents first; returns key → id. */
export async function loadAdminUnits(trx: Transaction<DB>, file: AdminUnitFile): Promise<Map<string, number>> {
  if (!checkUnitFile(file)) throw new Error(`admin-units file: ${ajv.errorsText(checkUnitFile.errors)}`);
  const ids = new Map<string, number>();
  const pending = [...file.units];
  while (pending.length > 0) {
    const before = pending.length;
    for (let i = 0; i < pending.length; ) {
      const unit = pending[i]!;
      const parentId = unit.parentKey === null ? null : ids.get(unit.parentKey);
      if (unit.parentKey !== null && parentId === undefined) {
        i += 1;
        continue;
      }
      const { id } = await trx
        .insertInto('adminUnit')
        .values({
          gsoCode: unit.gsoCode,
          name: unit.name,
          unitType: unit.unitType,
          level: unit.level,
          parentId: parentId ?? null,
          path: '',
          validFrom: unit.validFrom,
          validTo: unit.validTo,
          provenance: JSON.stringify(unit.provenance),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setTreePath(trx, 'admin_unit', id, parentId ?? null);
      ids.set(unit.key, id);
      pending.splice(i, 1);
    }
    if (pending.length === before) throw new Error(`admin-units file: unknown parentKey for ${pending.map((u) => u.key).join(', ')}`);
  }
  for (const s of file.successions) {
    const predecessorId = ids.get(s.predecessorKey);
    const successorId = ids.get(s.successorKey);
    if (predecessorId === undefined || successorId === undefined) throw new Error(`admin-units file: unknown unit in succession ${s.predecessorKey} → ${s.successorKey}`);
    await trx.insertInto('adminUnitSuccession').values({ predecessorId, successorId, effectiveOn: s.effectiveOn }).execute();
  }
  return ids;
}

async function setTreePath(trx: Transaction<DB>, table: 'admin_unit' | 'agency', id: number, parentId: number | null): Promise<void> {
  // ltree labels are the ids themselves: a subtree query is then `path <@ ancestor.path`.
  await sql`update ${sql.table(table)} set path = coalesce((select p.path from ${sql.table(table)} p where p.id = ${parentId}), ''::ltree) || text2ltree(${String(id)})
            where id = ${id}`.execute(trx);
}

function agencyProblems(agency: AgencyInput, index: number | undefined): FieldProblem[] {
  const prefix = index === undefined ? '' : `agencies.${index}.`;
  return validateAgencyCode(agency.code, agency.parentCode).map((p) => ({ name: `${prefix}code`, message: { key: p.key, ...(p.params ? { params: p.params } : {}) } }));
}

async function insertAgency(trx: Transaction<DB>, agency: AgencyInput, parentId: number | null, adminUnitId: number | null): Promise<number> {
  const { id } = await trx
    .insertInto('agency')
    .values({
      code: agency.code,
      codeVerified: agency.codeVerified ?? false,
      name: agency.name,
      nameEn: agency.nameEn ?? null,
      shortName: agency.shortName ?? null,
      level: agency.level,
      kind: agency.kind,
      parentId,
      path: '',
      adminUnitId,
      address: agency.address ?? null,
      phone: agency.phone ?? null,
      email: null,
      website: agency.website ?? null,
      validFrom: agency.validFrom,
      validTo: agency.validTo,
      provenance: JSON.stringify(agency.provenance ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setTreePath(trx, 'agency', id, parentId);
  return id;
}

/** Loads the agencies of a data file. Every identifier is checked first; one bad identifier
 *  rejects the file with every reason, and nothing is stored. */
export async function loadAgencies(trx: Transaction<DB>, file: AgencyFile, unitIds: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  if (!checkAgencyFile(file)) throw new Error(`agencies file: ${ajv.errorsText(checkAgencyFile.errors)}`);
  const problems = file.agencies.flatMap((a, i) => agencyProblems(a, i));
  if (problems.length > 0) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const ids = new Map<string, number>();
  const pending = [...file.agencies];
  while (pending.length > 0) {
    const before = pending.length;
    for (let i = 0; i < pending.length; ) {
      const agency = pending[i]!;
      const parentId = agency.parentCode === null ? null : ids.get(agency.parentCode);
      if (agency.parentCode !== null && parentId === undefined) {
        i += 1;
        continue;
      }
      const adminUnitId = agency.adminUnitKey ? unitIds.get(agency.adminUnitKey) : undefined;
      if (agency.adminUnitKey && adminUnitId === undefined) throw new Error(`agencies file: unknown adminUnitKey ${agency.adminUnitKey}`);
      ids.set(agency.code, await insertAgency(trx, agency, parentId ?? null, adminUnitId ?? null));
      pending.splice(i, 1);
    }
    if (pending.length === before) throw new Error(`agencies file: unknown parentCode for ${pending.map((a) => a.code).join(', ')}`);
  }
  for (const s of file.successions) {
    const predecessorId = ids.get(s.predecessorCode);
    const successorId = ids.get(s.successorCode);
    if (predecessorId === undefined || successorId === undefined) throw new Error(`agencies file: unknown agency in succession ${s.predecessorCode} → ${s.successorCode}`);
    await trx.insertInto('agencySuccession').values({ predecessorId, successorId, effectiveOn: s.effectiveOn }).execute();
  }
  return ids;
}

/** Creates one agency under an existing parent, refusing an invalid identifier with its reasons. */
export async function createAgency(db: Kysely<DB>, input: AgencyInput): Promise<number> {
  const problems = agencyProblems(input, undefined);
  if (problems.length > 0) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const id = await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('agency').select('id').where('code', '=', input.code).executeTakeFirst();
    if (existing) throw new AppError('conflict', 'error.conflict', {}, [{ name: 'code', message: { key: 'error.conflict' } }]);
    const parent = input.parentCode ? await trx.selectFrom('agency').select('id').where('code', '=', input.parentCode).executeTakeFirst() : undefined;
    if (input.parentCode && !parent) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'parentCode', message: { key: 'error.not_found' } }]);
    return insertAgency(trx, input, parent?.id ?? null, null);
  });
  subtreeCache.clear(db);
  return id;
}

// Agencies are only ever added (an old one gets valid_to and a successor, never a new path), so
// a subtree's ids cached for a minute can only lack an agency created in another process in
// that minute, which has no dossier yet. Every officer page that lists dossiers asks for them.
const subtreeCache = createDatabaseCache<string, number[]>({ ttlMs: 60_000 });

// An agency row is never edited either (a renamed or merged agency is a successor with its own
// row), so its code and name are kept by id, for pages that show many (tracking's timeline).
const labelCache = createDatabaseCache<number, AgencyLabel | undefined>({ ttlMs: 5 * 60_000, maxEntries: 5_000 });

export interface AgencyLabel {
  code: string | null;
  name: string;
}

/** An agency's code and name by id; undefined for an unknown id. */
export function agencyLabel(db: Kysely<DB>, id: number): Promise<AgencyLabel | undefined> {
  return labelCache.get(db, id, () => db.selectFrom('agency').select(['code', 'name']).where('id', '=', id).executeTakeFirst());
}

/** The ids of the agencies in the subtrees under these agency paths (each covers itself). */
export async function agencyIdsUnder(db: Kysely<DB>, paths: readonly string[]): Promise<number[]> {
  if (paths.length === 0) return [];
  const key = [...new Set(paths)].sort().join(' ');
  return subtreeCache.get(db, key, async () => {
    const rows = await db
      .selectFrom('agency')
      .select('id')
      .where(sql<boolean>`(${sql.join(paths.map((p) => sql`path <@ ${p}::ltree`), sql` or `)})`)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  });
}

/** The agency tree valid on a date (default: today in Vietnam). */
export async function listAgencyTree(db: Kysely<DB>, at: string = todayInVietnam()): Promise<AgencyNode[]> {
  const rows = await db
    .selectFrom('agency')
    .select(['id', 'parentId', 'code', 'name', 'nameEn', 'level', 'kind', 'codeVerified', 'validFrom', 'validTo'])
    .where('validFrom', '<=', at)
    .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>=', at)]))
    .orderBy('path')
    .execute();
  const nodes = new Map<number, AgencyNode>();
  const roots: AgencyNode[] = [];
  for (const row of rows) {
    nodes.set(row.id, { code: row.code, name: row.name, nameEn: row.nameEn, level: row.level, kind: row.kind, codeVerified: row.codeVerified, validFrom: row.validFrom, validTo: row.validTo, children: [] });
  }
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parentId === null ? undefined : nodes.get(row.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const byCode = (a: AgencyNode, b: AgencyNode) => (a.code ?? '').localeCompare(b.code ?? '');
  const sortTree = (list: AgencyNode[]) => {
    list.sort(byCode);
    list.forEach((n) => sortTree(n.children));
  };
  sortTree(roots);
  return roots;
}

/** The units that replaced a unit, followed through every merger up to the given date. */
export async function findCurrentUnits(db: Kysely<DB>, unitId: number, at: string = todayInVietnam()) {
  const rows = await sql<{ id: number; gsoCode: string; name: string }>`
    with recursive chain(id) as (
      select ${unitId}::int
      union
      select s.successor_id from admin_unit_succession s join chain c on s.predecessor_id = c.id where s.effective_on <= ${at}::date
    )
    select u.id, u.gso_code as "gsoCode", u.name from admin_unit u join chain c on c.id = u.id
    where u.valid_from <= ${at}::date and (u.valid_to is null or u.valid_to >= ${at}::date)
    order by u.name`.execute(db);
  return rows.rows;
}

export async function findAdminUnitByGso(db: Kysely<DB>, gsoCode: string, at: string = todayInVietnam()) {
  return db
    .selectFrom('adminUnit')
    .selectAll()
    .where('gsoCode', '=', gsoCode)
    .where('validFrom', '<=', at)
    .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>=', at)]))
    .executeTakeFirst();
}
