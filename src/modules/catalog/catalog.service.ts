// Use cases of the catalogue: the module's only public surface for other modules. Reading the
// published catalogue is public (no access check needed); importing is an operator's CLI action.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { storeRecords, validateCatalogText, contentOf, type ImportReport } from './catalog-import.js';
import { serializeCatalog, type CatalogFormat } from './catalog-format.js';
import { presentDetail, presentSummary, toRecord, type DetailRow } from './catalog.presenters.js';
import {
  countPublishedProcedures,
  findPublishedProcedure,
  listAgencyCodesByProcedure,
  listFieldsWithCounts,
  listLatestProcedures,
  listOnlineLevelRules,
  listProcedureAgencies,
  searchPublishedProcedures,
} from './catalog.repository.js';
import type { FieldWithCount, ProcedureDetail, ProcedureListQuery, ProcedurePage, ProcedureRecord } from './catalog.schemas.js';
import { cachedSearch, clearSearchCache } from './search-cache.js';
import { cleanSearchQuery } from './search-text.js';

export { configureSearchCache, clearSearchCache } from './search-cache.js';

export type { ImportReport, ImportProblem } from './catalog-import.js';
export type { CatalogFormat } from './catalog-format.js';
export { formatFromPath } from './catalog-format.js';
export type { ProcedureDetail, ProcedurePage, ProcedureRecord, FieldWithCount } from './catalog.schemas.js';
export { foldVietnamese } from './search-text.js';
export { formSteps, type FormStep } from './form-schema.js';

export async function searchProcedures(db: Kysely<DB>, query: ProcedureListQuery, locale: Locale = 'vi'): Promise<ProcedurePage> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const search = {
    q: cleanSearchQuery(query.q),
    agencyCode: query.agency || undefined,
    fieldCode: query.field || undefined,
    level: query.level,
    onlineLevel: query.onlineLevel,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  return cachedSearch(db, JSON.stringify([search, locale]), async () => {
    const rows = await searchPublishedProcedures(db, search);
    // Past the last page the window count is absent; the total is still worth telling.
    const total = rows[0]?.total ?? (page > 1 ? await countPublishedProcedures(db, search) : 0);
    return { items: rows.map((row) => presentSummary(row, locale)), total, page, pageSize };
  });
}

export async function getProcedure(db: Kysely<DB>, code: string, locale: Locale = 'vi'): Promise<ProcedureDetail> {
  const row = await findPublishedProcedure(db, code);
  if (!row) throw new AppError('not_found', 'procedure.notFound', { code });
  const agencies = await listProcedureAgencies(db, row.id);
  return presentDetail(row as DetailRow, agencies, locale);
}

export async function listFields(db: Kysely<DB>): Promise<FieldWithCount[]> {
  return listFieldsWithCounts(db);
}

/** The latest version of every procedure, in the import format. */
export async function exportCatalog(db: Kysely<DB>): Promise<ProcedureRecord[]> {
  const [rows, agencyCodes] = await Promise.all([listLatestProcedures(db), listAgencyCodesByProcedure(db)]);
  return rows.map((row) => toRecord(row, agencyCodes.get(row.id) ?? []));
}

export async function exportCatalogText(db: Kysely<DB>, format: CatalogFormat): Promise<{ text: string; count: number }> {
  const records = await exportCatalog(db);
  return { text: serializeCatalog(records, format), count: records.length };
}

export interface ImportOptions {
  dryRun?: boolean;
  onStart?: (total: number) => void;
  onProgress?: (done: number) => void;
}

export class CatalogImportRejected extends Error {
  constructor(readonly report: ImportReport) {
    super(`catalogue import rejected: ${report.problems.length} problems`);
    this.name = 'CatalogImportRejected';
  }
}

/** Validates and stores a file inside the caller's transaction; throws CatalogImportRejected
 *  (so the caller's transaction rolls back) when any record has a problem. */
