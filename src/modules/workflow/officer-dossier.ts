// What the back office's pages show beyond workflow.service: the procedures and step names of the
// inbox, and for one dossier its timeline, files, clock in working time, assignees and address
// names, and the one-stop forms 01–05 filled in from the dossier and its events. Reads only; the
// access check is getOfficerDossier's (another agency's dossier answers 404 before anything here).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { grantsFor, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translator, type Locale, type MessageKey } from '../../platform/i18n/i18n.js';
import { timeliness, type WorkingDays } from '../calendar/calendar.service.js';
import { renderOfficialPdf } from '../document/document.service.js';
import {
  attachmentSlots,
  calendarAround,
  listAttachments,
  listDossierEvents,
  pausingStatuses,
  trackingUrl,
  type AddressChoices,
  type AttachmentSlot,
  type DossierDeps,
  type DossierStatus,
} from '../dossier/dossier.service.js';
import { apologyLetter, controlSlip, receiptAndAppointment, refusalNotice, supplementationRequest, type FormDossier, type Handover, type Timeliness } from './forms.js';
import { budgetMinutes, stepById, workflowOf } from './workflow-steps.js';
import { feesOfDossier, type FeeLine } from './dossier-fees.js';
import { getOfficerDossier, listAssignees } from './workflow.service.js';

export type OfficerView = Awaited<ReturnType<typeof getOfficerDossier>>;
export type DossierEvent = Awaited<ReturnType<typeof listDossierEvents>>[number];
export type Attachment = Awaited<ReturnType<typeof listAttachments>>[number];

export const officerForms = ['01', '02', '03', '04', '05'] as const;
export type OfficerForm = (typeof officerForms)[number];

export function isOfficerForm(value: string): value is OfficerForm {
  return (officerForms as readonly string[]).includes(value);
}

// ---------- the inbox ----------

/** The procedures of the dossiers the officer may read, for the inbox's filter. */
export async function inboxProcedures(db: Kysely<DB>, actor: Actor): Promise<{ code: string; name: string }[]> {
  const paths = grantsFor(actor, 'dossier.read').map((g) => g.agencyPath);
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('dossier as d')
    .innerJoin('agency as a', 'a.id', 'd.agencyId')
    .leftJoin('agency as h', 'h.id', 'd.handlingAgencyId')
    .innerJoin('procedure as p', 'p.id', 'd.procedureId')
    .where('d.status', '<>', 'draft')
    // Its own agency's, or sent to it for a step (liên thông), as the inbox.
    .where(sql<boolean>`(${sql.join(paths.map((p) => sql`a.path <@ ${p}::ltree or h.path <@ ${p}::ltree`), sql` or `)})`)
    .select(['p.code', 'p.name'])
    .distinct()
    .orderBy('p.code')
    .execute();
  const byCode = new Map<string, string>();
  for (const r of rows) if (!byCode.has(r.code)) byCode.set(r.code, r.name);
  return [...byCode].map(([code, name]) => ({ code, name }));
}

/** Step id → step name, per procedure code (every version's workflow; the default's names too). */
export async function stepNames(db: Kysely<DB>, procedureCodes: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const names = new Map<string, Map<string, string>>();
  if (procedureCodes.length === 0) return names;
  const rows = await db.selectFrom('procedure').select(['code', 'workflow', 'processingDays']).where('code', 'in', [...new Set(procedureCodes)]).execute();
  for (const r of rows) {
    const map = names.get(r.code) ?? new Map<string, string>();
    for (const step of workflowOf(r.workflow, r.processingDays).steps) if (!map.has(step.id)) map.set(step.id, step.name);
    names.set(r.code, map);
  }
  return names;
}

// ---------- the dossier's clock ----------

export interface DueClock {
  due: Date | null;
  /** active: the clock runs (new, accepted, processing); paused: 5, 6, 8; finished: the rest. */
  state: 'active' | 'paused' | 'finished';
  /** As in the inbox: overdue, or due within 2 working days. Only while the clock runs. */
  flag: 'overdue' | 'due_soon' | null;
  /** Office time left (or past the due instant), in working days or, under one day, hours. */
  remaining: { unit: 'days' | 'hours'; n: number; late: boolean } | null;
}

const ACTIVE: readonly DossierStatus[] = ['new', 'accepted', 'processing'];

export function dueClock(status: DossierStatus, due: Date | null, calendar: WorkingDays, now: Date): DueClock {
  const state = ACTIVE.includes(status) ? 'active' : pausingStatuses.has(status) ? 'paused' : 'finished';
  if (!due || state !== 'active') return { due, state, flag: null, remaining: null };
  const late = due <= now;
  const flag = late ? 'overdue' : due <= calendar.addWorkingDays(now, 2) ? 'due_soon' : null;
  const minutes = late ? calendar.officeMinutesBetween(due, now) : calendar.officeMinutesBetween(now, due);
  const remaining =
    minutes >= calendar.officeDayMinutes
      ? { unit: 'days' as const, n: Math.round((minutes / calendar.officeDayMinutes) * 10) / 10, late }
      : minutes > 0
        ? { unit: 'hours' as const, n: Math.round((minutes / 60) * 10) / 10, late }
        : null;
  return { due, state, flag, remaining };
}

