// What is owed (DOMAIN.md section 8): fee lines of a dossier (phí, lệ phí), and standalone
// obligations a person looks up and pays on /thanh-toan (an administrative fine by its decision
// number, voluntary social insurance, health insurance, a tax). Amounts are integer VND and the
// total is the sum of the lines. The payer's identity number is the proof asked at lookup.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { maskIdNumber } from '../../platform/audit/audit.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import type { MessageKey } from '../../platform/i18n/i18n.js';
import { safeEqual } from '../../platform/security/secrets.js';
import { isDay } from './payment-day.js';
import { auditPayment, systemActor, type PaymentActor } from './payment-transition.js';
import { findObligationByReference, type ObligationRow } from './payment.repository.js';
import { lookupKinds, type ObligationKind, type ObligationLine } from './payment.table.js';

/** The largest obligation the platform records (VND); providers have their own, lower, limits. */
const MAX_TOTAL = 100_000_000_000;
const MAX_LINES = 50;

/** CCCD, tax code or social-insurance code as stored: no spaces, dots or dashes, upper case. */
export function normalizePayerId(value: string): string {
  return value.replace(/[\s.\-]/g, '').toUpperCase();
}

export function isPayerId(value: string): boolean {
  return /^[0-9A-Z]{6,20}$/.test(value);
}

const problem = (name: string, key: MessageKey, params?: Record<string, string | number>): FieldProblem => ({ name, message: params ? { key, params } : { key } });

/** The lines' problems, and their total when there are none. */
export function checkLines(lines: readonly ObligationLine[]): { total: number; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_LINES) problems.push(problem('lines', 'payment.error.lines', { max: MAX_LINES }));
  let total = 0;
  (Array.isArray(lines) ? lines : []).forEach((line, i) => {
    if (typeof line?.label !== 'string' || line.label.trim().length === 0 || line.label.length > 200) problems.push(problem(`lines.${i}.label`, 'payment.error.lineLabel'));
    if (!Number.isSafeInteger(line?.amount) || line.amount <= 0) problems.push(problem(`lines.${i}.amount`, 'payment.error.lineAmount'));
    else total += line.amount;
  });
  if (problems.length === 0 && total > MAX_TOTAL) problems.push(problem('lines', 'payment.error.total'));
  return { total, problems };
}

export interface ObligationInput {
  kind: ObligationKind;
  reference: string;
  description: string;
  payerName: string;
  payerIdNumber: string;
  agencyId: number;
  dossierId?: string | null;
  lines: ObligationLine[];
  dueDate?: string | null;
}

/** Inserts an obligation in the caller's transaction after checking it; audited. */
export async function insertObligation(trx: Transaction<DB>, input: ObligationInput, actor: PaymentActor = systemActor, now: Date = new Date()): Promise<ObligationRow> {
  const { total, problems } = checkLines(input.lines);
  const payerIdNumber = normalizePayerId(input.payerIdNumber ?? '');
  if (!isPayerId(payerIdNumber)) problems.push(problem('payerIdNumber', 'payment.error.payerId'));
  if (!input.payerName?.trim() || input.payerName.length > 200) problems.push(problem('payerName', 'payment.error.payerName'));
  if (!input.reference?.trim() || input.reference.length > 100) problems.push(problem('reference', 'payment.error.reference'));
  if (!input.description?.trim() || input.description.length > 500) problems.push(problem('description', 'payment.error.description'));
  if (input.dueDate !== undefined && input.dueDate !== null && !isDay(input.dueDate)) problems.push(problem('dueDate', 'payment.error.date'));
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const row = await trx
    .insertInto('paymentObligation')
    .values({
      id: randomUUID(),
      kind: input.kind,
      reference: input.reference.trim(),
      description: input.description.trim(),
      payerName: input.payerName.trim(),
      payerIdNumber,
      agencyId: input.agencyId,
      dossierId: input.dossierId ?? null,
      lines: JSON.stringify(input.lines.map((l) => ({ label: l.label.trim(), amount: l.amount }))),
      total,
      dueDate: input.dueDate ?? null,
      updatedAt: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await auditPayment(trx, 'payment.obligation.create', null, { obligationId: row.id, kind: row.kind, reference: row.reference, total, agencyId: row.agencyId, payerIdNumber: maskIdNumber(payerIdNumber) }, actor);
  return row;
}

export interface DossierFeeInput {
  dossierId: string;
  agencyId: number;
  payerName: string;
  payerIdNumber: string;
  lines: ObligationLine[];
  /** What is paid, e.g. "Lệ phí cấp bản sao"; defaults to the fee words and the dossier code. */
  description?: string;
  dueDate?: string | null;
}

/**
 * A fee obligation of a dossier (phí, lệ phí), due at submission or requested by an officer
 * (status 6). Called by the workflow in its own transaction; the reference is the dossier code.
 */
export async function createDossierFeeObligation(trx: Transaction<DB>, deps: { now?: () => Date }, input: DossierFeeInput, actor: PaymentActor = systemActor): Promise<ObligationRow> {
  const dossier = await trx.selectFrom('dossier').select(['code']).where('id', '=', input.dossierId).executeTakeFirst();
  if (!dossier?.code) throw new AppError('not_found');
  return insertObligation(
    trx,
    {
      kind: 'fee',
      reference: dossier.code,
      description: input.description ?? `Phí, lệ phí hồ sơ ${dossier.code}`,
      payerName: input.payerName,
      payerIdNumber: input.payerIdNumber,
      agencyId: input.agencyId,
      dossierId: input.dossierId,
      lines: input.lines,
      dueDate: input.dueDate ?? null,
    },
    actor,
    deps.now?.() ?? new Date(),
  );
}

export interface LookupInput {
  kind: string | undefined;
  reference: string | undefined;
  payerId: string | undefined;
}

/** The lookup form's problems (each field named, in Vietnamese through the catalogue). */
export function lookupProblems(input: LookupInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(lookupKinds as readonly string[]).includes(input.kind ?? '')) problems.push(problem('kind', 'payment.error.kind'));
  const reference = input.reference?.trim() ?? '';
  if (reference.length === 0 || reference.length > 100) problems.push(problem('reference', 'payment.error.reference'));
  if (!isPayerId(normalizePayerId(input.payerId ?? ''))) problems.push(problem('payerId', 'payment.error.payerId'));
  return problems;
}

/** Whether a payer id given as proof is the obligation's (constant time). */
export function payerMatches(obligation: Pick<ObligationRow, 'payerIdNumber'>, payerId: string | undefined): boolean {
  const given = normalizePayerId(payerId ?? '');
  return given.length > 0 && safeEqual(given, obligation.payerIdNumber);
}

/**
 * An obligation for whoever knows its reference (a dossier's fee: the dossier code) and its payer's id. A wrong id and a
 * missing obligation get the same answer, so that the lookup reveals nothing.
 */
export async function lookupObligation(db: Kysely<DB>, input: LookupInput): Promise<ObligationRow> {
  const problems = lookupProblems(input);
  if (problems.length) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);
  const obligation = await findObligationByReference(db, input.kind as ObligationKind, input.reference!);
  if (!obligation || !payerMatches(obligation, input.payerId)) throw new AppError('not_found', 'payment.error.lookupNotFound');
  return obligation;
}
