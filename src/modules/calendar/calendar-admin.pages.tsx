// The province admin's page for a year's working calendar: days off and swap working days, one per
// line, with what they are based on. A plain form: no script needed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { DB } from '../../db/schema.js';
import { isAppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, TextInput, Textarea } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { HtmlResponse, hiddenFromApi, optionalText } from '../../platform/http/route-schemas.js';
import { requireAccess } from '../../platform/access/access.js';
import { calendarText } from './calendar-text.js';
import { configureYearCalendar, currentCalendarYear, getYearCalendar, type CalendarYear } from './calendar.service.js';

const YearQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2199 })) });

interface Values {
  holidays: string;
  swapWorkdays: string;
  source: string;
}

function valuesOf(calendar: CalendarYear): Values {
  return {
    holidays: calendar.holidays.map((h) => `${h.date} | ${h.name} | ${h.kind}`).join('\n'),
    swapWorkdays: calendar.swapWorkdays.map((s) => `${s.date} | ${s.name}`).join('\n'),
    source: calendar.basis ?? '',
  };
}

/** "2027-02-05 | Tết Nguyên Đán | holiday" lines; a malformed line is kept as is for the validator. */
function parseLines(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split('|').map((part) => part.trim()));
}

function CalendarAdminPage({ ctx, year, values, errors }: { ctx: PageContext; year: number; values: Values; errors: FormErrors }) {
  const title = calendarText(ctx.locale, 'calendar.admin.title', { year });
  const fieldError = (prefix: string) => Object.entries(errors.byField).find(([name]) => name === prefix || name.startsWith(`${prefix}.`))?.[1];
  return (
    <Layout ctx={ctx} title={title} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/quan-tri', label: ctx.t('backoffice.home.title') }, { label: title }]} />
      <FormErrorSummary ctx={ctx} errors={{ ...errors, summary: errors.summary.map((p) => ({ ...p, name: p.name.split('.')[0] ?? p.name })) }} />
      <h1>{title}</h1>
      <p>
        <a href={`/lich-lam-viec?year=${year}`}>{calendarText(ctx.locale, 'calendar.admin.public')}</a>
      </p>
      <Form ctx={ctx} action={`/quan-tri/lich?year=${year}`}>
        <Textarea name="holidays" label={calendarText(ctx.locale, 'calendar.admin.holidays')} hint={calendarText(ctx.locale, 'calendar.admin.holidaysHint')} value={values.holidays} error={fieldError('holidays')} rows={12} maxLength={10_000} />
        <Textarea name="swapWorkdays" label={calendarText(ctx.locale, 'calendar.admin.swaps')} hint={calendarText(ctx.locale, 'calendar.admin.swapsHint')} value={values.swapWorkdays} error={fieldError('swapWorkdays')} rows={4} maxLength={5_000} />
        <TextInput name="source" label={calendarText(ctx.locale, 'calendar.admin.source')} value={values.source} error={fieldError('source')} maxLength={500} />
        <Button>{calendarText(ctx.locale, 'calendar.admin.save')}</Button>
      </Form>
    </Layout>
  );
}

export const calendarAdminPages: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get('/quan-tri/lich', { schema: { ...hiddenFromApi, querystring: YearQuery, response: HtmlResponse } }, async (request, reply) => {
    if (request.actor.kind === 'anonymous') return reply.redirect('/dang-nhap', 303);
    requireAccess(request.actor, 'calendar.manage');
    const year = request.query.year ?? currentCalendarYear();
    const calendar = await getYearCalendar(db, year);
    return sendPage(reply, <CalendarAdminPage ctx={pageContext(request, reply)} year={year} values={valuesOf(calendar)} errors={noErrors} />);
  });

  app.post(
    '/quan-tri/lich',
    { schema: { ...hiddenFromApi, querystring: YearQuery, body: Type.Object({ _csrf: optionalText(), holidays: optionalText(10_000), swapWorkdays: optionalText(5_000), source: optionalText(500) }), response: HtmlResponse } },
    async (request, reply) => {
      if (request.actor.kind === 'anonymous') return reply.redirect('/dang-nhap', 303);
      requireAccess(request.actor, 'calendar.manage');
      const year = request.query.year ?? currentCalendarYear();
      const ctx = pageContext(request, reply);
      const values: Values = { holidays: request.body.holidays ?? '', swapWorkdays: request.body.swapWorkdays ?? '', source: request.body.source ?? '' };
      try {
        await configureYearCalendar(db, request.actor, year, {
          holidays: parseLines(values.holidays).map(([date = '', name = '', kind = '']) => ({ date, name, kind: kind as 'holiday' | 'day-off' })),
          swapWorkdays: parseLines(values.swapWorkdays).map(([date = '', name = '']) => ({ date, name })),
          source: values.source,
        });
        return reply.redirect(`/lich-lam-viec?year=${year}`, 303);
      } catch (error) {
        if (isAppError(error) && error.code === 'invalid_input') return sendPage(reply, <CalendarAdminPage ctx={ctx} year={year} values={values} errors={formErrors(ctx, error)} />, 400);
        throw error;
      }
    },
  );
};
