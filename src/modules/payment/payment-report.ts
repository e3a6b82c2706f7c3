// The daily reconciliation report per agency (issue #6): every attempt of the day for the
// agency's obligations, with the provider's reference and the provider's own view beside ours, and
// a flag wherever the two books disagree. For the officers of that agency (dossier.read); as CSV
// (UTF-8 with BOM, for spreadsheet programs) and XLSX, like the dossier ledger (form 06).
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import { grantsFor, requireAccess, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translator, type Locale, type MessageKey } from '../../platform/i18n/i18n.js';
import { formatDateTime } from '../../platform/text/vietnam-time.js';
import type { PaymentDeps } from './payment-deps.js';
import type { ProviderOutcome } from './payment-provider.js';
import type { PaymentState } from './payment-states.js';
import { isDay } from './payment-day.js';

export const reportFlags = ['open_past_deadline', 'refund_due', 'amount_mismatch', 'state_mismatch', 'not_credited', 'no_provider_ref'] as const;
export type ReportFlag = (typeof reportFlags)[number];

export interface ReportRow {
  id: string;
  txnRef: string;
  provider: string;
  providerRef: string | null;
  bankCode: string | null;
  kind: string;
  reference: string;
  payerName: string;
  amount: number;
  state: PaymentState;
  providerStatus: ProviderOutcome | null;
  providerAmount: number | null;
  refundDue: boolean;
  paidPaymentId: string | null;
  createdAt: Date;
  paidAt: Date | null;
  expiresAt: Date;
  agencyId: number;
  agencyCode: string | null;
  agencyName: string;
  agencyPath: string;
}

// Which provider views agree with each of our states.
const agreeing: Record<PaymentState, readonly ProviderOutcome[]> = {
  created: ['pending', 'not_found'],
  pending: ['pending', 'not_found'],
  paid: ['paid'],
  failed: ['failed'],
  expired: ['pending', 'not_found', 'failed'],
  refunded: ['refunded'],
};

/** Where our book and the provider's disagree, or something is still owed to someone. */
export function paymentFlags(row: Pick<ReportRow, 'id' | 'state' | 'providerStatus' | 'providerAmount' | 'amount' | 'refundDue' | 'paidPaymentId' | 'providerRef' | 'expiresAt'>, now: Date): ReportFlag[] {
  const flags: ReportFlag[] = [];
  if ((row.state === 'created' || row.state === 'pending') && now > new Date(row.expiresAt)) flags.push('open_past_deadline');
  if (row.refundDue) flags.push('refund_due');
  if (row.providerAmount !== null && row.providerAmount !== row.amount) flags.push('amount_mismatch');
  if (row.providerStatus !== null && !agreeing[row.state].includes(row.providerStatus)) flags.push('state_mismatch');
  if (row.state === 'paid' && !row.refundDue && row.paidPaymentId !== row.id) flags.push('not_credited');
  if (row.state === 'paid' && !row.providerRef) flags.push('no_provider_ref');
  return flags;
}

function rowsQuery(deps: Pick<PaymentDeps, 'db'>) {
  return deps.db
    .selectFrom('payment as p')
    .innerJoin('paymentObligation as o', 'o.id', 'p.obligationId')
    .innerJoin('agency as a', 'a.id', 'o.agencyId')
    .select([
      'p.id',
      'p.txnRef',
      'p.provider',
      'p.providerRef',
      'p.bankCode',
      'o.kind',
      'o.reference',
      'o.payerName',
      'p.amount',
      'p.state',
      'p.providerStatus',
      'p.providerAmount',
      'p.refundDue',
      'o.paidPaymentId',
      'p.createdAt',
      'p.paidAt',
      'p.expiresAt',
      'a.id as agencyId',
      'a.code as agencyCode',
      'a.name as agencyName',
      sql<string>`a.path::text`.as('agencyPath'),
    ])
    .orderBy('p.createdAt');
}

function checkDate(date: string | undefined): string {
  if (!isDay(date)) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'date', message: { key: 'payment.error.date' } }]);
  return date;
}

