// Every request carries the Actor behind it (anonymous until the identity module resolves it).
import type { Actor } from '../access/access.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export const anonymous: Actor = { kind: 'anonymous' };
