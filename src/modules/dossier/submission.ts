// Online submission (level 3): drafts, attachments, submit and withdraw, for the applicant.
// Every use case starts with its access check; another person's dossier answers 404 exactly like
// a missing one. Status changes go through changeStatus (one event per change, in the same
// transaction as the new status, the notifications and the audit entry).
// The audit entry is each transaction's last statement: it takes the audit chain's lock, which is
// held to the commit, so it is held for as short a time as the transaction allows.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { ownerAccountIdOf, requireAccess, type Actor } from '../../platform/access/access.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { localDateOf } from '../calendar/local-date.js';
import { acceptedTypesLabel, MEDIA_TYPES, receiveUpload, safeFileName } from '../document/document.service.js';
import { assignDossierCode } from './dossier-code.js';
import { calendarAround, dueAfterResume, stepDueAfterResume } from './dossier-clock.js';
import { createDossierFeeObligation } from '../payment/payment-obligations.js';
import { checkResultDelivery, type ResultDeliveryInput } from './result-delivery.js';
import type { DossierDeps, RequestMeta } from './dossier-deps.js';
import { attachmentSlots, type AttachmentSlot } from './dossier-slots.js';
import { withdrawableStatuses, type DossierStatus } from './dossier-status.js';
import { changeStatus } from './dossier-transition.js';
import { validateEformData } from './eform/eform-validate.js';
import {
  findDossier,
  findPublishedProcedure,
  getProcedureVersion,
  listAttachments,
  lockDossier,
  type DossierRow,
  type ProcedureForSubmission,
} from './dossier.repository.js';
import { lockDossierForSubmission, ownerProfile, procedureContent } from './submission-queries.js';

/** Form data beyond this size is not a form someone filled in. */
const MAX_DATA_BYTES = 256 * 1024;

export interface DraftInput {
  data?: Record<string, unknown> | undefined;
  agencyCode?: string | undefined;
  currentStep?: number | undefined;
  notify?: { email: boolean; sms: boolean } | undefined;
  /** How the result is to come back: online, at the desk, or by post with the address. */
  resultDelivery?: ResultDeliveryInput | undefined;
}

function ownerOf(actor: Actor): number {
  requireAccess(actor, 'dossier.submit');
  const owner = ownerAccountIdOf(actor);
  if (owner === undefined) throw new AppError('not_found');
  return owner;
}

function actorType(actor: Actor): 'citizen' | 'business' | 'api_token' {
  return actor.kind === 'api_token' ? 'api_token' : actor.kind === 'business' ? 'business' : 'citizen';
}

function actorId(actor: Actor): string {
  return actor.kind === 'api_token' ? String(actor.tokenId) : String(ownerAccountIdOf(actor));
}

function checkDataSize(data: Record<string, unknown>): void {
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) throw new AppError('payload_too_large', 'dossier.error.dataTooLarge');
}

/** The applicant's profile as e-form answers, for the fields the form has (prefill). */
async function prefillFromProfile(deps: DossierDeps, accountId: number, schema: Record<string, unknown>): Promise<Record<string, unknown>> {
  const account = await deps.db.selectFrom('account').select(['fullName', 'idNumber', 'phone', 'email', 'address']).where('id', '=', accountId).executeTakeFirst();
  if (!account) return {};
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const candidates: Record<string, unknown> = {
    applicantName: account.fullName,
    applicantIdNumber: account.idNumber ?? undefined,
    applicantPhone: account.phone ?? undefined,
    applicantEmail: account.email ?? undefined,
  };
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(candidates)) if (value !== undefined && value !== null && name in properties) data[name] = value;
  const address = properties.applicantAddress;
  if (account.address && address?.['x-widget'] === 'address') data.applicantAddress = { street: account.address };
  return data;
}

async function resolveAgency(procedure: ProcedureForSubmission, agencyCode: string | undefined): Promise<number | null | 'unknown'> {
  if (agencyCode === undefined || agencyCode === '') return procedure.agencies.length === 1 ? procedure.agencies[0]!.id : null;
  const agency = procedure.agencies.find((a) => a.code === agencyCode);
  return agency ? agency.id : 'unknown';
}

