// The calendar's public JSON API under /api/v1: a year's days off and swap working days, and the
// Vietnamese lunar date of a day. Bad input answers 400 naming the parameter: the schemas catch
// malformed values, the service the ones outside the supported range.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { ProblemSchema } from '../../platform/http/problem.js';
import { HolidaysQuerySchema, HolidaysResponseSchema, LunarDateSchema, LunarQuerySchema } from './calendar.schemas.js';
import { getLunarDate, listCalendarDays } from './calendar.service.js';

export const calendarRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get(
    '/calendar/holidays',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Ngày nghỉ lễ, nghỉ bù và ngày làm bù của một năm / days off and swap working days of a year',
        querystring: HolidaysQuerySchema,
        response: { 200: HolidaysResponseSchema, 400: ProblemSchema },
      },
    },
    async (request) => listCalendarDays(db, request.query.year),
  );

  app.get(
    '/calendar/lunar',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Ngày âm lịch Việt Nam (UTC+7) của một ngày dương lịch / Vietnamese lunar date',
        querystring: LunarQuerySchema,
        response: { 200: LunarDateSchema, 400: ProblemSchema },
      },
    },
    async (request) => getLunarDate(request.query.date),
  );
};