// ---------- the dossier page ----------

export interface OfficerDossierPage {
  view: OfficerView;
  events: DossierEvent[];
  attachments: Attachment[];
  slots: AttachmentSlot[];
  assignees: { id: number; fullName: string }[];
  address: AddressChoices;
  calendar: WorkingDays;
  clock: DueClock;
  /** The current step's own due instant, and whether it has passed. */
  stepDue: { at: Date; late: boolean } | null;
  forms: OfficerForm[];
  /** The procedure's fee lines, when the officer may ask for them (status 6). */
  fees: FeeLine[];
  /** The dossier's fee obligations (paid with the submission or asked for in status 6) and their state. */
  obligations: { total: number; status: string }[];
  now: Date;
}

export async function loadOfficerDossier(deps: DossierDeps, actor: Actor, code: string, now = new Date()): Promise<OfficerDossierPage> {
  const view = await getOfficerDossier(deps, actor, code);
  const id = view.dossier.id;
  const events = await listDossierEvents(deps.db, id);
  const attachments = await listAttachments(deps.db, id);
  const calendar = await calendarAround(deps.db, now);
  const assignees = view.actions.includes('assign') ? await listAssignees(deps.db, view.agency.path) : [];
  const d = view.dossier;
  const due = d.dueAt ? new Date(d.dueAt) : null;
  const stepDueAt = d.stepDueAt ? new Date(d.stepDueAt) : null;
  const clock = dueClock(d.status, due, calendar, now);
  return {
    view,
    events,
    attachments,
    // A walk-in or postal dossier's declaration form comes on paper and is scanned into its slot.
    slots: attachmentSlots(view.procedure.code, view.procedure.documents, { paper: d.channel !== 2 }),
    assignees,
    address: await addressNames(deps.db, { ...d.data, resultPostAddress: d.resultPostAddress }),
    calendar,
    clock,
    stepDue: stepDueAt && d.workflowStep && clock.state === 'active' ? { at: stepDueAt, late: stepDueAt <= now } : null,
    forms: availableForms(view, events),
    fees: view.actions.includes('request_payment') ? await feesOfDossier(deps.db, d.procedureId) : [],
    obligations: await deps.db.selectFrom('paymentObligation').select(['total', 'status']).where('dossierId', '=', id).orderBy('createdAt').execute(),
    now,
  };
}

/** The provinces and communes an answer names (codes → names), in the shape eformAnswerRows reads. */
async function addressNames(db: Kysely<DB>, data: Record<string, unknown>): Promise<AddressChoices> {
  const pairs: { province: string | undefined; commune: string | undefined }[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const province = typeof record.provinceCode === 'string' ? record.provinceCode : undefined;
    const commune = typeof record.communeCode === 'string' ? record.communeCode : undefined;
    if (province || commune) pairs.push({ province, commune });
    Object.values(record).forEach(walk);
  };
  walk(data);
  const codes = [...new Set(pairs.flatMap((p) => [p.province, p.commune]).filter((c): c is string => Boolean(c)))];
  if (codes.length === 0) return { provinces: [] };
  // The newest unit of each code (a code keeps its name across a reorganisation, or gets a new one).
  const units = await db.selectFrom('adminUnit').select(['gsoCode', 'name']).where('gsoCode', 'in', codes).orderBy('validFrom', 'desc').execute();
  const names = new Map<string, string>();
  for (const u of units) if (!names.has(u.gsoCode)) names.set(u.gsoCode, u.name);
  const provinces = new Map<string, { code: string; name: string; communes: { code: string; name: string }[] }>();
  for (const { province, commune } of pairs) {
    const key = province ?? '';
    const entry = provinces.get(key) ?? { code: key, name: province ? (names.get(province) ?? province) : '', communes: [] };
    if (commune && !entry.communes.some((c) => c.code === commune)) entry.communes.push({ code: commune, name: names.get(commune) ?? commune });
    provinces.set(key, entry);
  }
  return { provinces: [...provinces.values()] };
}

