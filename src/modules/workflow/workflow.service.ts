// The one-stop back office: the officer's inbox and the actions on a dossier (reception's
// completeness check, assignment, processing, approval, pauses, return of the result, apology).
// Every action is a row of the transition table; it runs with the dossier row locked, appends its
// event with the new status and the audit entry in one transaction, and a stale page (another
// officer acted first) gets 409 with the current state.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { grantsFor, hasAccess, requireAccess, type Actor, type Role } from '../../platform/access/access.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import {
  calendarAround,
  changeStatus,
  dueAfterResume,
  stepDueAfterResume,
  findDossierByCode,
  getProcedureVersion,
  isUuid,
  lockDossier,
  pausingStatuses,
  trackingUrl,
  type DossierDeps,
  type DossierStatus,
  type RequestMeta,
} from '../dossier/dossier.service.js';
import { queueEmail, queueSms } from '../notify/notify.service.js';
import { agencyIdsUnder } from '../organization/organization.service.js';
import { createDatabaseCache } from '../../platform/cache/database-cache.js';
import { mayLackChange } from '../dossier/dossier-changes.js';
import { formatDate } from '../../platform/text/vietnam-time.js';
import { allowedActions, findTransition, type DossierAction } from './transitions.js';
import { budgetMinutes, previousStep, stepById, workflowOf, type Workflow } from './workflow-steps.js';
import { chosenFeeLines, feesOfDossier, requestDossierFee } from './dossier-fees.js';
import { signResultAtApproval } from './dossier-results.js';

export interface ActionInput {
  reason?: string | undefined;
  items?: { item: string; reason: string }[] | undefined;
  assignee?: number | undefined;
  newDueDate?: string | undefined;
  delivery?: 'in_person' | 'post' | 'online' | undefined;
  /** return_result by post: the post office's reference of the shipment (mã vận đơn). */
  shipmentReference?: string | undefined;
  /** request_payment: the procedure's fee lines (their indexes) the applicant is asked to pay. */
  fees?: number[] | undefined;
  /** The dossier version the officer saw; a different current one answers 409. */
  version?: number | undefined;
  idempotencyKey?: string | undefined;
}

export const inboxTabs = ['new', 'mine', 'approve', 'due_soon', 'overdue', 'paused', 'done', 'all'] as const;
export type InboxTab = (typeof inboxTabs)[number];

const calendarFor = calendarAround;

/** The agency paths where the officer may read dossiers. */
function readablePaths(actor: Actor): string[] {
  return grantsFor(actor, 'dossier.read').map((g) => g.agencyPath);
}

/** The officer's roles that cover an agency. */
function rolesAt(actor: Actor, agencyPath: string): Role[] {
  if (actor.kind !== 'officer' || !actor.mfaPassed) return [];
  return [...new Set(actor.grants.filter((g) => agencyPath === g.agencyPath || agencyPath.startsWith(`${g.agencyPath}.`)).map((g) => g.role))];
}

// The counts on the inbox's tabs, per officer and filter, kept for 10 seconds (bench/README.md:
// they were the costliest statement of a page view) and dropped as soon as a dossier of one of
// the agencies changes in this process (dossier-changes.ts). With one web process an officer sees
// at once what anyone's action changed, and only "due soon" and "overdue" may lag the clock by
// those seconds; another process's actions show within them (decision 010).
const inboxCounts = createDatabaseCache<string, { agencyIds: number[]; byTab: Record<InboxTab, number> }>({
  ttlMs: 10_000,
  isCurrent: (value, readAt) => !mayLackChange(value.agencyIds, readAt),
});

/** A row of the inbox page (the CamelCasePlugin names the columns in camelCase). */
interface InboxRow {
  id: string;
  code: string;
  status: DossierStatus;
  channel: number;
  dueAt: Date | null;
  submittedAt: Date | null;
  workflowStep: string | null;
  applicantName: string | null;
  procedureCode: string;
  procedureName: string;
  agencyName: string;
  handlingAgencyName: string | null;
  assigneeName: string | null;
}