/** The day's attempts at every agency the officer reads dossiers of (the back-office page). */
export async function listDayPayments(deps: Pick<PaymentDeps, 'db'>, actor: Actor, date: string | undefined): Promise<ReportRow[]> {
  requireAccess(actor, 'dossier.read');
  const day = checkDate(date);
  const paths = grantsFor(actor, 'dossier.read').map((g) => g.agencyPath);
  if (paths.length === 0) return [];
  return (await rowsQuery(deps)
    .where('p.txnDay', '=', day)
    .where(sql<boolean>`(${sql.join(paths.map((p) => sql`a.path <@ ${p}::ltree`), sql` or `)})`)
    .limit(2000)
    .execute()) as ReportRow[];
}

export interface ReconciliationReport {
  title: string;
  header: string[];
  body: string[][];
  rows: ReportRow[];
}

const COLUMNS = ['no', 'txnRef', 'provider', 'providerRef', 'bank', 'kind', 'reference', 'payer', 'amount', 'state', 'providerStatus', 'createdAt', 'paidAt', 'flags'] as const;

export async function reconciliationReport(deps: Pick<PaymentDeps, 'db' | 'now'>, actor: Actor, query: { date?: string | undefined; agency?: string | undefined }, locale: Locale): Promise<ReconciliationReport> {
  requireAccess(actor, 'dossier.read');
  const problems = [];
  if (!isDay(query.date)) problems.push({ name: 'date', message: { key: 'payment.error.date' as MessageKey } });
  if (!query.agency || query.agency.length > 40) problems.push({ name: 'agency', message: { key: 'payment.error.agency' as MessageKey } });
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const agency = await deps.db.selectFrom('agency').select(['id', 'code', 'name', sql<string>`path::text`.as('path')]).where('code', '=', query.agency!).executeTakeFirst();
  if (!agency) throw new AppError('not_found');
  // Only the agency's own officers (and those above it): another agency's report answers 404.
  requireAccess(actor, 'dossier.read', { agencyPath: agency.path });
  const rows = (await rowsQuery(deps).where('p.txnDay', '=', query.date!).where('o.agencyId', '=', agency.id).execute()) as ReportRow[];
  const t = translator(locale);
  const now = deps.now();
  const vnd = new Intl.NumberFormat('vi-VN');
  const body = rows.map((r, i) => [
    String(i + 1),
    r.txnRef,
    t(`payment.provider.${r.provider}` as MessageKey),
    r.providerRef ?? '',
    r.bankCode ?? '',
    t(`payment.kind.${r.kind}` as MessageKey),
    r.reference,
    r.payerName,
    vnd.format(r.amount),
    t(`payment.state.${r.state}` as MessageKey),
    r.providerStatus ? t(`payment.providerStatus.${r.providerStatus}` as MessageKey) : '',
    formatDateTime(locale, new Date(r.createdAt)),
    r.paidAt ? formatDateTime(locale, new Date(r.paidAt)) : '',
    paymentFlags(r, now)
      .map((f) => t(`payment.flag.${f}` as MessageKey))
      .join('; '),
  ]);
  const paid = rows.filter((r) => r.state === 'paid').reduce((sum, r) => sum + r.amount, 0);
  const footer = ['', '', '', '', '', '', '', t('payment.report.totalPaid'), vnd.format(paid), '', '', '', '', ''];
  return {
    title: t('payment.report.title', { agency: agency.name, date: query.date! }),
    header: COLUMNS.map((c) => t(`payment.report.col.${c}` as MessageKey)),
    body: rows.length ? [...body, footer] : body,
    rows,
  };
}

export function reportCsv(report: { header: string[]; body: string[][] }): Buffer {
  return Buffer.concat([Buffer.from('\ufeff'), Buffer.from(stringify([report.header, ...report.body]))]);
}

export async function reportXlsx(report: { title: string; header: string[]; body: string[][] }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MộtCửa';
  const sheet = workbook.addWorksheet('Đối soát');
  sheet.addRow([report.title]).font = { bold: true, size: 13 };
  sheet.addRow([]);
  sheet.addRow(report.header).font = { bold: true };
  for (const row of report.body) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(45, Math.max(8, ...[report.header[i] ?? '', ...report.body.map((r) => r[i] ?? '')].map((v) => v.length + 2)));
  });
  sheet.views = [{ state: 'frozen', ySplit: 3 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