export async function createDraft(deps: DossierDeps, actor: Actor, input: { procedureCode: string } & DraftInput, meta: RequestMeta): Promise<{ id: string; status: 'draft' }> {
  const owner = ownerOf(actor);
  const procedure = await findPublishedProcedure(deps.db, input.procedureCode);
  if (!procedure) throw new AppError('not_found', 'dossier.error.procedureUnknown', { code: input.procedureCode.slice(0, 40) });
  if (!procedure.acceptsOnline) throw new AppError('unprocessable', 'dossier.error.notOnline');
  const agencyId = await resolveAgency(procedure, input.agencyCode);
  if (agencyId === 'unknown') throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'agencyCode', message: { key: 'dossier.error.agencyUnknown' } }]);
  const data = { ...(await prefillFromProfile(deps, owner, procedure.formSchema)), ...(input.data ?? {}) };
  checkDataSize(data);
  const id = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('dossier')
      .values({
        id,
        procedureId: procedure.id,
        agencyId,
        ownerAccountId: owner,
        businessId: actor.kind === 'business' ? owner : null,
        data: JSON.stringify(data),
        notifyEmail: input.notify?.email ?? true,
        notifySms: input.notify?.sms ?? false,
        updatedAt: new Date(),
      } as never)
      .execute();
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.draft_create', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { procedure: procedure.code } });
  });
  return { id, status: 'draft' };
}

/** The caller's own dossier, or 404 (another person's looks missing). */
export async function getOwnDossier(deps: DossierDeps, actor: Actor, id: string): Promise<DossierRow> {
  const owner = ownerOf(actor);
  const dossier = await findDossier(deps.db, id);
  if (!dossier || dossier.ownerAccountId !== owner) throw new AppError('not_found');
  return dossier;
}

async function lockOwnDossier(trx: Transaction<DB>, actor: Actor, id: string): Promise<DossierRow> {
  const owner = ownerOf(actor);
  const dossier = await lockDossier(trx, id);
  if (!dossier || dossier.ownerAccountId !== owner) throw new AppError('not_found');
  return dossier;
}

/** A draft, or a dossier the office sent back for supplementation (status 5), may be edited. */
function requireDraft(dossier: DossierRow): void {
  if (dossier.status !== 'draft' && dossier.status !== 'supplementation') throw new AppError('conflict', 'dossier.error.notDraft');
}

/** Saves a draft: the data given replaces the stored data (the pages merge a step first). */
export async function saveDraft(deps: DossierDeps, actor: Actor, id: string, input: DraftInput, meta: RequestMeta & { locale?: 'vi' | 'en' }): Promise<DossierRow> {
  if (input.data) checkDataSize(input.data);
  // Checked before the transaction: nothing is stored when the choice is wrong.
  const delivery = input.resultDelivery ? checkResultDelivery(input.resultDelivery, { locale: meta.locale ?? 'vi', communeCodes: await communeCodes(deps) }) : undefined;
  return deps.db.transaction().execute(async (trx) => {
    const dossier = await lockOwnDossier(trx, actor, id);
    requireDraft(dossier);
    const procedure = await getProcedureVersion(trx, dossier.procedureId);
    const changes: Record<string, unknown> = { updatedAt: new Date(), version: dossier.version + 1 };
    if (delivery) {
      changes.resultDelivery = delivery.resultDelivery;
      changes.resultPostAddress = delivery.resultPostAddress ? JSON.stringify(delivery.resultPostAddress) : null;
    }
    if (input.data) changes.data = JSON.stringify(input.data);
    if (input.agencyCode !== undefined) {
      const agencyId = await resolveAgency(procedure, input.agencyCode);
      if (agencyId === 'unknown') throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'agencyCode', message: { key: 'dossier.error.agencyUnknown' } }]);
      changes.agencyId = agencyId;
    }
    if (input.currentStep !== undefined) changes.currentStep = input.currentStep;
    if (input.notify) {
      changes.notifyEmail = input.notify.email;
      changes.notifySms = input.notify.sms;
    }
    await trx.updateTable('dossier').set(changes).where('id', '=', id).execute();
    const saved = (await lockDossier(trx, id))!;
    // The audit entry last: the chain's lock is held from it to the commit.
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.draft_save', objectType: 'dossier', objectId: id, ip: meta.ip ?? null });
    return saved;
  });
}

