// The payment JSON API under /api/v1: VNPay's IPN (public, answered in its protocol), starting a
// payment (public: the payer's id is the proof; rate-limited), an attempt's status (its id is the
// capability; rate-limited), and the daily reconciliation report (officers of the agency).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { hasAccess } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import { Type } from 'typebox';
import { presentPaymentStatus } from './payment.presenters.js';
import {
  PaymentIdParamsSchema,
  PaymentStatusSchema,
  ReconciliationQuerySchema,
  StartedPaymentSchema,
  StartPaymentBodySchema,
  VnpayIpnAnswerSchema,
  VnpayIpnQuerySchema,
} from './payment.schemas.js';
import { getPayment, handleIpn, paymentPageUrl, reconciliationReport, reportCsv, reportXlsx, startPayment, type PaymentDeps } from './payment.service.js';

const tags = ['payment'];

/** Before the query is validated: only officers who may read dossiers get further. */
async function officersOnly(request: FastifyRequest): Promise<void> {
  if (request.actor.kind === 'anonymous') throw new AppError('unauthenticated');
  if (request.actor.kind !== 'officer' || !hasAccess(request.actor, 'dossier.read')) throw new AppError('not_found');
}

export const paymentRoutes: FastifyPluginAsyncTypebox<{ deps: PaymentDeps; lookupsPerMinute: number }> = async (app, { deps, lookupsPerMinute }) => {
  // A payer id can be guessed at: lookups and starts are limited per client address.
  const limit = { rateLimit: lookupsPerMinute > 0 ? { max: lookupsPerMinute, timeWindow: '1 minute' } : (false as const) };

  app.get(
    '/payments/vnpay/ipn',
    {
      // A malformed query is answered in VNPay's protocol too, never with a problem document.
      attachValidation: true,
      schema: {
        tags,
        summary: 'IPN của VNPay (máy chủ gọi máy chủ) / VNPay IPN',
        description: 'The source of truth of a payment: checked signature first (97), then the order (01), then the amount (04); a repeat answers 02 and credits nothing. Always HTTP 200 with { RspCode, Message }.',
        querystring: VnpayIpnQuerySchema,
        response: { 200: VnpayIpnAnswerSchema },
      },
    },
    async (request) => {
      const query = request.validationError ? { vnp_SecureHash: '' } : (request.query as Record<string, unknown>);
      const outcome = await handleIpn(deps, 'vnpay', { query }, { ip: request.ip, log: request.log });
      return outcome.answer as { RspCode: string; Message: string };
    },
  );

  app.post(
    '/payments',
    {
      config: limit,
      schema: {
        tags,
        summary: 'Bắt đầu thanh toán một khoản / start paying an obligation',
        description: 'Answers the provider address to send the payer to. An obligation already paid answers 409; an attempt still open is handed back (reused: true).',
        body: StartPaymentBodySchema,
        response: { 201: StartedPaymentSchema, 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema, 429: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const started = await startPayment(deps, request.actor, { ...request.body, locale: resolveLocale(request), clientIp: request.ip });
      return reply.code(201).send({ ...started, expiresAt: started.expiresAt.toISOString(), statusUrl: paymentPageUrl(deps.publicUrl, started.id) });
    },
  );

  app.get(
    '/payments/reconciliation',
    {
      preValidation: officersOnly,
      schema: {
        tags,
        summary: 'Bảng đối soát thanh toán trong ngày của một cơ quan / daily reconciliation report',
        description: 'Every attempt of the Vietnam day `date` for the obligations of agency `agency` (by code), with the provider’s reference and view, and the mismatches flagged. CSV (default) or XLSX.',
        querystring: ReconciliationQuerySchema,
        response: {
          200: { content: { 'text/csv': { schema: Type.String() }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: Type.String({ format: 'binary' }) } } },
          400: ProblemSchema,
          401: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const report = await reconciliationReport(deps, request.actor, request.query, resolveLocale(request));
      const name = `doi-soat-${request.query.agency}-${request.query.date}`.replace(/[^A-Za-z0-9.-]/g, '_');
      if (request.query.format === 'xlsx') {
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}.xlsx"`).send((await reportXlsx(report)) as never);
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(reportCsv(report) as never);
    },
  );

  app.get(
    '/payments/:id',
    { config: limit, schema: { tags, summary: 'Trạng thái một giao dịch thanh toán / a payment’s status', params: PaymentIdParamsSchema, response: { 200: PaymentStatusSchema, 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema } } },
    async (request) => presentPaymentStatus(await getPayment(deps, request.params.id), resolveLocale(request), deps.publicUrl),
  );
};
