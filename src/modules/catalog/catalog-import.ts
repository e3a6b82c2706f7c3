// Importing the catalogue: every record is checked first (shape, references, e-form), and only a
// file without a single problem is stored, in one transaction. A record whose content differs
// from the code's latest version becomes a new version: a published version is never edited.
import Ajv from 'ajv';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { translate } from '../../platform/i18n/i18n.js';
import { problemsFromAjvErrors, type AjvError } from '../../platform/validation/ajv-problems.js';
import { parseCatalogText, type CatalogFormat, type ParseProblem } from './catalog-format.js';
import { ProcedureRecordSchema, type ProcedureRecord } from './catalog.schemas.js';
import { checkFormSchema } from './form-schema.js';
import { checkWorkflow } from '../workflow/workflow-steps.js';

const ajv = new Ajv.default({ allErrors: true, strict: false });
const checkRecordShape = ajv.compile(ProcedureRecordSchema);

export interface ImportProblem {
  line: number;
  code?: string | undefined;
  message: string;
}

export interface ImportReport {
  ok: boolean;
  total: number;
  created: number;
  unchanged: number;
  problems: ImportProblem[];
}

interface References {
  fields: Set<string>;
  agencyIds: Map<string, number>;
  onlineLevels: Set<string>;
}

async function loadReferences(db: Kysely<DB>): Promise<References> {
  const [fields, agencies, levels] = await Promise.all([
    db.selectFrom('field').select('code').execute(),
    db.selectFrom('agency').select(['id', 'code']).where('code', 'is not', null).execute(),
    db.selectFrom('onlineLevelRule').select(['scheme', 'level']).execute(),
  ]);
  return {
    fields: new Set(fields.map((f) => f.code)),
    agencyIds: new Map(agencies.map((a) => [a.code as string, a.id])),
    onlineLevels: new Set(levels.map((l) => `${l.scheme}/${l.level}`)),
  };
}

function shapeProblems(line: number, value: unknown): ImportProblem[] {
  if (checkRecordShape(value)) return [];
  const code = typeof (value as { code?: unknown })?.code === 'string' ? (value as { code: string }).code : undefined;
  return problemsFromAjvErrors((checkRecordShape.errors ?? []) as AjvError[]).map((p) => {
    const message = typeof p.message === 'string' ? p.message : translate('vi', p.message.key, p.message.params);
    return { line, code, message: `${p.name || '(bản ghi)'}: ${message}` };
  });
}

function referenceProblems(line: number, record: ProcedureRecord, refs: References): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const add = (message: string) => problems.push({ line, code: record.code, message });
  if (!refs.fields.has(record.fieldCode)) add(`fieldCode: lĩnh vực "${record.fieldCode}" không tồn tại`);
  if (!refs.onlineLevels.has(`${record.onlineLevelScheme}/${record.onlineLevel}`)) {
    add(`onlineLevel: mức độ "${record.onlineLevel}" không có trong quy định "${record.onlineLevelScheme}"`);
  }
  for (const agencyCode of record.agencyCodes) {
    if (!refs.agencyIds.has(agencyCode)) add(`agencyCodes: cơ quan "${agencyCode}" không tồn tại`);
  }
  for (const p of checkFormSchema(record.formSchema)) add(`${p.path}: ${p.message}`);
  if (record.workflow) {
    for (const p of checkWorkflow(record.workflow)) add(p);
    // A step done by another agency (một cửa liên thông) names an agency that must exist.
    const steps = (record.workflow as { steps?: { agency?: unknown }[] }).steps ?? [];
    for (const [i, step] of steps.entries()) {
      if (typeof step.agency === 'string' && !refs.agencyIds.has(step.agency)) add(`workflow.steps.${i}.agency: cơ quan "${step.agency}" không tồn tại`);
    }
  }
  return problems;
}

