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
  fieldNameEn: string;
  levelOfGovernment: GovernmentLevel;
  onlineLevel: string;
  processingDays: number | null;
  confidence: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  agencyNameEn: string | null;
  agencyCount: number;
  total: number;
}

type MatchMode = 'all' | 'exact' | 'similar';

/** The page of matching rows in one of three modes, best first, with the total. */
async function matchingPage(db: Kysely<DB>, search: ProcedureSearch, mode: MatchMode) {
  const folded = sql<string>`mc_search_norm(${search.q})`;
  let query = db.selectFrom('procedure as p').where('p.status', '=', 'published');
  if (mode === 'exact') {
    // One LIKE per word, written out (not an array), so the trigram index can serve each of them.
    for (const word of search.q.split(' ').filter(Boolean).slice(0, 12)) {
      query = query.where(sql<boolean>`p.search_text like '%' || mc_search_norm(${word}) || '%'`);
    }
  } else if (mode === 'similar') {
    query = query.where(sql<boolean>`${folded} <% p.search_text`);
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
  const ordered =
    mode === 'all'
      ? query.orderBy('p.searchText').orderBy('p.code') // alphabetical: search_text is the folded name
      : mode === 'exact'
        ? query
            .orderBy(sql`(p.search_text like '%' || ${folded} || '%')`, 'desc') // the whole phrase first
            .orderBy(sql`similarity(${folded}, p.search_text)`, 'desc') // then the closest, shortest names
            .orderBy('p.code')
        : query.orderBy(sql`word_similarity(${folded}, p.search_text)`, 'desc').orderBy(sql`similarity(${folded}, p.search_text)`, 'desc').orderBy('p.code');
  return ordered
    .innerJoin('field as f', 'f.code', 'p.fieldCode')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.nameEn',
      'p.fieldCode',
      'f.name as fieldName',
      'f.nameEn as fieldNameEn',
      'p.levelOfGovernment',
      'p.onlineLevel',
      'p.processingDays',
      sql<string | null>`p.provenance->>'confidence'`.as('confidence'),
      sql<number>`count(*) over ()`.as('total'),
    ])
    .limit(search.limit)
    .offset(search.offset)
    .execute();
}

/**
 * Published procedures matching a query, best first. Every word of the query must appear in the
 * folded name or code (the whole phrase ranks first, then the closer and shorter names, so "khai
 * sinh" puts "Đăng ký khai sinh" before longer names). Only when nothing matches that way does
 * the typo-tolerant pass run: pg_trgm's word similarity through `<%` ("ket hn" → "kết hôn"), which
 * costs far more and so is kept for the queries that need it.
 */
export async function searchPublishedProcedures(db: Kysely<DB>, search: ProcedureSearch): Promise<ProcedureSearchRow[]> {
  let rows = await matchingPage(db, search, search.q === '' ? 'all' : 'exact');
  if (rows.length === 0 && search.q !== '' && search.offset === 0) rows = await matchingPage(db, search, 'similar');
  if (rows.length === 0) return [];
  // The implementing agencies for this page only, after the limit: not for every match.
  const agencies = await db
    .selectFrom('procedureAgency as pa')
    .innerJoin('agency as a', 'a.id', 'pa.agencyId')
    .where('pa.procedureId', 'in', rows.map((r) => r.id))
    .groupBy('pa.procedureId')
    .select([
      'pa.procedureId',
      sql<string | null>`min(a.code)`.as('agencyCode'),
      sql<string | null>`(array_agg(a.name order by a.code))[1]`.as('agencyName'),
      sql<string | null>`(array_agg(a.name_en order by a.code))[1]`.as('agencyNameEn'),
      sql<number>`count(*)::int`.as('agencyCount'),
    ])
    .execute();
  const byProcedure = new Map(agencies.map((a) => [a.procedureId, a]));
  return rows.map((row) => {
    const agency = byProcedure.get(row.id);
    return {
      ...row,
      agencyCode: agency?.agencyCode ?? null,
      agencyName: agency?.agencyName ?? null,
      agencyNameEn: agency?.agencyNameEn ?? null,
      agencyCount: agency?.agencyCount ?? 0,
    };
  });
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