export async function getSlots(deps: DossierDeps, dossier: DossierRow): Promise<{ procedure: ProcedureForSubmission; slots: AttachmentSlot[] }> {
  const procedure = await getProcedureVersion(deps.db, dossier.procedureId);
  return { procedure, slots: attachmentSlots(procedure.code, procedure.documents) };
}

async function recordAttachment(
  trx: Transaction<DB>,
  dossier: DossierRow,
  file: { slot: number; sha256: string; fileName: string; mediaType: string; size: number },
): Promise<string> {
  await trx.insertInto('storedFile').values({ sha256: file.sha256, size: file.size, mediaType: file.mediaType }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const existing = await trx.selectFrom('dossierAttachment').select('id').where('dossierId', '=', dossier.id).where('slot', '=', file.slot).where('sha256', '=', file.sha256).executeTakeFirst();
  if (existing) return existing.id;
  const id = randomUUID();
  await trx.insertInto('dossierAttachment').values({ id, dossierId: dossier.id, slot: file.slot, sha256: file.sha256, fileName: file.fileName, mediaType: file.mediaType, size: file.size }).execute();
  // Decree 45/2020 art. 11: what a person handed in once is kept in their e-repository for reuse.
  await trx
    .insertInto('repositoryItem')
    .values({ id: randomUUID(), accountId: dossier.ownerAccountId, kind: 'upload', sha256: file.sha256, fileName: file.fileName, mediaType: file.mediaType, size: file.size, title: null })
    .onConflict((oc) => oc.columns(['accountId', 'kind', 'sha256']).doNothing())
    .execute();
  return id;
}

function slotOf(slots: readonly AttachmentSlot[], slot: number): AttachmentSlot {
  const found = slots.find((s) => s.index === slot);
  if (!found) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'slot', message: { key: 'dossier.error.slotUnknown' } }]);
  return found;
}

/**
 * Takes one streamed upload into a slot of a draft. The file is checked (size, type by content,
 * antivirus hook) and stored under its SHA-256 before the database records it, so a record never
 * points at a missing file; identical files are stored once.
 */
export async function addAttachment(
  deps: DossierDeps,
  actor: Actor,
  id: string,
  upload: { slot: number; fileName: string; stream: NodeJS.ReadableStream; truncated?: () => boolean },
  meta: RequestMeta,
): Promise<{ id: string; slot: number; fileName: string; mediaType: string; size: number; sha256: string }> {
  let dossier: DossierRow;
  let slot: AttachmentSlot;
  try {
    dossier = await getOwnDossier(deps, actor, id);
    requireDraft(dossier);
    slot = slotOf((await getSlots(deps, dossier)).slots, upload.slot);
  } catch (error) {
    upload.stream.resume();
    throw error;
  }
  const received = await receiveUpload(upload.stream, { tempDir: deps.tempDir, maxBytes: deps.uploadMaxBytes, accept: slot.accept, scanner: deps.scanner, ...(upload.truncated ? { truncated: upload.truncated } : {}) });
  await deps.storage.putFile(received.sha256, received.tempPath);
  const fileName = safeFileName(upload.fileName);
  const attachmentId = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOwnDossier(trx, actor, id);
    requireDraft(locked);
    const attachment = await recordAttachment(trx, locked, { slot: slot.index, sha256: received.sha256, fileName, mediaType: received.mediaType, size: received.size });
    await trx.updateTable('dossier').set({ updatedAt: new Date() }).where('id', '=', id).execute();
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.attachment_add', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { slot: slot.index, sha256: received.sha256, size: received.size } });
    return attachment;
  });
  return { id: attachmentId, slot: slot.index, fileName, mediaType: received.mediaType, size: received.size, sha256: received.sha256 };
}

/**
 * Stores a scanned document that reception attaches to a walk-in or postal dossier (channel 1 or
 * 3). The caller has checked the officer may receive at the dossier's agency. The file goes
 * through the same checks as an applicant's upload; there is no e-repository to add it to.
 */