export async function importCatalogWithin(trx: Transaction<DB>, text: string, format: CatalogFormat, options: ImportOptions = {}): Promise<ImportReport> {
  const { records, problems, total } = await validateCatalogText(trx, text, format);
  if (problems.length > 0) throw new CatalogImportRejected({ ok: false, total, created: 0, unchanged: 0, problems });
  if (options.dryRun) return { ok: true, total, created: 0, unchanged: 0, problems: [] };
  options.onStart?.(records.length);
  const current = await exportCatalog(trx);
  const latestVersions = await trx.selectFrom('procedure').select(['code', (eb) => eb.fn.max('version').as('version')]).groupBy('code').execute();
  const versionOf = new Map(latestVersions.map((r) => [r.code, Number(r.version)]));
  const latest = new Map(current.map((r) => [r.code, { version: versionOf.get(r.code) ?? 1, content: contentOf(r) }]));
  const agencies = await trx.selectFrom('agency').select(['id', 'code']).where('code', 'is not', null).execute();
  const agencyIds = new Map(agencies.map((a) => [a.code as string, a.id]));
  const counts = await storeRecords(trx, records, agencyIds, latest, options.onProgress);
  return { ok: true, total, ...counts, problems: [] };
}

/** Imports a whole file in one transaction. Any problem rejects the file and nothing is stored. */
export async function importCatalog(db: Kysely<DB>, text: string, format: CatalogFormat, options: ImportOptions = {}): Promise<ImportReport> {
  try {
    const report = await db.transaction().execute((trx) => importCatalogWithin(trx, text, format, options));
    clearSearchCache(db);
    return report;
  } catch (error) {
    if (error instanceof CatalogImportRejected) return error.report;
    throw error;
  }
}

export interface OnlineLevelOption {
  scheme: string;
  level: string;
  name: string;
  nameEn: string;
  legacyEquivalent: string | null;
}

/** Levels of the scheme in force today (Decree 42/2022 since 1/8/2022), for filters and labels. */
export async function listCurrentOnlineLevels(db: Kysely<DB>, today: string = new Date().toISOString().slice(0, 10)): Promise<OnlineLevelOption[]> {
  const rules = await listOnlineLevelRules(db);
  return rules
    .filter((r) => r.effectiveFrom <= today && (r.effectiveTo === null || r.effectiveTo >= today))
    .map((r) => ({ scheme: r.scheme, level: r.level, name: r.name, nameEn: r.nameEn, legacyEquivalent: r.legacyEquivalent }));
}

export interface FieldInput {
  code: string;
  name: string;
  nameEn: string;
  sortOrder: number;
}

export async function loadFields(trx: Transaction<DB>, fields: FieldInput[]): Promise<void> {
  if (fields.length === 0) return;
  await trx
    .insertInto('field')
    .values(fields)
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), nameEn: eb.ref('excluded.nameEn'), sortOrder: eb.ref('excluded.sortOrder') })))
    .execute();
}

export interface OnlineLevelRuleInput {
  scheme: string;
  level: string;
  rank: number;
  name: string;
  nameEn: string;
  description: string;
  legacyEquivalent: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  legalBasis: string;
  acceptsOnline: boolean;
}

/** Loads the service-level rule data (data/rules/online-levels.json); a rule row is replaced
 *  by the file's version, as the file is the authority on these dates. */
export async function loadOnlineLevelRules(trx: Transaction<DB>, rules: OnlineLevelRuleInput[]): Promise<void> {
  for (const rule of rules) {
    await trx
      .insertInto('onlineLevelRule')
      .values(rule)
      .onConflict((oc) =>
        oc.columns(['scheme', 'level']).doUpdateSet({
          name: rule.name,
          nameEn: rule.nameEn,
          description: rule.description,
          rank: rule.rank,
          legacyEquivalent: rule.legacyEquivalent,
          effectiveFrom: rule.effectiveFrom,
          effectiveTo: rule.effectiveTo,
          legalBasis: rule.legalBasis,
          acceptsOnline: rule.acceptsOnline,
        }),
      )
      .execute();
  }
}
