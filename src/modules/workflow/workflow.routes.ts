// The back office's JSON API under /api/v1: the inbox and the actions on a dossier, for officers
// (session with TOTP passed). A dossier of another agency answers 404.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { hasAccess } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { statusText, type DossierDeps } from '../dossier/dossier.service.js';
import { dossierActions, type DossierAction } from './transitions.js';
import { ActionBodySchema, ActionParamsSchema, ActionResultSchema, InboxQuerySchema, InboxSchema } from './workflow.schemas.js';
import { getOfficerDossier, listInbox, performAction } from './workflow.service.js';
import { ledgerCsv, ledgerRows, ledgerXlsx } from './ledger.js';
import { Type } from 'typebox';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);
const tags = ['back office'];

export function presentOfficerDossier(view: Awaited<ReturnType<typeof getOfficerDossier>>, locale: Locale) {
  const d = view.dossier;
  return {
    code: d.code!,
    status: d.status,
    statusText: statusText(locale, d.status),
    version: d.version,
    channel: d.channel,
    procedure: { code: view.procedure.code, name: view.procedure.name, version: view.procedure.version },
    agency: { code: view.agency.code!, name: view.agency.name },
    handlingAgency: view.handlingAgency ? { code: view.handlingAgency.code!, name: view.handlingAgency.name } : null,
    applicant: { name: d.applicantName, idNumber: d.applicantIdNumber, phone: d.applicantPhone, email: d.applicantEmail },
    data: d.data,
    step: d.workflowStep,
    assignee: d.assigneeName ?? null,
    submittedAt: iso(d.submittedAt),
    acceptedAt: iso(d.acceptedAt),
    dueAt: iso(d.dueAt),
    stepDueAt: iso(d.stepDueAt),
    allowed: view.actions,
  };
}

/** Before the body is validated: only officers who may read dossiers get further. */
async function officersOnly(request: FastifyRequest): Promise<void> {
  if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (request.actor.kind !== 'officer' || !hasAccess(request.actor, 'dossier.read')) throw new AppError('not_found');
}

export const workflowRoutes: FastifyPluginAsyncTypebox<{ deps: DossierDeps }> = async (app, { deps }) => {
  app.get(
    '/inbox',
    { preValidation: officersOnly, schema: { tags, summary: 'Hộp hồ sơ của cán bộ / officer inbox', querystring: InboxQuerySchema, response: { 200: InboxSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema } } },
    async (request) => {
      const locale = resolveLocale(request);
      const inbox = await listInbox(deps, request.actor, request.query);
      return {
        tab: inbox.tab,
        counts: inbox.counts,
        total: inbox.total,
        page: inbox.page,
        pageSize: inbox.pageSize,
        items: inbox.items.map((r) => ({
          code: r.code!,
          status: r.status,
          statusText: statusText(locale, r.status),
          procedure: { code: r.procedureCode, name: r.procedureName },
          agency: r.agencyName,
          handlingAgency: r.handlingAgencyName ?? null,
          applicant: r.applicantName,
          channel: r.channel,
          step: r.workflowStep,
          assignee: r.assigneeName,
          submittedAt: iso(r.submittedAt),
          dueAt: iso(r.dueAt),
          flag: r.flag,
        })),
      };
    },
  );

  app.post(
    '/dossiers/:id/actions/:action',
    {
      preValidation: officersOnly,
      schema: {
        tags,
        summary: 'Thao tác trên hồ sơ / act on a dossier',
        description: `Actions: ${dossierActions.join(', ')}. 409 lists the allowed ones; 422 names what is missing.`,
        params: ActionParamsSchema,
        body: ActionBodySchema,
        response: { 200: ActionResultSchema, 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      const action = request.params.action as DossierAction;
      if (!(dossierActions as readonly string[]).includes(action)) throw new AppError('not_found');
      const key = request.headers['idempotency-key'];
      const result = await performAction(deps, request.actor, request.params.id, action, { ...request.body, ...(typeof key === 'string' && key ? { idempotencyKey: key.slice(0, 100) } : {}) }, { ip: request.ip });
      return { ...result, statusText: statusText(resolveLocale(request), result.status), dueAt: iso(result.dueAt) };
    },
  );

  app.get(
    '/ledger',
    {
      preValidation: officersOnly,
      schema: {
        tags,
        summary: 'Sổ theo dõi hồ sơ (mẫu 06) / the dossier ledger (form 06)',
        description: 'Dossiers received from `from` to `to` (inclusive, Vietnam dates, at most 366 days) by the agencies the officer covers, as CSV or XLSX.',
        querystring: Type.Object({ from: Type.String({ maxLength: 10 }), to: Type.String({ maxLength: 10 }), format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')])) }),
        response: {
          200: { content: { 'text/csv': { schema: Type.String() }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.String({ format: 'binary' }) } } },
          400: ProblemSchema,
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const ledger = await ledgerRows(deps, request.actor, request.query, resolveLocale(request));
      const name = `so-theo-doi-${request.query.from}-${request.query.to}`;
      if (request.query.format === 'xlsx') {
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}.xlsx"`).send((await ledgerXlsx(ledger)) as never);
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(ledgerCsv(ledger) as never);
    },
  );
};