export async function addScannedDocument(
  deps: DossierDeps,
  dossier: DossierRow,
  upload: { slot: number; fileName: string; stream: NodeJS.ReadableStream; truncated?: () => boolean },
  officer: { accountId: number },
  meta: RequestMeta,
): Promise<{ id: string; slot: number; fileName: string; mediaType: string; size: number; sha256: string }> {
  const procedure = await getProcedureVersion(deps.db, dossier.procedureId);
  const slots = attachmentSlots(procedure.code, procedure.documents, { paper: true });
  let slot: AttachmentSlot;
  try {
    slot = slotOf(slots, upload.slot);
  } catch (error) {
    upload.stream.resume();
    throw error;
  }
  const received = await receiveUpload(upload.stream, { tempDir: deps.tempDir, maxBytes: deps.uploadMaxBytes, accept: slot.accept, scanner: deps.scanner, ...(upload.truncated ? { truncated: upload.truncated } : {}) });
  await deps.storage.putFile(received.sha256, received.tempPath);
  const fileName = safeFileName(upload.fileName);
  const id = await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('storedFile').values({ sha256: received.sha256, size: received.size, mediaType: received.mediaType }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    const attachmentId = randomUUID();
    await trx.insertInto('dossierAttachment').values({ id: attachmentId, dossierId: dossier.id, slot: slot.index, sha256: received.sha256, fileName, mediaType: received.mediaType, size: received.size }).onConflict((oc) => oc.columns(['dossierId', 'slot', 'sha256']).doNothing()).execute();
    await appendAudit(trx, { actorType: 'officer', actorId: String(officer.accountId), action: 'dossier.scan_add', objectType: 'dossier', objectId: dossier.id, ip: meta.ip ?? null, details: { slot: slot.index, sha256: received.sha256, size: received.size } });
    return attachmentId;
  });
  return { id, slot: slot.index, fileName, mediaType: received.mediaType, size: received.size, sha256: received.sha256 };
}

/** Reuses a file from the applicant's e-repository in a slot, so nothing is asked for twice. */
export async function attachFromRepository(deps: DossierDeps, actor: Actor, id: string, input: { slot: number; itemId: string }, meta: RequestMeta): Promise<string> {
  const dossier = await getOwnDossier(deps, actor, id);
  requireDraft(dossier);
  const slot = slotOf((await getSlots(deps, dossier)).slots, input.slot);
  const item = /^[0-9a-f-]{36}$/i.test(input.itemId)
    ? await deps.db.selectFrom('repositoryItem').selectAll().where('id', '=', input.itemId).where('accountId', '=', dossier.ownerAccountId).executeTakeFirst()
    : undefined;
  if (!item) throw new AppError('not_found');
  if (!slot.accept.some((type) => item.mediaType === MEDIA_TYPES[type])) throw new AppError('unsupported_media_type', 'document.typeNotAllowed', { accepted: acceptedTypesLabel(slot.accept) });
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockOwnDossier(trx, actor, id);
    requireDraft(locked);
    const attachment = await recordAttachment(trx, locked, { slot: slot.index, sha256: item.sha256, fileName: item.fileName, mediaType: item.mediaType, size: Number(item.size) });
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.attachment_reuse', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { slot: slot.index, item: item.id } });
    return attachment;
  });
}


export async function removeAttachment(deps: DossierDeps, actor: Actor, id: string, attachmentId: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const dossier = await lockOwnDossier(trx, actor, id);
    requireDraft(dossier);
    const removed = /^[0-9a-f-]{36}$/i.test(attachmentId)
      ? await trx.deleteFrom('dossierAttachment').where('id', '=', attachmentId).where('dossierId', '=', id).executeTakeFirst()
      : undefined;
    if (!removed || Number(removed.numDeletedRows) !== 1) throw new AppError('not_found');
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.attachment_remove', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { attachment: attachmentId } });
  });
}

