// The dossier JSON API under /api/v1: drafts, uploads, submission, the caller's list, and public
// tracking. It accepts a session cookie or a personal API token (scope dossier:write). Every
// route has its schemas, responses included.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { MultipartFile } from '@fastify/multipart';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { ownerAccountIdOf } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import { presentDossier, presentDossierList, presentTracking } from './dossier.presenters.js';
import {
  AttachmentSchema,
  DossierCreateBodySchema,
  DossierCreatedSchema,
  DossierIdParamsSchema,
  DossierListQuerySchema,
  DossierListSchema,
  DossierUpdateBodySchema,
  DossierViewSchema,
  FromRepositoryBodySchema,
  RepositoryListSchema,
  SubmitHeadersSchema,
  SubmitResponseSchema,
  TrackParamsSchema,
  TrackQuerySchema,
  TrackResponseSchema,
  WithdrawBodySchema,
} from './dossier.schemas.js';
import {
  addAttachment,
  attachFromRepository,
  createDraft,
  getMyDossierDetail,
  listMyDossiers,
  listRepositoryItems,
  saveDraft,
  submitDossier,
  trackDossier,
  withdrawDossier,
  resubmitDossier,
  isUuid,
  type DossierDeps,
} from './dossier.service.js';

/** Before the body is validated: only an applicant (signed in, or a personal token) gets further,
 *  so that nobody learns the API's shape from its validation messages without signing in. */
async function applicantOnly(request: FastifyRequest): Promise<void> {
  if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (ownerAccountIdOf(request.actor) === undefined) throw new AppError('not_found');
}

const meta = (request: FastifyRequest) => ({ ip: request.ip, locale: resolveLocale(request) });
const tags = ['dossier'];
const errors = { 400: ProblemSchema, 401: ProblemSchema, 404: ProblemSchema };

// A multipart body is a stream, read by the handler; only the path parameters are validated
// up front. The body schema is there for the OpenAPI document.
const paramsAjv = new Ajv.default({ coerceTypes: true, allErrors: true });
addFormats.default(paramsAjv);
const UploadBodySchema = Type.Object({
  slot: Type.Integer({ minimum: 0, description: 'The document slot (its index in the procedure’s documents); send it before the file' }),
  file: Type.String({ format: 'binary', description: 'PDF, JPEG, PNG, DOCX or XLSX, checked by content' }),
});

/** Reads the one file part of a multipart upload, with the fields sent before it. */
export async function readUploadPart(request: FastifyRequest, maxBytes: number): Promise<MultipartFile> {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type');
  const part = await request.file({ limits: { fileSize: maxBytes + 1, files: 1, fields: 10, fieldSize: 1000 } });
  if (!part) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'file', message: { key: 'dossier.error.fileMissing' } }]);
  return part;
}

export function fieldValue(part: MultipartFile, name: string): string | undefined {
  const field = part.fields[name];
  const single = Array.isArray(field) ? field[0] : field;
  return single && single.type === 'field' ? String(single.value) : undefined;
}

/** What officers do on these same paths (the workflow module provides it): see a dossier by its
 *  code, enter a walk-in or postal dossier, attach its scans. */
export interface OfficerDossierLookup {
  schema: TSchema;
  find(request: FastifyRequest, code: string): Promise<unknown>;
  walkInSchema: TSchema;
  walkInResponse: TSchema;
  receive(request: FastifyRequest, body: unknown): Promise<unknown>;
  attachScan(request: FastifyRequest, code: string, upload: { slot: number; fileName: string; stream: NodeJS.ReadableStream; truncated: () => boolean }): Promise<unknown>;
}

/** An applicant, or an officer where the route has an officer's variant. */
async function applicantOrOfficer(request: FastifyRequest): Promise<void> {
  if (request.actor.kind === 'officer') return;
  await applicantOnly(request);
}

