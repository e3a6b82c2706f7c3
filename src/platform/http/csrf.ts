// CSRF protection for every state-changing request that a browser could be tricked into sending:
// the double-submit pattern. A random token lives in an HttpOnly SameSite=Lax cookie; every form
// carries the same value in a hidden `_csrf` field (JSON callers send `x-csrf-token`). A request
// authenticated by an API token (Authorization: Bearer) carries no cookie and is exempt.
import type {} from '@fastify/cookie';
import type {} from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { randomToken, safeEqual } from '../security/secrets.js';

export const CSRF_COOKIE = 'mc_csrf';
export const CSRF_FIELD = '_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
}

/** The request's CSRF token, set as a cookie when the browser has none yet. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
  const token = randomToken(24);
  reply.setCookie(CSRF_COOKIE, token, cookieOptions(secure));
  // Later calls in the same request must see the token that was just issued.
  request.cookies[CSRF_COOKIE] = token;
  return token;
}

export function registerCsrf(app: FastifyInstance, exempt: (request: FastifyRequest) => boolean = () => false): void {
  app.addHook('preHandler', async (request) => {
    if (SAFE.has(request.method) || exempt(request)) return;
    if (/^Bearer\s/i.test(request.headers.authorization ?? '')) return;
    const cookie = request.cookies[CSRF_COOKIE];
    const body = request.body as Record<string, unknown> | undefined;
    // Upload forms are multipart, read later as a stream: their token rides in the query string.
    const query = request.isMultipart?.() ? ((request.query ?? {}) as Record<string, unknown>)[CSRF_FIELD] : undefined;
    const sent =
      (typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined) ??
      (request.headers['x-csrf-token'] as string | undefined) ??
      (typeof query === 'string' ? query : undefined);
    if (!cookie || !sent || !safeEqual(cookie, sent)) throw new AppError('forbidden', 'error.csrf');
  });
}
