import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import { AgencyTreeQuerySchema, AgencyTreeSchema } from './organization.schemas.js';
import { listAgencyTree, todayInVietnam } from './organization.service.js';

export const organizationRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get(
    '/agencies',
    {
      schema: {
        tags: ['organization'],
        summary: 'Cây cơ quan hành chính theo ngày hiệu lực / agency tree valid on a date',
        querystring: AgencyTreeQuerySchema,
        response: { 200: AgencyTreeSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const at = request.query.at ?? todayInVietnam();
      return { at, items: await listAgencyTree(db, at) };
    },
  );
};