/** The officer's inbox: dossiers of the agencies under the officer's grants, per tab. */
export async function listInbox(deps: Pick<DossierDeps, 'db'>, actor: Actor, query: { tab?: InboxTab | undefined; procedure?: string | undefined; page?: number | undefined; pageSize?: number | undefined }, now = new Date()) {
  requireAccess(actor, 'dossier.read');
  const paths = readablePaths(actor);
  const accountId = actor.kind === 'officer' ? actor.accountId : -1;
  const dueSoonBefore = (await calendarFor(deps.db, now)).addWorkingDays(now, 2);
  const tab = query.tab ?? 'all';
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const active: DossierStatus[] = ['new', 'accepted', 'processing', 'supplementation', 'financial', 'stopped', 'done'];
  const agencyIds = await agencyIdsUnder(deps.db, paths);
  if (agencyIds.length === 0) return { tab, items: [], counts: Object.fromEntries(inboxTabs.map((t) => [t, 0])) as Record<InboxTab, number>, total: 0, page, pageSize };
  const base = deps.db
    .selectFrom('dossier as d')
    .where('d.status', '<>', 'draft')
    .$if(Boolean(query.procedure), (q) => q.where(sql<boolean>`d.procedure_id in (select id from procedure where code = ${query.procedure!})`));
  // Two disjoint parts, each read through its own partial index: the agencies' own dossiers
  // (migration 20261128T1700, ordered as the inbox sorts, so a page stops after its rows), and
  // those another agency sent them for a step (một cửa liên thông; 20261128T2000, a few rows).
  // One `or` over both would lose the ordered index scan for a bitmap over every active dossier.
  const scopes = [(q: typeof base) => q.where('d.agencyId', 'in', agencyIds), (q: typeof base) => q.where('d.handlingAgencyId', 'in', agencyIds).where('d.agencyId', 'not in', agencyIds)];
  const filters: Record<InboxTab, (q: typeof base) => typeof base> = {
    new: (q) => q.where('d.status', '=', 'new'),
    mine: (q) => q.where('d.assigneeAccountId', '=', accountId).where('d.status', 'in', ['accepted', 'processing']),
    approve: (q) => q.where('d.status', '=', 'processing').where('d.workflowStep', '=', 'approval'),
    due_soon: (q) => q.where('d.status', 'in', ['new', 'accepted', 'processing']).where('d.dueAt', '>=', now).where('d.dueAt', '<=', dueSoonBefore),
    overdue: (q) => q.where('d.status', 'in', ['new', 'accepted', 'processing']).where('d.dueAt', '<', now),
    paused: (q) => q.where('d.status', 'in', ['supplementation', 'financial', 'stopped']),
    done: (q) => q.where('d.status', '=', 'done'),
    all: (q) => q.where('d.status', 'in', active),
  };
  // Every tab's count in one statement (the same conditions as `filters`), over the active
  // dossiers only, which every tab is a subset of (the partial indexes hold just these).
  const working = sql`d.status in ('new', 'accepted', 'processing')`;
  const countsOf = (scope: (q: typeof base) => typeof base) =>
    scope(base)
      .where('d.status', 'in', active)
      .select([
        sql<string>`count(*) filter (where d.status = 'new')`.as('new'),
        sql<string>`count(*) filter (where d.assignee_account_id = ${accountId} and d.status in ('accepted', 'processing'))`.as('mine'),
        sql<string>`count(*) filter (where d.status = 'processing' and d.workflow_step = 'approval')`.as('approve'),
        sql<string>`count(*) filter (where ${working} and d.due_at >= ${now} and d.due_at <= ${dueSoonBefore})`.as('due_soon'),
        sql<string>`count(*) filter (where ${working} and d.due_at < ${now})`.as('overdue'),
        sql<string>`count(*) filter (where d.status in ('supplementation', 'financial', 'stopped'))`.as('paused'),
        sql<string>`count(*) filter (where d.status = 'done')`.as('done'),
        sql<string>`count(*)`.as('all'),
      ]);
  const counts = await inboxCounts.get(deps.db, `${accountId} ${query.procedure ?? ''} ${agencyIds.join(',')} ${Math.floor(now.getTime() / 10_000)}`, async () => {
    const countsRow = await deps.db
      .selectFrom(sql`(${countsOf(scopes[0]!)} union all ${countsOf(scopes[1]!)})`.as('c'))
      .select(inboxTabs.map((t) => sql<string>`coalesce(sum(${sql.ref(`c.${t}`)}), 0)`.as(t)))
      .executeTakeFirstOrThrow();
    // The camel-case plugin renames result columns: due_soon comes back as dueSoon.
    const row = countsRow as unknown as Record<string, string>;
    return { agencyIds, byTab: Object.fromEntries(inboxTabs.map((t) => [t, Number(row[t.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())])])) as Record<InboxTab, number> };
  }).then((c) => c.byTab);
  // The page: each part's first rows in the inbox's order, read from its index with the columns
  // the list shows, merged; the names come from scalar subqueries by primary key. Joining the
  // five tables instead cost the planner 1.3 ms a request against 0.3 ms (bench/README.md).
  const offset = (page - 1) * pageSize;
  const firstOf = (scope: (q: typeof base) => typeof base) =>
    scope(filters[tab](base))
      .select(['d.id', 'd.code', 'd.status', 'd.channel', 'd.dueAt', 'd.submittedAt', 'd.workflowStep', 'd.applicantName', 'd.procedureId', 'd.agencyId', 'd.handlingAgencyId', 'd.assigneeAccountId'])
      .orderBy(sql`d.due_at asc nulls last`)
      .orderBy('d.submittedAt')
      .limit(offset + pageSize);
  const { rows } = await sql<InboxRow>`
    select x.id, x.code, x.status, x.channel, x.due_at, x.submitted_at, x.workflow_step, x.applicant_name,
           (select p.code from procedure p where p.id = x.procedure_id) as procedure_code,
           (select p.name from procedure p where p.id = x.procedure_id) as procedure_name,
           (select a.name from agency a where a.id = x.agency_id) as agency_name,
           (select h.name from agency h where h.id = x.handling_agency_id) as handling_agency_name,
           (select s.full_name from account s where s.id = x.assignee_account_id) as assignee_name
    from ((${firstOf(scopes[0]!)}) union all (${firstOf(scopes[1]!)})) as x
    order by x.due_at asc nulls last, x.submitted_at, x.id
    limit ${pageSize} offset ${offset}`.execute(deps.db);
  const items = rows.map((r) => ({
    ...r,
    flag: r.dueAt && ['new', 'accepted', 'processing'].includes(r.status) ? (r.dueAt < now ? ('overdue' as const) : r.dueAt <= dueSoonBefore ? ('due_soon' as const) : null) : null,
  }));
  return { tab, items, counts, total: counts[tab], page, pageSize };
}