export const dossierRoutes: FastifyPluginAsyncTypebox<{ deps: DossierDeps; trackLookupsPerMinute: number; officerView?: OfficerDossierLookup }> = async (app, { deps, trackLookupsPerMinute, officerView }) => {
  // Codes follow a guessable pattern, so lookups are limited per client address.
  const trackLimit = { rateLimit: trackLookupsPerMinute > 0 ? { max: trackLookupsPerMinute, timeWindow: '1 minute' } : (false as const) };
  app.post(
    '/dossiers',
    {
      preValidation: officerView ? applicantOrOfficer : applicantOnly,
      schema: {
        tags,
        summary: 'Tạo hồ sơ nháp (người nộp) hoặc tiếp nhận hồ sơ trực tiếp, bưu chính (cán bộ) / create a draft, or enter a walk-in or postal dossier',
        description: 'An applicant sends { procedureCode, data?, agencyCode?, notify? } and gets a draft. A reception officer sends { procedureCode, agencyCode, channel: 1 | 3, applicant, data? } and gets the coded dossier in status new; its scans go to POST /dossiers/{code}/attachments.',
        body: officerView ? Type.Union([DossierCreateBodySchema, officerView.walkInSchema]) : DossierCreateBodySchema,
        response: { 201: officerView ? Type.Union([DossierCreatedSchema, officerView.walkInResponse]) : DossierCreatedSchema, ...errors, 413: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      if (officerView && request.actor.kind === 'officer') return reply.code(201).send((await officerView.receive(request, request.body)) as never);
      return reply.code(201).send(await createDraft(deps, request.actor, request.body as Static<typeof DossierCreateBodySchema>, meta(request)));
    },
  );

  app.get(
    '/dossiers',
    { preValidation: applicantOnly, schema: { tags, summary: 'Hồ sơ của tôi / my dossiers', querystring: DossierListQuerySchema, response: { 200: DossierListSchema, ...errors } } },
    async (request) => presentDossierList(await listMyDossiers(deps, request.actor, request.query.page ?? 1, request.query.pageSize ?? 20), resolveLocale(request)),
  );

  app.get(
    '/dossiers/:id',
    {
      schema: {
        tags,
        summary: 'Một hồ sơ: của tôi (theo id) hoặc của cơ quan (theo mã, cho cán bộ) / a dossier: mine by id, or my agency’s by code',
        params: Type.Object({ id: Type.String({ maxLength: 60, description: 'The draft’s id (uuid) for its applicant, or the dossier code for officers' }) }),
        response: { 200: officerView ? Type.Union([DossierViewSchema, officerView.schema]) : DossierViewSchema, ...errors },
      },
    },
    async (request) => {
      if (officerView && request.actor.kind === 'officer' && !isUuid(request.params.id)) return officerView.find(request, request.params.id) as never;
      await applicantOnly(request);
      return presentDossier(await getMyDossierDetail(deps, request.actor, request.params.id), resolveLocale(request));
    },
  );

  app.put(
    '/dossiers/:id',
    { preValidation: applicantOnly, schema: { tags, summary: 'Lưu hồ sơ nháp / save a draft', params: DossierIdParamsSchema, body: DossierUpdateBodySchema, response: { 200: DossierViewSchema, ...errors, 409: ProblemSchema, 413: ProblemSchema } } },
    async (request) => {
      await saveDraft(deps, request.actor, request.params.id, request.body, meta(request));
      return presentDossier(await getMyDossierDetail(deps, request.actor, request.params.id), resolveLocale(request));
    },
  );

  app.post(
    '/dossiers/:id/attachments',
    {
      preValidation: officerView ? applicantOrOfficer : applicantOnly,
      schema: {
        tags,
        summary: 'Tải lên giấy tờ (multipart) / upload a document',
        consumes: ['multipart/form-data'],
        params: Type.Object({ id: Type.String({ maxLength: 60, description: 'The draft’s id (uuid); for reception, the dossier code' }) }),
        body: UploadBodySchema,
        response: { 201: AttachmentSchema, ...errors, 409: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema, 422: ProblemSchema },
      },
      validatorCompiler: ({ schema, httpPart }) => (httpPart === 'body' ? () => true : paramsAjv.compile(schema as object)),
    },
    async (request, reply) => {
      const part = await readUploadPart(request, deps.uploadMaxBytes);
      const slotText = fieldValue(part, 'slot');
      const slot = slotText !== undefined && /^\d{1,3}$/.test(slotText) ? Number(slotText) : -1;
      if (slot < 0) {
        part.file.resume();
        throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'slot', message: { key: 'dossier.error.slotUnknown' } }]);
      }
      const upload = { slot, fileName: part.filename, stream: part.file, truncated: () => part.file.truncated };
      if (officerView && request.actor.kind === 'officer') return reply.code(201).send((await officerView.attachScan(request, request.params.id, upload)) as never);
      const attachment = await addAttachment(deps, request.actor, request.params.id, upload, meta(request));
      return reply.code(201).send(attachment);
    },
  );

  app.post(
    '/dossiers/:id/attachments/from-repository',
    { preValidation: applicantOnly, schema: { tags, summary: 'Dùng lại giấy tờ từ kho dữ liệu / reuse a file from the e-repository', params: DossierIdParamsSchema, body: FromRepositoryBodySchema, response: { 201: Type.Object({ id: Type.String({ format: 'uuid' }) }), ...errors, 409: ProblemSchema, 415: ProblemSchema } } },
    async (request, reply) => reply.code(201).send({ id: await attachFromRepository(deps, request.actor, request.params.id, request.body, meta(request)) }),
  );

  app.post(
    '/dossiers/:id/submit',
    {
      preValidation: applicantOnly,
      schema: {
        tags,
        summary: 'Nộp hồ sơ (idempotent) / submit',
        description: 'Requires an Idempotency-Key header. A repeat, with the same key or another, returns the same dossier and code.',
        params: DossierIdParamsSchema,
        headers: SubmitHeadersSchema,
        response: { 201: SubmitResponseSchema, ...errors, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await submitDossier(deps, request.actor, request.params.id, request.headers['idempotency-key'] ?? '', meta(request));
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send({ id: result.id, code: result.code, status: result.status, submittedAt: result.submittedAt.toISOString(), dueAt: result.dueAt ? result.dueAt.toISOString() : null });
    },
  );

  app.post(
    '/dossiers/:id/resubmit',
    {
      preValidation: applicantOnly,
      schema: {
        tags,
        summary: 'Nộp bổ sung hồ sơ (trạng thái 5) / resubmit after a supplementation request',
        description: 'Requires an Idempotency-Key header. The dossier returns to the status the request interrupted; the clock resumes.',
        params: DossierIdParamsSchema,
        headers: SubmitHeadersSchema,
        response: { 200: DossierViewSchema, ...errors, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => {
      await resubmitDossier(deps, request.actor, request.params.id, request.headers['idempotency-key'] ?? '', meta(request));
      return presentDossier(await getMyDossierDetail(deps, request.actor, request.params.id), resolveLocale(request));
    },
  );

  app.post(
    '/dossiers/:id/withdraw',
    { preValidation: applicantOnly, schema: { tags, summary: 'Rút hồ sơ (trước khi tiếp nhận) / withdraw', params: DossierIdParamsSchema, body: WithdrawBodySchema, response: { 200: DossierViewSchema, ...errors, 409: ProblemSchema } } },
    async (request) => {
      await withdrawDossier(deps, request.actor, request.params.id, request.body, meta(request));
      return presentDossier(await getMyDossierDetail(deps, request.actor, request.params.id), resolveLocale(request));
    },
  );

  app.get(
    '/repository',
    { preValidation: applicantOnly, schema: { tags, summary: 'Kho dữ liệu điện tử của tôi / my e-repository', response: { 200: RepositoryListSchema, ...errors } } },
    async (request) => ({
      items: (await listRepositoryItems(deps, request.actor)).map((i) => ({ id: i.id, kind: i.kind, fileName: i.fileName, mediaType: i.mediaType, size: Number(i.size), sha256: i.sha256, title: i.title, createdAt: new Date(i.createdAt).toISOString() })),
    }),
  );

  app.get(
    '/track/:code',
    { config: trackLimit, schema: { tags, summary: 'Tra cứu hồ sơ / track a dossier', params: TrackParamsSchema, querystring: TrackQuerySchema, response: { 200: TrackResponseSchema, 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema } } },
    async (request) => presentTracking(await trackDossier(deps, request.actor, request.params.code, request.query, resolveLocale(request))),
  );
};
