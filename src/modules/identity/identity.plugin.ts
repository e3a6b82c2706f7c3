// Resolves who is asking for every request: the session cookie for people, a bearer token for
// machine clients. Anything unrecognised is simply anonymous; access is decided by use cases.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { anonymous } from '../../platform/http/actor-request.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { cookieOptions } from '../../platform/http/csrf.js';
import { actorFromBearer, actorFromSession } from './actor.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';
import { SESSION_COOKIE } from './sessions.js';
import type { SessionRecord } from './sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionRecord | undefined;
  }
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent'], locale: resolveLocale(request) };
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(secure));
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(secure));
}

async function identityPlugin(app: FastifyInstance, options: { deps: IdentityDeps }): Promise<void> {
  const { deps } = options;
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', undefined);
  app.addHook('onRequest', async (request) => {
    request.actor = anonymous;
    const authorization = request.headers.authorization;
    if (authorization && /^Bearer\s+/i.test(authorization)) {
      request.actor = await actorFromBearer(deps, authorization.replace(/^Bearer\s+/i, '').trim(), requestMeta(request));
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const resolved = await actorFromSession(deps, token);
    request.actor = resolved.actor;
    request.session = resolved.session;
  });
}

export const identityHooks = fp(identityPlugin, { name: 'identity-hooks' });
