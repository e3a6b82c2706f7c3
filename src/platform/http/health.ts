import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Database } from '../../db/database.js';

const Health = Type.Object({ status: Type.String(), database: Type.Optional(Type.String()) });

/** /healthz: the process answers. /readyz: the database answers too (load balancers use it). */
export async function registerHealth(app: FastifyInstance, database: Database): Promise<void> {
  app.get('/healthz', { schema: { tags: ['platform'], summary: 'Process alive', response: { 200: Health } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { tags: ['platform'], summary: 'Database reachable', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const ok = await database.ping();
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', database: database.engine });
    },
  );
}
