// Every request carries the Actor behind it (anonymous until the identity module resolves it).
import type { Actor } from '../access/access.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** Cookies carry Secure outside development, and whenever the request came over HTTPS. */
    secureCookies: boolean;
  }
}

export const anonymous: Actor = { kind: 'anonymous' };