/** "Street, commune, province" of an address answer. */
function addressText(value: unknown, address: AddressChoices): string | null {
  if (!value || typeof value !== 'object') return typeof value === 'string' && value.trim() ? value.trim() : null;
  const v = value as Record<string, unknown>;
  const province = address.provinces.find((p) => p.code === v.provinceCode);
  const commune = address.provinces.flatMap((p) => p.communes).find((c) => c.code === v.communeCode);
  const parts = [typeof v.street === 'string' ? v.street.trim() : '', commune?.name ?? '', province?.name ?? ''].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** Where the result goes by post: recipient, phone, then the address in words. */
export function postAddressText(page: OfficerDossierPage): string | null {
  const post = page.view.dossier.resultPostAddress;
  if (!post) return null;
  return [post.recipient, post.phone, addressText(post, page.address)].filter(Boolean).join(', ');
}

const last = (events: readonly DossierEvent[], action: string) => events.filter((e) => e.action === action).at(-1);

/** The forms a dossier has, from what happened to it. */
export function availableForms(view: OfficerView, events: readonly DossierEvent[]): OfficerForm[] {
  const d = view.dossier;
  const forms: OfficerForm[] = [];
  if (d.acceptedAt) forms.push('01');
  if (d.supplementItems?.length && last(events, 'request_supplement')) forms.push('02');
  if (last(events, 'refuse')?.reason) forms.push('03');
  if (d.apologizedAt && last(events, 'apologize')?.reason) forms.push('04');
  forms.push('05');
  return forms;
}

// ---------- the forms ----------

/** "UBND phường Mỹ Tho" → "Mỹ Tho": the place written before the date (as on the acknowledgement). */
function placeName(agencyName: string): string {
  const local = agencyName.split(',')[0]!.trim();
  return local.replace(/^(UBND|Ủy ban nhân dân)\s+/iu, '').replace(/^(tỉnh|thành phố|phường|xã|đặc khu|thị trấn|quận|huyện|thị xã)\s+/iu, '');
}

const HANDOVERS = new Set(['submit', 'accept', 'assign', 'forward', 'send_back', 'approve', 'mark_done', 'return_result']);
const FINISHED: readonly DossierStatus[] = ['refused', 'withdrawn', 'returned'];
const timelinessWord = { early: 'early', 'on-time': 'on_time', late: 'late' } as const satisfies Record<string, Timeliness>;

/**
 * Form 05's rows: one per hand-over (submission, acceptance, assignment, forwarding, sending back,
 * approval, return). Each row is the step handed into, with its own due instant; it is judged
 * against the next hand-over (early, on time, late), or is pending while it is the current step.
 * The reception step's due instant is its budget from submission (submission records none).
 */
export function handovers(page: OfficerDossierPage, locale: Locale): Handover[] {
  const t = translator(locale);
  const { view, events, calendar } = page;
  const d = view.dossier;
  const applicant = d.applicantName ?? '—';
  const rows = events.filter((e) => HANDOVERS.has(e.action));
  const finishedAt = FINISHED.includes(d.status) ? events.at(-1)?.at : undefined;
  // The applicant hands the dossier to the desk; the officer who then acted on it received it.
  const receptionist = events.find((e) => ['accept', 'request_supplement', 'refuse'].includes(e.action) && e.fromStatus === 'new')?.actorName ?? undefined;
  // One slip spans every agency a liên thông dossier passed through (Decree 61/2018 art. 21–22):
  // then each giver and receiver carries the agency where they stood.
  const spansAgencies = new Set(events.map((e) => e.agencyName).filter(Boolean)).size > 1;
  const withAgency = (name: string, agency: string | null | undefined) => (spansAgencies && agency ? `${name} (${agency})` : name);
  return rows.map((e, i) => {
    const before = events[events.indexOf(e) - 1];
    const at = new Date(e.at);
    const returning = e.action === 'return_result';
    const lastDue = latestStepDue(events, e);
    const step = e.action === 'submit' ? (stepById(view.workflow, 'reception') ?? view.workflow.steps[0]) : stepById(view.workflow, e.step);
    const stepDueAt = returning
      ? d.dueAt
        ? new Date(d.dueAt)
        : null
      : lastDue
        ? new Date(lastDue)
        : e.action === 'submit' && step
          ? calendar.addOfficeTime(at, budgetMinutes(step))
          : null;
    const next = rows[i + 1]?.at ?? finishedAt;
    const end = returning ? at : next ? new Date(next) : undefined;
    const judged: Timeliness = end === undefined ? 'pending' : stepDueAt ? timelinessWord[timeliness(end, stepDueAt)] : 'on_time';
    return {
      step: returning ? t('workflow.slip.return') : (step?.name ?? '—'),
      giver: e.action === 'submit' ? (e.actorName ?? applicant) : withAgency(e.actorName ?? '—', before?.agencyName),
      receiver: returning ? applicant : withAgency(e.receiverName ?? (e.action === 'submit' ? receptionist : undefined) ?? (step ? t(`role.${step.role}` as MessageKey) : '—'), e.agencyName),
      at,
      stepDueAt,
      timeliness: judged,
      note: e.reason,
    };
  });
}

/** A step's due instant as it last stood before the next hand-over: resuming from a pause moves
 *  it by the pause (DOMAIN.md §5), and the resume event records where it moved to. */
function latestStepDue(events: readonly DossierEvent[], handover: DossierEvent): Date | string | null {
  let due = handover.stepDueAt;
  for (const e of events.slice(events.indexOf(handover) + 1)) {
    if (HANDOVERS.has(e.action)) break;
    if (e.stepDueAt && e.step === handover.step) due = e.stepDueAt;
  }
  return due;
}

/** The appointment an apology replaced: the working days from acceptance, pauses before it taken out. */
function formerDue(page: OfficerDossierPage, apology: DossierEvent, newDue: Date): Date | null {
  const d = page.view.dossier;
  const days = page.view.procedure.processingDays;
  if (days === null || !d.acceptedAt) return null;
  const until = new Date(apology.at);
  const pauses: { from: Date; to: Date }[] = [];
  for (const e of page.events) {
    const at = new Date(e.at);
    if (at >= until) break;
    if (pausingStatuses.has(e.toStatus) && !pausingStatuses.has(e.fromStatus ?? 'draft')) pauses.push({ from: at, to: until });
    else if (e.fromStatus && pausingStatuses.has(e.fromStatus) && !pausingStatuses.has(e.toStatus) && pauses.length) pauses[pauses.length - 1]!.to = at;
  }
  try {
    const due = page.calendar.dueAfterPauses(new Date(d.acceptedAt), days, pauses);
    return due && due < newDue ? due : null;
  } catch {
    return null; // beyond the loaded calendar years: the letter goes without the former date
  }
}

/** Renders one of forms 01–05 for the dossier; 404 when the dossier does not have that form. */
export async function renderOfficerForm(deps: DossierDeps, page: OfficerDossierPage, form: OfficerForm, locale: Locale, viewer: string): Promise<Buffer> {
  if (!page.forms.includes(form)) throw new AppError('not_found');
  const t = translator(locale);
  const { view, events, attachments } = page;
  const d = view.dossier;
  const parent = await deps.db.selectFrom('agency as a').innerJoin('agency as p', 'p.id', 'a.parentId').select('p.name').where('a.id', '=', view.agency.id).executeTakeFirst();
  const files = new Map<number, string[]>();
  for (const a of attachments) files.set(a.slot, [...(files.get(a.slot) ?? []), a.fileName]);
  const accepted = last(events, 'accept');
  const base = (officer: string | null | undefined, issuedAt?: Date): FormDossier => ({
    code: d.code!,
    procedureName: locale === 'en' && view.procedure.nameEn ? view.procedure.nameEn : view.procedure.name,
    agencyName: view.agency.name,
    ...(parent ? { parentAgencyName: parent.name } : {}),
    place: placeName(view.agency.name),
    applicant: { name: d.applicantName ?? '—', idNumber: d.applicantIdNumber, phone: d.applicantPhone, email: d.applicantEmail, address: addressText(d.data.applicantAddress, page.address) },
    receivedAt: new Date(d.submittedAt ?? d.createdAt),
    dueAt: d.dueAt ? new Date(d.dueAt) : null,
    trackingUrl: trackingUrl(deps.publicUrl, d.code!),
    documents: view.procedure.documents.flatMap((doc, index) =>
      files.has(index) ? [{ name: doc.name, quantity: doc.quantity, form: t(`procedure.form.${doc.form}` as MessageKey), files: files.get(index)! }] : [],
    ),
    officer: { name: officer ?? viewer },
    ...(issuedAt ? { issuedAt } : {}),
  });
  switch (form) {
    case '01':
      return renderOfficialPdf(receiptAndAppointment(base(accepted?.actorName, d.acceptedAt ? new Date(d.acceptedAt) : undefined), locale));
    case '02': {
      const request = last(events, 'request_supplement')!;
      return renderOfficialPdf(supplementationRequest(base(request.actorName, new Date(request.at)), d.supplementItems ?? [], locale));
    }
    case '03': {
      const refusal = last(events, 'refuse')!;
      return renderOfficialPdf(refusalNotice(base(refusal.actorName, new Date(refusal.at)), refusal.reason!, locale));
    }
    case '04': {
      const apology = last(events, 'apologize')!;
      const newDue = typeof apology.details?.newDueAt === 'string' ? new Date(apology.details.newDueAt) : d.dueAt ? new Date(d.dueAt) : null;
      if (!newDue || Number.isNaN(newDue.getTime())) throw new AppError('not_found');
      return renderOfficialPdf(apologyLetter({ ...base(apology.actorName, new Date(apology.at)), dueAt: formerDue(page, apology, newDue) }, apology.reason!, newDue, locale));
    }
    case '05':
      return renderOfficialPdf(controlSlip(base(accepted?.actorName), handovers(page, locale), locale));
  }
}
