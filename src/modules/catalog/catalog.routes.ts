// The catalogue's JSON API under /api/v1. Every route has its schemas, responses included; the
// OpenAPI document is generated from them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { DB } from '../../db/schema.js';
import { resolveLocale } from '../../platform/http/locale.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import {
  FieldWithCountSchema,
  ProcedureCodeParamsSchema,
  ProcedureDetailSchema,
  ProcedureListQuerySchema,
  ProcedurePageSchema,
} from './catalog.schemas.js';
import { getProcedure, listFields, searchProcedures } from './catalog.service.js';

export const catalogRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get(
    '/procedures',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Tìm thủ tục hành chính (không dấu, chịu lỗi gõ) / search procedures',
        querystring: ProcedureListQuerySchema,
        response: { 200: ProcedurePageSchema, 400: ProblemSchema },
      },
    },
    async (request) => searchProcedures(db, request.query, resolveLocale(request)),
  );

  app.get(
    '/procedures/:code',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Chi tiết thủ tục / procedure detail',
        params: ProcedureCodeParamsSchema,
        querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')])) }),
        response: { 200: ProcedureDetailSchema, 404: ProblemSchema },
      },
    },
    async (request) => getProcedure(db, request.params.code, resolveLocale(request)),
  );

  app.get(
    '/fields',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Danh sách lĩnh vực / fields',
        response: { 200: Type.Object({ items: Type.Array(FieldWithCountSchema) }) },
      },
    },
    async () => ({ items: await listFields(db) }),
  );
};