/** Every reason a draft cannot be submitted yet, named by field: form answers, agency, files. */
export async function submissionProblems(deps: DossierDeps, dossier: DossierRow, procedure: ProcedureForSubmission, locale: 'vi' | 'en' = 'vi'): Promise<FieldProblem[]> {
  return problemsOf(deps, dossier, procedure, locale, await communeCodes(deps));
}

async function problemsOf(deps: Pick<DossierDeps, 'db'>, dossier: DossierRow, procedure: ProcedureForSubmission, locale: 'vi' | 'en', communes: Map<string, Set<string>>): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = validateEformData(procedure.formSchema, dossier.data, { locale, communeCodes: communes }).map((p) => ({ name: p.name, message: p.message }));
  if (dossier.agencyId === null || !procedure.agencies.some((a) => a.id === dossier.agencyId)) problems.push({ name: 'agencyCode', message: { key: 'dossier.error.agencyRequired' } });
  const required = attachmentSlots(procedure.code, procedure.documents).filter((slot) => slot.required);
  // The attachments are read only when a file is required.
  const attached = required.length ? new Set((await listAttachments(deps.db, dossier.id)).map((a) => a.slot)) : new Set<number>();
  for (const slot of required) {
    if (!attached.has(slot.index)) problems.push({ name: `slot.${slot.index}`, message: { key: 'dossier.error.attachmentMissing', params: { name: slot.name } } });
  }
  return problems;
}

let communeCache: { at: number; map: Map<string, Set<string>> } | undefined;

/** Current provinces → their current communes (two-level government since 1/7/2025). */
export async function communeCodes(deps: Pick<DossierDeps, 'db'>): Promise<Map<string, Set<string>>> {
  if (communeCache && Date.now() - communeCache.at < 60_000) return communeCache.map;
  const today = localDateOf(new Date());
  const rows = await deps.db
    .selectFrom('adminUnit as c')
    .innerJoin('adminUnit as p', 'p.id', 'c.parentId')
    .where('c.level', '=', 'commune')
    .where('p.level', '=', 'province')
    .where('c.validFrom', '<=', today)
    .where((eb) => eb.or([eb('c.validTo', 'is', null), eb('c.validTo', '>=', today)]))
    .select(['p.gsoCode as province', 'c.gsoCode as commune'])
    .execute();
  const map = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = map.get(row.province) ?? new Set<string>();
    set.add(row.commune);
    map.set(row.province, set);
  }
  communeCache = { at: Date.now(), map };
  return map;
}

