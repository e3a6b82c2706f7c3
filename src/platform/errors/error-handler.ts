// Turns every error into the answer a person or a program can act on: application/problem+json
// (RFC 9457) for the API, a Vietnamese page with the request id for HTML. A 500 never shows
// internals; it is logged with the request id so support can find it.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translate, type Locale } from '../i18n/i18n.js';
import { ErrorPage } from '../html/error-page.js';
import { pageContext, sendPage, wantsJson } from '../http/page.js';
import { resolveLocale } from '../http/locale.js';
import { problemsFromAjvErrors, type AjvError } from '../validation/ajv-problems.js';
import { AppError, errorStatus, isAppError, type ErrorCode, type FieldProblem } from './app-error.js';

/** Fastify's own errors (bad JSON, too large, validation) mapped onto the closed list of codes. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fe = error as FastifyError & { validation?: AjvError[] };
  if (fe && Array.isArray(fe.validation)) {
    const problems = problemsFromAjvErrors(fe.validation);
    return new AppError('invalid_input', 'error.invalid_input', {}, problems);
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  const byStatus = (Object.entries(errorStatus) as [ErrorCode, number][]).find(([, s]) => s === status);
  if (status >= 400 && status < 500 && byStatus) return new AppError(byStatus[0]);
  if (status >= 400 && status < 500) return new AppError('invalid_input');
  return new AppError('internal');
}

function translatedProblems(locale: Locale, problems: FieldProblem[]): { name: string; message: string }[] {
  return problems.map((p) => ({
    name: p.name,
    message: typeof p.message === 'string' ? p.message : translate(locale, p.message.key, p.message.params),
  }));
}

export function sendError(request: FastifyRequest, reply: FastifyReply, appError: AppError): FastifyReply {
  const locale = resolveLocale(request);
  const message = translate(locale, appError.messageKey, appError.params);
  const problems = translatedProblems(locale, appError.problems);
  if (appError.code === 'rate_limited' && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  if (wantsJson(request)) {
    return reply
      .code(appError.status)
      .type('application/problem+json; charset=utf-8')
      .send(
        JSON.stringify({
          type: `/docs/errors#${appError.code}`,
          title: appError.code,
          status: appError.status,
          detail: message,
          instance: request.url.split('?')[0],
          requestId: request.id,
          ...(problems.length ? { errors: problems } : {}),
        }),
      );
  }
  // A page that needs a signed-in person sends them to log in, and back here afterwards.
  if (appError.code === 'unauthenticated' && request.method === 'GET' && (request.actor?.kind ?? 'anonymous') === 'anonymous') {
    return reply.redirect(`/dang-nhap?next=${encodeURIComponent(request.url)}`, 303);
  }
  return sendPage(reply, ErrorPage({ ctx: pageContext(request, reply), message, problems }), appError.status);
}

/** A local path to go back to after logging in; anything else (another site, `//host`) is dropped. */
export function safeNextPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![\/\\])[^\s]{0,500}$/.test(value) ? value : undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendError(request, reply, appError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    return sendError(request, reply, new AppError('not_found', 'error.pathNotFound', { path }));
  });
}
