// Row → response whitelists: nothing leaves the server that is not named here.
import type { Locale } from '../../platform/i18n/i18n.js';
import type { ProcedureDetail, ProcedureRecord, ProcedureSummary } from './catalog.schemas.js';
import type { ProcedureSearchRow } from './catalog.repository.js';
import type { ProcedureTable } from './catalog.table.js';
import type { Selectable } from 'kysely';

type ProcedureRow = Selectable<ProcedureTable>;

function confidenceOf(value: string | null | undefined): 'high' | 'medium' | 'low' | null {
  return value === 'high' || value === 'medium' || value === 'low' ? value : null;
}

export function presentSummary(row: ProcedureSearchRow, locale: Locale = 'vi'): ProcedureSummary {
  return {
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    field: { code: row.fieldCode, name: locale === 'en' ? row.fieldNameEn : row.fieldName },
    agency: row.agencyName ? { code: row.agencyCode, name: locale === 'en' && row.agencyNameEn ? row.agencyNameEn : row.agencyName } : null,
    agencyCount: row.agencyCount ?? 0,
    levelOfGovernment: row.levelOfGovernment,
    onlineLevel: row.onlineLevel,
    processingDays: row.processingDays,
    confidence: confidenceOf(row.confidence),
  };
}

export interface DetailRow extends ProcedureRow {
  fieldName: string;
  fieldNameEn: string;
  onlineLevelName: string;
  onlineLevelNameEn: string;
  legacyEquivalent: string | null;
}

export function presentDetail(
  row: DetailRow,
  agencies: { code: string | null; name: string; nameEn: string | null }[],
  locale: Locale,
): ProcedureDetail {
  return {
    code: row.code,
    version: row.version,
    name: row.name,
    nameEn: row.nameEn,
    field: { code: row.fieldCode, name: locale === 'en' ? row.fieldNameEn : row.fieldName },
    levelOfGovernment: row.levelOfGovernment,
    agencies: agencies.map((a) => ({ code: a.code, name: locale === 'en' && a.nameEn ? a.nameEn : a.name })),
    onlineLevel: {
      scheme: row.onlineLevelScheme,
      level: row.onlineLevel,
      name: locale === 'en' ? row.onlineLevelNameEn : row.onlineLevelName,
      legacyEquivalent: row.legacyEquivalent,
    },
    processingDays: row.processingDays,
    processingNote: row.processingNote,
    fees: row.fees,
    feesNote: row.feesNote,
    documents: row.documents,
    resultType: row.resultType,
    legalBasis: row.legalBasis,
    formSchema: row.formSchema,
    hasWorkflow: row.workflow !== null,
    provenance: row.provenance,
    publishedAt: row.publishedAt ? new Date(row.publishedAt).toISOString() : null,
  };
}

/** A stored version in the import/export format, so that export → import is lossless. */
export function toRecord(row: ProcedureRow, agencyCodes: string[]): ProcedureRecord {
  return {
    code: row.code,
    status: row.status,
    name: row.name,
    nameEn: row.nameEn,
    fieldCode: row.fieldCode,
    levelOfGovernment: row.levelOfGovernment,
    onlineLevelScheme: row.onlineLevelScheme,
    onlineLevel: row.onlineLevel,
    processingDays: row.processingDays,
    processingNote: row.processingNote,
    fees: row.fees,
    feesNote: row.feesNote,
    documents: row.documents,
    resultType: row.resultType,
    legalBasis: row.legalBasis,
    agencyCodes,
    formSchema: row.formSchema,
    ...(row.workflow ? { workflow: row.workflow } : {}),
    provenance: row.provenance,
  };
}