/**
 * A dossier as an officer sees it: officers of its agency (subtree) and, while a step is done
 * elsewhere (một cửa liên thông), officers of that agency; anyone else gets 404. The officer's
 * roles, and so the actions, are those at the agency that holds the dossier now.
 */
export async function getOfficerDossier(deps: Pick<DossierDeps, 'db'>, actor: Actor, code: string) {
  requireAccess(actor, 'dossier.read');
  const dossier = isUuid(code) ? undefined : await findDossierByCode(deps.db, code);
  if (!dossier || dossier.agencyId === null) throw new AppError('not_found');
  const extra = await deps.db
    .selectFrom('dossier as d')
    .leftJoin('account as s', 's.id', 'd.assigneeAccountId')
    .select(['d.workflowStep', 'd.assigneeAccountId', 's.fullName as assigneeName', 'd.stepDueAt', 'd.acceptedAt', 'd.pausedFrom', 'd.apologizedAt', 'd.supplementItems', 'd.resultDelivery', 'd.handlingAgencyId', 'd.resultPostAddress', 'd.resultShipmentRef'])
    .where('d.id', '=', dossier.id)
    .executeTakeFirstOrThrow();
  const agencies = await agenciesById(deps.db, [dossier.agencyId, ...(extra.handlingAgencyId ? [extra.handlingAgencyId] : [])]);
  const agency = agencies.get(dossier.agencyId)!;
  const handlingAgency = extra.handlingAgencyId ? (agencies.get(extra.handlingAgencyId) ?? null) : null;
  const readable = hasAccess(actor, 'dossier.read', { agencyPath: agency.path }) || (handlingAgency !== null && hasAccess(actor, 'dossier.read', { agencyPath: handlingAgency.path }));
  if (!readable) throw new AppError('not_found');
  const actingAgency = handlingAgency ?? agency;
  const procedure = await getProcedureVersion(deps.db, dossier.procedureId);
  const workflow = workflowOf((await deps.db.selectFrom('procedure').select('workflow').where('id', '=', procedure.id).executeTakeFirstOrThrow()).workflow, procedure.processingDays);
  const roles = rolesAt(actor, actingAgency.path);
  const actions = allowedActions(dossier.status, roles).filter((a) => actionFitsStep(a, extra.workflowStep, workflow, roles) && (a !== 'apologize' || !extra.apologizedAt));
  return { dossier: { ...dossier, ...extra }, agency, handlingAgency, actingAgency, procedure, workflow, roles, actions };
}

