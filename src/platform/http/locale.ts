// The page language: ?lang= (which also sets the cookie), then the lang cookie, then Vietnamese.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, type Locale } from '../i18n/i18n.js';

const COOKIE = 'lang';

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function resolveLocale(request: FastifyRequest, reply?: FastifyReply): Locale {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLocale(fromQuery)) {
    reply?.header('set-cookie', `${COOKIE}=${fromQuery}; Path=/; Max-Age=31536000; SameSite=Lax`);
    return fromQuery;
  }
  const fromCookie = cookieValue(request.headers.cookie, COOKIE);
  return isLocale(fromCookie) ? fromCookie : 'vi';
}