/** Checks a whole file; returns the valid records only when there is no problem at all. */
export async function validateCatalogText(
  db: Kysely<DB>,
  text: string,
  format: CatalogFormat,
): Promise<{ records: ProcedureRecord[]; problems: ImportProblem[]; total: number }> {
  const parsed = parseCatalogText(text, format);
  const problems: ImportProblem[] = parsed.problems.map((p: ParseProblem) => ({ line: p.line, message: p.message }));
  const refs = await loadReferences(db);
  const records: ProcedureRecord[] = [];
  const seen = new Map<string, number>();
  for (const { line, value } of parsed.records) {
    const shape = shapeProblems(line, value);
    if (shape.length > 0) {
      problems.push(...shape);
      continue;
    }
    const record = value as ProcedureRecord;
    const firstLine = seen.get(record.code);
    if (firstLine !== undefined) problems.push({ line, code: record.code, message: `code: mã thủ tục trùng với dòng ${firstLine}` });
    else seen.set(record.code, line);
    problems.push(...referenceProblems(line, record, refs));
    records.push(record);
  }
  if (parsed.records.length === 0 && problems.length === 0) problems.push({ line: 1, message: 'Tệp không có thủ tục nào' });
  problems.sort((a, b) => a.line - b.line);
  return { records: problems.length ? [] : records, problems, total: parsed.records.length };
}

/** The content of a version, in the import format's terms: what "changed" is measured on. */
export function contentOf(record: ProcedureRecord): string {
  // Top-level keys in a fixed order; nested values compared whole (a replacer array would also
  // filter the nested objects' keys and hide a change to a fee or a form field).
  const { agencyCodes, ...rest } = record;
  const whole: Record<string, unknown> = { ...rest, agencyCodes: [...agencyCodes].sort() };
  return JSON.stringify(Object.fromEntries(Object.keys(whole).sort().map((key) => [key, whole[key]])));
}

export async function storeRecords(
  trx: Transaction<DB>,
  records: ProcedureRecord[],
  agencyIds: Map<string, number>,
  latest: ReadonlyMap<string, { version: number; content: string }>,
  onProgress?: (done: number) => void,
): Promise<{ created: number; unchanged: number }> {
  let created = 0;
  let unchanged = 0;
  for (const [index, record] of records.entries()) {
    const previous = latest.get(record.code);
    if (previous && previous.content === contentOf(record)) {
      unchanged += 1;
    } else {
      const version = (previous?.version ?? 0) + 1;
      if (record.status === 'published') {
        // Only one published version per code: the one it replaces retires (never edited).
        await trx
          .updateTable('procedure')
          .set({ status: 'retired', retiredAt: sql`now()` })
          .where('code', '=', record.code)
          .where('status', '=', 'published')
          .execute();
      }
      const inserted = await trx
        .insertInto('procedure')
        .values({
          code: record.code,
          version,
          status: record.status,
          name: record.name,
          nameEn: record.nameEn,
          fieldCode: record.fieldCode,
          levelOfGovernment: record.levelOfGovernment,
          onlineLevelScheme: record.onlineLevelScheme,
          onlineLevel: record.onlineLevel,
          processingDays: record.processingDays,
          processingNote: record.processingNote,
          fees: JSON.stringify(record.fees),
          feesNote: record.feesNote,
          documents: JSON.stringify(record.documents),
          resultType: record.resultType,
          legalBasis: JSON.stringify(record.legalBasis),
          formSchema: JSON.stringify(record.formSchema),
          workflow: record.workflow ? JSON.stringify(record.workflow) : null,
          provenance: JSON.stringify(record.provenance),
          publishedAt: record.status === 'published' ? new Date() : null,
          retiredAt: record.status === 'retired' ? new Date() : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const agencyRows = [...new Set(record.agencyCodes)].map((code) => ({ procedureId: inserted.id, agencyId: agencyIds.get(code) as number }));
      if (agencyRows.length) await trx.insertInto('procedureAgency').values(agencyRows).execute();
      created += 1;
    }
    onProgress?.(index + 1);
  }
  return { created, unchanged };
}

