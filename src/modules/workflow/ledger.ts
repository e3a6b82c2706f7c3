// The tracking ledger (form 06 of Circular 01/2018, "sổ theo dõi hồ sơ"): every dossier received
// in a period by the officer's agencies, with its dates and how the result went back. Exported as
// CSV (UTF-8 with BOM, so that spreadsheet programs show the diacritics) and XLSX.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import { grantsFor, requireAccess, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translator, type Locale, type MessageKey } from '../../platform/i18n/i18n.js';
import { formatDate, formatDateTime } from '../../platform/text/vietnam-time.js';
import { instantAt, isLocalDate, addDays } from '../calendar/local-date.js';
import { statusText, type DossierDeps } from '../dossier/dossier.service.js';

const MAX_DAYS = 366;

export interface LedgerPeriod {
  from: string;
  to: string;
}

const COLUMNS = ['no', 'code', 'procedure', 'applicant', 'contact', 'agency', 'channel', 'receivedAt', 'dueAt', 'doneAt', 'returnedAt', 'delivery', 'status'] as const;

export async function ledgerRows(deps: Pick<DossierDeps, 'db'>, actor: Actor, period: LedgerPeriod, locale: Locale) {
  requireAccess(actor, 'dossier.read');
  const problems = [];
  if (!isLocalDate(period.from)) problems.push({ name: 'from', message: { key: 'workflow.ledger.date' as MessageKey } });
  if (!isLocalDate(period.to)) problems.push({ name: 'to', message: { key: 'workflow.ledger.date' as MessageKey } });
  if (!problems.length && (period.to < period.from || period.to > addDays(period.from, MAX_DAYS))) problems.push({ name: 'to', message: { key: 'workflow.ledger.range' as MessageKey, params: { max: MAX_DAYS } } });
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const paths = grantsFor(actor, 'dossier.read').map((g) => g.agencyPath);
  const rows = await deps.db
    .selectFrom('dossier as d')
    .innerJoin('agency as a', 'a.id', 'd.agencyId')
    .innerJoin('procedure as p', 'p.id', 'd.procedureId')
    .where('d.status', '<>', 'draft')
    .where(sql<boolean>`(${sql.join(paths.map((p) => sql`a.path <@ ${p}::ltree`), sql` or `)})`)
    .where('d.submittedAt', '>=', instantAt(period.from, 0))
    .where('d.submittedAt', '<', instantAt(addDays(period.to, 1), 0))
    .select([
      'd.code',
      'd.status',
      'd.channel',
      'd.applicantName',
      'd.applicantPhone',
      'd.submittedAt',
      'd.dueAt',
      'd.resultDelivery',
      'p.name as procedureName',
      'a.name as agencyName',
      sql<Date | null>`(select min(e.at) from dossier_event e where e.dossier_id = d.id and e.to_status = 'done')`.as('doneAt'),
      sql<Date | null>`(select min(e.at) from dossier_event e where e.dossier_id = d.id and e.to_status = 'returned')`.as('returnedAt'),
    ])
    .orderBy('d.submittedAt')
    .execute();
  const t = translator(locale);
  const when = (v: Date | null) => (v ? formatDateTime(locale, new Date(v)) : '');
  const header = COLUMNS.map((c) => t(`workflow.ledger.col.${c}` as MessageKey));
  const body = rows.map((r, i) => [
    String(i + 1),
    r.code ?? '',
    r.procedureName,
    r.applicantName ?? '',
    r.applicantPhone ?? '',
    r.agencyName,
    t(`workflow.ledger.channel.${r.channel}` as MessageKey),
    when(r.submittedAt),
    r.dueAt ? formatDate(locale, new Date(r.dueAt)) : '',
    when(r.doneAt),
    when(r.returnedAt),
    r.resultDelivery ? t(`workflow.ledger.delivery.${r.resultDelivery}` as MessageKey) : '',
    statusText(locale, r.status),
  ]);
  return { header, body, title: t('workflow.ledger.title', { from: period.from, to: period.to }) };
}

export function ledgerCsv(ledger: { header: string[]; body: string[][] }): Buffer {
  return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify([ledger.header, ...ledger.body]))]);
}

export async function ledgerXlsx(ledger: { header: string[]; body: string[][]; title: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MộtCửa';
  const sheet = workbook.addWorksheet('Mẫu số 06');
  sheet.addRow([ledger.title]).font = { bold: true, size: 13 };
  sheet.addRow([]);
  const head = sheet.addRow(ledger.header);
  head.font = { bold: true };
  for (const row of ledger.body) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(45, Math.max(8, ...[ledger.header[i] ?? '', ...ledger.body.map((r) => r[i] ?? '')].map((v) => v.length + 2)));
  });
  sheet.views = [{ state: 'frozen', ySplit: 3 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