async function agenciesById(db: Kysely<DB> | Transaction<DB>, ids: number[]) {
  const rows = await db.selectFrom('agency').select(['id', 'code', 'name', sql<string>`path::text`.as('path')]).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The agency that holds a dossier at a step: the step's declared agency, or the dossier's own. */
async function holderOfStep(trx: Transaction<DB>, home: { id: number; code: string | null }, stepAgencyCode: string | undefined): Promise<{ id: number; name: string } | null> {
  if (!stepAgencyCode || stepAgencyCode === home.code) return null;
  const row = await trx.selectFrom('agency').select(['id', 'name']).where('code', '=', stepAgencyCode).where('validTo', 'is', null).executeTakeFirst();
  // The import checked the identifier; an agency dissolved since then cannot take the dossier.
  if (!row) throw new AppError('unprocessable', 'workflow.error.transferAgency', { agency: stepAgencyCode });
  return row;
}

/** Within processing, what happens depends on the step: the specialist forwards from
 *  processing, the leader approves at approval. */
function actionFitsStep(action: DossierAction, stepId: string | null, workflow: Workflow, roles: readonly Role[]): boolean {
  const step = stepById(workflow, stepId);
  if (!step) return true;
  if (action === 'approve') return step.role === 'leader';
  if (action === 'forward' || action === 'process' || action === 'mark_done' || action === 'request_payment') return roles.includes(step.role) && step.role !== 'reception';
  if (action === 'send_back') return previousStep(workflow, step.id) !== undefined && step.role === 'leader';
  return true;
}

/** The specialists an officer may assign a dossier of this agency to. */
export async function listAssignees(db: Kysely<DB> | Transaction<DB>, agencyPath: string) {
  return db
    .selectFrom('roleAssignment as r')
    .innerJoin('account as u', 'u.id', 'r.accountId')
    .innerJoin('agency as a', 'a.id', 'r.agencyId')
    .where('r.role', '=', 'specialist')
    .where('r.revokedAt', 'is', null)
    .where('u.disabledAt', 'is', null)
    .where(sql<boolean>`(${agencyPath}::ltree <@ a.path or a.path <@ ${agencyPath}::ltree)`)
    .select(['u.id', 'u.fullName'])
    .distinct()
    .orderBy('u.fullName')
    .execute();
}

function requireText(value: string | undefined, name: string, problems: FieldProblem[]): string {
  const text = (value ?? '').trim();
  if (text.length < 3 || text.length > 2000) problems.push({ name, message: { key: 'workflow.error.reasonRequired' } });
  return text;
}

/**
 * Performs one action on a dossier. 404 when the officer may not read it; 409 with the allowed
 * actions when the action does not fit the dossier's state (or another officer acted first);
 * 422 when what the action needs is missing.
 */
export async function performAction(deps: DossierDeps, actor: Actor, code: string, action: DossierAction, input: ActionInput, meta: RequestMeta) {
  const view = await getOfficerDossier(deps, actor, code);
  const { agency, actingAgency, workflow, roles } = view;
  const conflict = (status: DossierStatus, allowed: DossierAction[]) =>
    new AppError('conflict', 'workflow.error.notAllowed', { action, status, allowed: allowed.join(', ') || '—' });
  const calendar = await calendarFor(deps.db, new Date());
  return deps.db.transaction().execute(async (trx) => {
    const dossier = await lockDossier(trx, view.dossier.id);
    if (!dossier) throw new AppError('not_found');
    const state = await trx.selectFrom('dossier').select(['workflowStep', 'assigneeAccountId', 'pausedFrom', 'apologizedAt', 'acceptedAt', 'stepDueAt', 'handlingAgencyId']).where('id', '=', dossier.id).executeTakeFirstOrThrow();
    // Another officer moved it to or from another agency since the page was read: act on what is now.
    if (state.handlingAgencyId !== view.dossier.handlingAgencyId) throw conflict(dossier.status, []);
    const allowed = allowedActions(dossier.status, roles).filter((a) => actionFitsStep(a, state.workflowStep, workflow, roles) && (a !== 'apologize' || !state.apologizedAt));
    if (input.version !== undefined && input.version !== dossier.version) throw conflict(dossier.status, allowed);
    const transition = findTransition(action, dossier.status, roles);
    if (!transition || !allowed.includes(action)) throw conflict(dossier.status, allowed);
    if (action === 'apologize' && state.apologizedAt) throw new AppError('conflict', 'workflow.error.apologyOnce');

    const problems: FieldProblem[] = [];
    const reason = transition.requires.includes('reason') ? requireText(input.reason, 'reason', problems) : (input.reason ?? '').trim() || null;
    let items: { item: string; reason: string }[] = [];
    if (transition.requires.includes('items')) {
      items = (input.items ?? []).map((i) => ({ item: i.item.trim(), reason: i.reason.trim() })).filter((i) => i.item || i.reason);
      if (items.length === 0 || items.some((i) => !i.item || !i.reason)) problems.push({ name: 'items', message: { key: 'workflow.error.itemsRequired' } });
    }
    const now = new Date();
    let assignee: number | null = null;
    if (transition.requires.includes('assignee')) {
      const candidates = await listAssignees(trx, actingAgency.path);
      if (input.assignee === undefined || !candidates.some((c) => c.id === input.assignee)) problems.push({ name: 'assignee', message: { key: 'workflow.error.assignee' } });
      else assignee = input.assignee;
    }
    let newDue: Date | null = null;
    if (transition.requires.includes('newDueDate')) {
      const text = input.newDueDate ?? '';
      const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T17:00:00+07:00`) : undefined;
      if (!parsed || Number.isNaN(parsed.getTime())) problems.push({ name: 'newDueDate', message: { key: 'workflow.error.newDueDate' } });
      else if (dossier.dueAt && parsed <= dossier.dueAt) problems.push({ name: 'newDueDate', message: { key: 'workflow.error.newDueDateLater' } });
      else newDue = parsed;
    }
    if (transition.requires.includes('delivery') && !['in_person', 'post', 'online'].includes(input.delivery ?? '')) problems.push({ name: 'delivery', message: { key: 'workflow.error.delivery' } });
    // Bưu chính công ích: the shipment's reference is recorded when the result goes by post.
    const shipment = input.delivery === 'post' && transition.requires.includes('delivery') ? (input.shipmentReference ?? '').trim().toUpperCase() : null;
    if (shipment !== null && !/^[A-Z0-9][A-Z0-9-]{5,39}$/.test(shipment)) problems.push({ name: 'shipmentReference', message: { key: 'workflow.error.shipmentReference' } });
    const feeLines = transition.requires.includes('fees') ? chosenFeeLines(await feesOfDossier(trx, dossier.procedureId), input.fees, problems) : [];
    // The obligation names its payer by CCCD: a dossier without one cannot be paid online.
    if (feeLines.length && !dossier.applicantIdNumber) problems.push({ name: 'fees', message: { key: 'workflow.error.feesNoPayerId' } });
    if (problems.length) throw new AppError('unprocessable', 'error.unprocessable', {}, problems);

    // Where the dossier goes: its status, its step, who holds it, and the clock.
    let to: DossierStatus = transition.to === 'unchanged' ? dossier.status : transition.to === 'previous' ? (state.pausedFrom ?? 'processing') : transition.to;
    let step = state.workflowStep;
    let holder: number | null = state.assigneeAccountId;
    const set: Record<string, unknown> = {};
    const procedure = view.procedure;
    switch (action) {
      case 'accept': {
        // Circular 01/2018 form 01: the appointment counts the procedure's working days from reception.
        set.acceptedAt = now;
        set.receivedBy = actor.kind === 'officer' ? actor.accountId : null;
        if (procedure.processingDays !== null) set.dueAt = calendar.addWorkingDays(now, procedure.processingDays);
        step = stepById(workflow, 'reception')?.next ?? workflow.steps[1]?.id ?? null;
        holder = null;
        break;
      }
      case 'assign':
        holder = assignee;
        step = state.workflowStep && stepById(workflow, state.workflowStep)?.role === 'specialist' ? state.workflowStep : (workflow.steps.find((s) => s.role === 'specialist')?.id ?? step);
        break;
      case 'forward': {
        step = stepById(workflow, state.workflowStep)?.next ?? null;
        holder = null;
        break;
      }
      case 'send_back':
        step = previousStep(workflow, state.workflowStep)?.id ?? step;
        break;
      case 'approve':
      case 'mark_done':
        step = workflow.steps.find((s) => s.next === null)?.id ?? null;
        holder = null;
        break;
      case 'request_supplement':
        set.supplementItems = JSON.stringify(items);
        set.pausedFrom = dossier.status;
        break;
      case 'request_payment':
      case 'stop':
        set.pausedFrom = dossier.status;
        break;
      case 'confirm_payment':
      case 'resume': {
        set.pausedFrom = null;
        break;
      }
      case 'return_result':
        set.resultDelivery = input.delivery;
        if (shipment) set.resultShipmentRef = shipment;
        step = null;
        break;
      case 'apologize':
        set.apologizedAt = now;
        set.dueAt = newDue;
        break;
      default:
        break;
    }
    // Leaving a pause pushes the appointment, and the step's own due instant, by the office time
    // it lasted (DOMAIN.md §5).
    let resumedStepDue: Date | undefined;
    if (pausingStatuses.has(dossier.status) && !pausingStatuses.has(to)) {
      const due = await dueAfterResume(trx, calendar, { id: dossier.id, acceptedAt: state.acceptedAt, apologizedAt: state.apologizedAt }, procedure.processingDays, now);
      if (due) set.dueAt = due;
      resumedStepDue = await stepDueAfterResume(trx, calendar, { id: dossier.id, stepDueAt: state.stepDueAt }, now);
    }
    const current = stepById(workflow, step);
    const stepChanged = step !== state.workflowStep || action === 'assign' || action === 'accept';
    const stepDueAt = current && stepChanged ? calendar.addOfficeTime(now, budgetMinutes(current)) : (resumedStepDue ?? (state.stepDueAt ? new Date(state.stepDueAt) : null));
    Object.assign(set, { workflowStep: step, assigneeAccountId: holder, ...(stepChanged ? { stepStartedAt: now, stepDueAt } : resumedStepDue ? { stepDueAt } : {}) });
    // Một cửa liên thông: entering a step declared at another agency sends the dossier there;
    // the next step without one brings it back. The hand-over event names both agencies.
    const holderAgency = step !== state.workflowStep ? await holderOfStep(trx, agency, current?.agency) : state.handlingAgencyId ? { id: state.handlingAgencyId, name: actingAgency.name } : null;
    const transfer = (holderAgency?.id ?? null) !== state.handlingAgencyId ? { from: actingAgency.name, to: holderAgency?.name ?? agency.name } : null;
    if (transfer) set.handlingAgencyId = holderAgency?.id ?? null;
    if (to === 'draft') to = 'processing';
    // The leader who approves issues the signed electronic result (Decree 45/2020 art. 11).
    const result = action === 'approve' && actor.kind === 'officer' ? await signResultAtApproval(trx, deps, { dossierId: dossier.id, agencyId: agency.id, leaderId: actor.accountId }) : null;
    await changeStatus(trx, deps, {
      dossierId: dossier.id,
      from: dossier.status,
      to,
      action,
      actor: { type: 'officer', id: actor.kind === 'officer' ? String(actor.accountId) : null },
      agencyId: holderAgency?.id ?? agency.id,
      reason,
      idempotencyKey: input.idempotencyKey ?? null,
      at: now,
      set,
      step,
      stepDueAt,
      toAccountId: holder,
      details: detailsOrNull({
        ...(items.length ? { items } : newDue ? { newDueAt: newDue.toISOString() } : input.delivery ? { delivery: input.delivery, ...(shipment ? { shipmentReference: shipment } : {}) } : {}),
        ...(transfer ? { transfer } : {}),
        ...(result ? { resultId: result.id, resultSha256: result.sha256 } : {}),
      }),
    });
    if (action === 'apologize' && newDue) await sendApology(trx, deps, dossier.id, agency.name, reason ?? '', newDue);
    if (action === 'request_payment') await requestDossierFee(trx, { id: dossier.id, agencyId: agency.id, applicantName: dossier.applicantName, applicantIdNumber: dossier.applicantIdNumber }, feeLines, reason, actor.kind === 'officer' ? actor.accountId : null);
    await appendAudit(trx, { actorType: 'officer', actorId: actor.kind === 'officer' ? String(actor.accountId) : null, action: `dossier.${action}`, objectType: 'dossier', objectId: dossier.id, ip: meta.ip ?? null, details: { code: dossier.code, from: dossier.status, to, ...(transfer ? { transfer } : {}) } });
    const after = await trx.selectFrom('dossier').select(['status', 'version', 'dueAt', 'workflowStep']).where('id', '=', dossier.id).executeTakeFirstOrThrow();
    // Once the dossier has gone to another agency (or come back), this officer's roles there decide.
    const rolesAfter = transfer ? rolesAt(actor, (await agenciesById(trx, [holderAgency?.id ?? agency.id])).get(holderAgency?.id ?? agency.id)!.path) : roles;
    const nextAllowed = allowedActions(after.status, rolesAfter).filter((a) => actionFitsStep(a, after.workflowStep, workflow, rolesAfter) && (a !== 'apologize' || !(set.apologizedAt ?? state.apologizedAt)));
    return { code: dossier.code!, status: after.status, version: after.version, dueAt: after.dueAt, step: after.workflowStep, allowed: nextAllowed };
  });
}

function detailsOrNull(details: Record<string, unknown>): Record<string, unknown> | null {
  return Object.keys(details).length ? details : null;
}

/** Circular 01/2018 art. 12: the apology with its new date reaches the applicant by the channels
 *  they chose, in the same transaction as the new date. */
async function sendApology(trx: Transaction<DB>, deps: DossierDeps, dossierId: string, agencyName: string, reason: string, newDue: Date): Promise<void> {
  const d = await trx
    .selectFrom('dossier as d')
    .innerJoin('account as o', 'o.id', 'd.ownerAccountId')
    .select(['d.code', 'd.applicantName', 'd.applicantEmail', 'd.applicantPhone', 'd.notifyEmail', 'd.notifySms', 'o.locale'])
    .where('d.id', '=', dossierId)
    .executeTakeFirstOrThrow();
  const locale = d.locale === 'en' ? 'en' : 'vi';
  const link = trackingUrl(deps.publicUrl, d.code!);
  const newDate = formatDate(locale, newDue);
  if (d.notifyEmail && d.applicantEmail) {
    await queueEmail(deps.jobs, trx, { to: d.applicantEmail, template: 'dossier.apology', locale, params: { name: d.applicantName ?? '—', dossierCode: d.code!, agency: agencyName, reason, newDate, link } });
  }
  if (d.notifySms && d.applicantPhone && /^0\d{9}$/.test(d.applicantPhone)) {
    await queueSms(deps.jobs, trx, { to: d.applicantPhone, text: `MotCua: Ho so ${d.code} xin loi vi tre hen. Ngay hen moi: ${newDate}. ${link}` });
  }
}

/** Whether the actor is an officer who may work on dossiers at all (for the back-office menu). */
export function canUseInbox(actor: Actor): boolean {
  return hasAccess(actor, 'dossier.read');
}