export interface SubmitResult {
  id: string;
  code: string;
  status: DossierStatus;
  submittedAt: Date;
  dueAt: Date | null;
  replayed: boolean;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * Submits a draft. Idempotent: the dossier row is locked, so of two concurrent submits one codes
 * the dossier and the other finds it submitted and returns the same code (a double click, a
 * reload and a client retry all end with one dossier). The code's serial is taken in the same
 * transaction (Circular 01/2018), with the status-1 event, the notifications and the audit entry.
 *
 * The order is for throughput: the agency's serial of the day is a row lock that every
 * submission to that agency queues on until its commit, so everything that does not need the
 * code (the reads, the form's validation) comes first, and after the serial only the writes that
 * carry the code.
 * The audit entry, which takes the audit chain's lock, is the last statement.
 */
export async function submitDossier(deps: DossierDeps, actor: Actor, id: string, idempotencyKey: string, meta: RequestMeta & { locale?: 'vi' | 'en' }): Promise<SubmitResult> {
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'Idempotency-Key', message: { key: 'dossier.error.idempotencyKey' } }]);
  const owner = ownerOf(actor);
  // Outside the transaction: the pool, cached (PGlite has one connection, held by the transaction).
  const calendar = await calendarAround(deps.db, new Date());
  const communes = await communeCodes(deps);
  return deps.db.transaction().execute(async (trx) => {
    const dossier = await lockDossierForSubmission(trx, id);
    if (!dossier || dossier.ownerAccountId !== owner) throw new AppError('not_found');
    if (dossier.status !== 'draft') {
      return { id, code: dossier.code!, status: dossier.status, submittedAt: dossier.submittedAt!, dueAt: dossier.dueAt, replayed: true };
    }
    const content = await procedureContent(deps.db, trx, dossier.procedureId);
    if (!content) throw new Error(`procedure version ${dossier.procedureId} of dossier ${id} is missing`);
    const procedure: ProcedureForSubmission = { ...content, acceptsOnline: dossier.acceptsOnline, agencies: dossier.agencies };
    if (!procedure.acceptsOnline) throw new AppError('unprocessable', 'dossier.error.notOnline');
    const problems = await problemsOf({ ...deps, db: trx }, dossier, procedure, meta.locale ?? 'vi', communes);
    if (problems.length) throw new AppError('unprocessable', 'dossier.error.invalidData', {}, problems);
    // problemsOf checked the agency is one of the procedure's.
    const agency = procedure.agencies.find((a) => a.id === dossier.agencyId)!;
    const submittedAt = new Date();
    const dueAt = procedure.processingDays === null ? null : calendar.addWorkingDays(submittedAt, procedure.processingDays);
    const data = dossier.data;
    const text = (name: string) => (typeof data[name] === 'string' && data[name] !== '' ? (data[name] as string) : undefined);
    const given = { name: text('applicantName'), idNumber: text('applicantIdNumber'), phone: text('applicantPhone'), email: text('applicantEmail') };
    // The applicant's fields default to the owner's profile (read only when one is missing).
    const profile = Object.values(given).some((v) => v === undefined) ? await ownerProfile(trx, dossier.ownerAccountId) : undefined;
    const { code, ruleId } = await assignDossierCode(trx, agency, submittedAt);
    await changeStatus(trx, deps, {
      dossierId: id,
      from: 'draft',
      to: 'new',
      action: 'submit',
      actor: { type: actorType(actor), id: actorId(actor) },
      agencyId: agency.id,
      idempotencyKey,
      at: submittedAt,
      set: {
        code,
        submittedAt,
        dueAt,
        channel: 2,
        submitKey: idempotencyKey,
        applicantName: given.name ?? profile?.fullName ?? null,
        applicantIdNumber: given.idNumber ?? profile?.idNumber ?? null,
        applicantPhone: given.phone ?? profile?.phone ?? null,
        applicantEmail: given.email ?? profile?.email ?? null,
        ruleVersions: JSON.stringify({ procedureVersion: procedure.version, onlineLevel: procedure.onlineLevel, dossierCodeRule: ruleId, calendar: 'working-days' }),
      },
    });
    // Level 4: the fee lines paid with the submission become the dossier's obligation now, so
    // that the confirmation offers "Thanh toán trực tuyến" (the payment module settles it).
    if (content.submissionFees.length) {
      await createDossierFeeObligation(trx, {}, { dossierId: id, agencyId: agency.id, payerName: given.name ?? profile?.fullName ?? '—', payerIdNumber: given.idNumber ?? profile?.idNumber ?? '', lines: content.submissionFees });
    }
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.submit', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { code, rule: ruleId } });
    return { id, code, status: 'new' as const, submittedAt, dueAt, replayed: false };
  });
}

/**
 * The applicant hands in what the office asked for (status 5 → the status it interrupted). The
 * clock resumes, and the appointment moves by the office time the request was pending. A repeat
 * (the same form sent twice) finds the dossier already resumed and changes nothing.
 */
