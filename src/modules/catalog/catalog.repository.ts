// Kysely queries of the catalogue: plain functions taking the database (or a transaction) first.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { GovernmentLevel } from './catalog.table.js';

export interface ProcedureSearch {
  /** Cleaned query text (see cleanSearchQuery); '' lists everything. */
  q: string;
  agencyCode?: string | undefined;
  fieldCode?: string | undefined;
  level?: GovernmentLevel | undefined;
  onlineLevel?: string | undefined;
  limit: number;
  offset: number;
}

export interface ProcedureSearchRow {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  fieldCode: string;
  fieldName: string;
  levelOfGovernment: GovernmentLevel;
  onlineLevel: string;
  processingDays: number | null;
  confidence: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  agencyCount: number;
  total: number;
}

/**
 * Published procedures matching a query, best first. Ranking tiers: the whole phrase appears in
 * the folded name or code (2), every word appears (1), or it is only similar (0, typos: pg_trgm's
 * word similarity through the `<%` operator, which the trigram index serves). Within a tier the
 * closer overall similarity wins, so "khai sinh" puts "Đăng ký khai sinh" before longer names.
 */
export async function searchPublishedProcedures(db: Kysely<DB>, search: ProcedureSearch): Promise<ProcedureSearchRow[]> {
  const folded = sql<string>`mc_search_norm(${search.q})`;
  const words = search.q === '' ? [] : search.q.split(' ').filter(Boolean).slice(0, 12);
  const wordPatterns = sql`array(select '%' || mc_search_norm(w) || '%' from unnest(${words}::text[]) as w)`;
  let query = db
    .selectFrom('procedure as p')
    .innerJoin('field as f', 'f.code', 'p.fieldCode')
    .where('p.status', '=', 'published');

  if (search.q !== '') {
    query = query.where(
      sql<boolean>`(p.search_text like '%' || ${folded} || '%' or p.search_text like all (${wordPatterns}) or ${folded} <% p.search_text)`,
    );
  }
  if (search.fieldCode) query = query.where('p.fieldCode', '=', search.fieldCode);
  if (search.level) query = query.where('p.levelOfGovernment', '=', search.level);
  if (search.onlineLevel) query = query.where('p.onlineLevel', '=', search.onlineLevel);
  if (search.agencyCode) {
    const agencyCode = search.agencyCode;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('procedureAgency as pa')
          .innerJoin('agency as a', 'a.id', 'pa.agencyId')
          .whereRef('pa.procedureId', '=', 'p.id')
          .where('a.code', '=', agencyCode)
          .select(sql`1`.as('one')),
      ),
    );
  }

  // Without a query the list is alphabetical (search_text is the folded name, so "Đ" sorts as "D").
  const rank =
    search.q === ''
      ? sql<string>`p.search_text`
      : sql<number>`case when p.search_text like '%' || ${folded} || '%' then 2
                         when p.search_text like all (${wordPatterns}) then 1 else 0 end`;
  const closeness = search.q === '' ? sql<string>`p.name` : sql<number>`similarity(${folded}, p.search_text)`;
  const direction = search.q === '' ? 'asc' : 'desc';

  const rows = await query
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('procedureAgency as pa2')
          .innerJoin('agency as a2', 'a2.id', 'pa2.agencyId')
          .whereRef('pa2.procedureId', '=', 'p.id')
          .select([
            sql<string | null>`min(a2.code)`.as('agencyCode'),
            sql<string | null>`(array_agg(a2.name order by a2.code))[1]`.as('agencyName'),
            sql<number>`count(*)::int`.as('agencyCount'),
          ])
          .as('ag'),
      (join) => join.onTrue(),
    )
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.nameEn',
      'p.fieldCode',
      'f.name as fieldName',
      'p.levelOfGovernment',
      'p.onlineLevel',
      'p.processingDays',
      sql<string | null>`p.provenance->>'confidence'`.as('confidence'),
      'ag.agencyCode',
      'ag.agencyName',
      'ag.agencyCount',
      sql<number>`count(*) over ()`.as('total'),
    ])
    .orderBy(rank, direction)
    .orderBy(closeness, direction)
    .orderBy('p.code')
    .limit(search.limit)
    .offset(search.offset)
    .execute();
  return rows as ProcedureSearchRow[];
}

/** Counts matches when the requested page lies past the last result (the window count is then absent). */
export async function countPublishedProcedures(db: Kysely<DB>, search: ProcedureSearch): Promise<number> {
  const rows = await searchPublishedProcedures(db, { ...search, limit: 1, offset: 0 });
  return rows[0]?.total ?? 0;
}

export async function findPublishedProcedure(db: Kysely<DB>, code: string) {
  return db
    .selectFrom('procedure as p')
    .innerJoin('field as f', 'f.code', 'p.fieldCode')
    .innerJoin('onlineLevelRule as r', (j) => j.onRef('r.scheme', '=', 'p.onlineLevelScheme').onRef('r.level', '=', 'p.onlineLevel'))
    .where('p.code', '=', code)
    .where('p.status', '=', 'published')
    .selectAll('p')
    .select(['f.name as fieldName', 'f.nameEn as fieldNameEn', 'r.name as onlineLevelName', 'r.nameEn as onlineLevelNameEn', 'r.legacyEquivalent'])
    .executeTakeFirst();
}

export async function listProcedureAgencies(db: Kysely<DB>, procedureId: number) {
  return db
    .selectFrom('procedureAgency as pa')
    .innerJoin('agency as a', 'a.id', 'pa.agencyId')
    .where('pa.procedureId', '=', procedureId)
    .select(['a.code', 'a.name', 'a.nameEn'])
    .orderBy('a.code')
    .execute();
}

export async function listFieldsWithCounts(db: Kysely<DB>) {
  return db
    .selectFrom('field as f')
    .leftJoin('procedure as p', (j) => j.onRef('p.fieldCode', '=', 'f.code').on('p.status', '=', 'published'))
    .groupBy(['f.code', 'f.name', 'f.nameEn', 'f.sortOrder'])
    .select(['f.code', 'f.name', 'f.nameEn', sql<number>`count(p.id)::int`.as('procedureCount')])
    .orderBy('f.sortOrder')
    .orderBy('f.name')
    .execute();
}

export async function listOnlineLevelRules(db: Kysely<DB>) {
  return db.selectFrom('onlineLevelRule').selectAll().orderBy('scheme').orderBy('rank').execute();
}

// ---- import / export ----

export async function findLatestVersion(trx: Transaction<DB>, code: string) {
  return trx.selectFrom('procedure').where('code', '=', code).orderBy('version', 'desc').selectAll().limit(1).executeTakeFirst();
}

export async function listLatestProcedures(db: Kysely<DB>) {
  return db
    .selectFrom('procedure as p')
    .where('p.version', '=', (eb) => eb.selectFrom('procedure as p2').whereRef('p2.code', '=', 'p.code').select(sql<number>`max(p2.version)`.as('v')))
    .selectAll('p')
    .orderBy('p.code')
    .execute();
}

export async function listAgencyCodesByProcedure(db: Kysely<DB>): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('procedureAgency as pa')
    .innerJoin('agency as a', 'a.id', 'pa.agencyId')
    .select(['pa.procedureId', 'a.code'])
    .orderBy('a.code')
    .execute();
  const map = new Map<number, string[]>();
  for (const row of rows) {
    if (!row.code) continue;
    const list = map.get(row.procedureId) ?? [];
    list.push(row.code);
    map.set(row.procedureId, list);
  }
  return map;
}
