// Glue between a Fastify request and a server-rendered page.
import type { FastifyReply, FastifyRequest } from 'fastify';
import './actor-request.js';
import type { ComponentChildren } from 'preact';
import { translator } from '../i18n/i18n.js';
import { renderDocument } from '../html/layout.js';
import type { PageContext } from '../html/page-context.js';
import { hasAccess, type Actor } from '../access/access.js';
import { csrfToken } from './csrf.js';
import { stylesheetUrl } from './assets.js';
import { resolveLocale } from './locale.js';

export function pageContext(request: FastifyRequest, reply?: FastifyReply): PageContext {
  const locale = resolveLocale(request, reply);
  const rawQuery = (request.query ?? {}) as Record<string, unknown>;
  const query: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(rawQuery)) {
    if (key !== 'lang' && (typeof value === 'string' || typeof value === 'number')) query[key] = String(value);
  }
  return {
    locale,
    t: translator(locale),
    requestId: request.id,
    path: request.url.split('?')[0] ?? '/',
    query,
    stylesheet: stylesheetUrl,
    csrfToken: reply ? csrfToken(request, reply, request.secureCookies) : '',
    user: userOf(request.actor),
  };
}

function userOf(actor: Actor | undefined): PageContext['user'] {
  if (!actor || actor.kind === 'anonymous' || actor.kind === 'api_token') return undefined;
  return { name: actor.name, kind: actor.kind, backOffice: hasAccess(actor, 'backoffice.access') };
}

export function sendPage(reply: FastifyReply, page: ComponentChildren, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(renderDocument(page));
}

/** The API and everything under it answer in problem+json; everything else is a page. */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/api' || request.url.startsWith('/healthz') || request.url.startsWith('/readyz');
}