export async function resubmitDossier(deps: DossierDeps, actor: Actor, id: string, idempotencyKey: string, meta: RequestMeta & { locale?: 'vi' | 'en' }): Promise<{ code: string; status: DossierStatus; replayed: boolean }> {
  if (!IDEMPOTENCY_KEY.test(idempotencyKey)) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'Idempotency-Key', message: { key: 'dossier.error.idempotencyKey' } }]);
  const calendar = await calendarAround(deps.db, new Date());
  return deps.db.transaction().execute(async (trx) => {
    const dossier = await lockOwnDossier(trx, actor, id);
    if (dossier.status !== 'supplementation') {
      const replay = await trx.selectFrom('dossierEvent').select('id').where('dossierId', '=', id).where('idempotencyKey', '=', idempotencyKey).executeTakeFirst();
      if (replay && dossier.code) return { code: dossier.code, status: dossier.status, replayed: true };
      throw new AppError('conflict', 'dossier.error.notSupplementation');
    }
    const procedure = await getProcedureVersion(trx, dossier.procedureId);
    const problems = await submissionProblems({ ...deps, db: trx }, dossier, procedure, meta.locale);
    if (problems.length) throw new AppError('unprocessable', 'dossier.error.invalidData', {}, problems);
    const now = new Date();
    const to: DossierStatus = dossier.pausedFrom ?? 'new';
    const due = await dueAfterResume(trx, calendar, dossier, procedure.processingDays, now);
    // The step's own due time moves by the pause too (as in the workflow's resume).
    const stepDue = await stepDueAfterResume(trx, calendar, { id, stepDueAt: dossier.stepDueAt ? new Date(dossier.stepDueAt) : null }, now);
    await changeStatus(trx, deps, {
      dossierId: id,
      from: 'supplementation',
      to,
      action: 'resubmit',
      actor: { type: actorType(actor), id: actorId(actor) },
      agencyId: dossier.agencyId,
      idempotencyKey,
      at: now,
      set: { pausedFrom: null, ...(due ? { dueAt: due } : {}), ...(stepDue ? { stepDueAt: stepDue } : {}) },
    });
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.resubmit', objectType: 'dossier', objectId: id, ip: meta.ip ?? null, details: { code: dossier.code } });
    return { code: dossier.code!, status: to, replayed: false };
  });
}


/** Withdrawal by the applicant (status 7), possible until the dossier is accepted. */
export async function withdrawDossier(deps: DossierDeps, actor: Actor, id: string, input: { reason: string }, meta: RequestMeta): Promise<void> {
  const reason = input.reason.trim();
  if (reason.length < 3 || reason.length > 1000) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'reason', message: { key: 'dossier.error.reasonRequired' } }]);
  await deps.db.transaction().execute(async (trx) => {
    const dossier = await lockOwnDossier(trx, actor, id);
    if (!withdrawableStatuses.has(dossier.status)) throw new AppError('conflict', 'dossier.error.notWithdrawable');
    await changeStatus(trx, deps, { dossierId: id, from: dossier.status, to: 'withdrawn', action: 'withdraw', actor: { type: actorType(actor), id: actorId(actor) }, agencyId: dossier.agencyId, reason });
    await appendAudit(trx, { actorType: actorType(actor), actorId: actorId(actor), action: 'dossier.withdraw', objectType: 'dossier', objectId: id, ip: meta.ip ?? null });
  });
}

export async function listRepositoryItems(deps: DossierDeps, actor: Actor) {
  const owner = ownerOf(actor);
  return deps.db
    .selectFrom('repositoryItem')
    .select(['id', 'kind', 'sha256', 'fileName', 'mediaType', 'size', 'title', 'createdAt'])
    .where('accountId', '=', owner)
    .orderBy('createdAt', 'desc')
    .execute();
}

/** A file the caller may read: one of their repository items or one attached to their dossier. */
export async function openOwnFile(deps: DossierDeps, actor: Actor, ref: { itemId: string } | { dossierId: string; attachmentId: string }) {
  const owner = ownerOf(actor);
  const row =
    'itemId' in ref
      ? /^[0-9a-f-]{36}$/i.test(ref.itemId)
        ? await deps.db.selectFrom('repositoryItem').select(['sha256', 'fileName', 'mediaType', 'size']).where('id', '=', ref.itemId).where('accountId', '=', owner).executeTakeFirst()
        : undefined
      : /^[0-9a-f-]{36}$/i.test(ref.attachmentId) && /^[0-9a-f-]{36}$/i.test(ref.dossierId)
        ? await deps.db
            .selectFrom('dossierAttachment as t')
            .innerJoin('dossier as d', 'd.id', 't.dossierId')
            .select(['t.sha256', 't.fileName', 't.mediaType', 't.size'])
            .where('t.id', '=', ref.attachmentId)
            .where('d.id', '=', ref.dossierId)
            .where('d.ownerAccountId', '=', owner)
            .executeTakeFirst()
        : undefined;
  if (!row) throw new AppError('not_found');
  return { ...row, size: Number(row.size), stream: deps.storage.createReadStream(row.sha256) };
}

