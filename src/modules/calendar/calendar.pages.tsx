// The public page "Lịch làm việc": a year's public holidays, days off and swap working days, where
// they come from, and links to the neighbouring years. Plain links and a GET form: no JavaScript.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { DB } from '../../db/schema.js';
import { Breadcrumbs, Button, NotificationBanner, Table, Tag, TextInput } from '../../platform/html/components.js';
import { Layout } from '../../platform/html/layout.js';
import { hrefWith, type PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import type { MessageParams } from '../../platform/i18n/i18n.js';
import { calendarText, type CalendarMessageKey } from './calendar-text.js';
import { CalendarPageQuerySchema } from './calendar.schemas.js';
import { createWorkingDays, currentCalendarYear, getYearCalendar, solarToLunar, supportedYears, type CalendarDay, type CalendarYear } from './calendar.service.js';
import { parseLocalDate, weekdayOf } from './local-date.js';
import { calendarDays } from './year-calendar.js';

const HtmlResponse = { 200: { content: { 'text/html': { schema: Type.String() } } } };
export const calendarPagePath = '/lich-lam-viec';

type Text = (key: CalendarMessageKey, params?: MessageParams) => string;

const kindColour = { holiday: 'red', 'day-off': 'amber', 'swap-workday': 'green' } as const;

function displayDate(date: string): string {
  const d = parseLocalDate(date);
  return d ? `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}` : date;
}

function lunarLabel(t: Text, date: string): string {
  const d = parseLocalDate(date);
  if (!d) return '';
  const lunar = solarToLunar(d);
  return lunar.leap ? t('calendar.lunarLeap', { day: lunar.day, month: lunar.month }) : `${lunar.day}/${lunar.month}`;
}

function SourceNotice({ ctx, t, calendar }: { ctx: PageContext; t: Text; calendar: CalendarYear }) {
  if (calendar.source === 'configured') return <NotificationBanner>{t('calendar.source.configured', { source: calendar.basis ?? '' })}</NotificationBanner>;
  if (calendar.source === 'announced') return <p>{t('calendar.source.announced')}</p>;
  const rule = calendar.rules.map((r) => (ctx.locale === 'en' ? r.nameEn : r.name)).join(', ');
  return <NotificationBanner variant="warning">{t('calendar.source.computed', { year: calendar.year, rule })}</NotificationBanner>;
}

function Sources({ ctx, t, calendar }: { ctx: PageContext; t: Text; calendar: CalendarYear }) {
  if (calendar.periods.length === 0) return null;
  return (
    <section>
      <h2>{t('calendar.sources')}</h2>
      <ul class="small">
        {calendar.periods.map((p) => (
          <li>
            <strong>{ctx.locale === 'en' && p.nameEn ? p.nameEn : p.name}</strong>{' '}
            <Tag colour={p.confidence === 'low' ? 'amber' : 'grey'}>{ctx.t(`procedure.confidence.${p.confidence}`)}</Tag>
            {p.note ? <div>{p.note}</div> : null}
            <ul>
              {p.sources.map((s) => (
                <li>{s}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CalendarPage({ ctx, calendar, workingDayCount }: { ctx: PageContext; calendar: CalendarYear; workingDayCount: number }) {
  const t: Text = (key, params) => calendarText(ctx.locale, key, params);
  const { year } = calendar;
  const { min, max } = supportedYears();
  const title = t('calendar.titleYear', { year });
  const days = calendarDays(calendar);
  return (
    <Layout ctx={ctx} title={title}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { label: t('calendar.title') }]} />
      <h1>{title}</h1>
      <p>{t('calendar.intro')}</p>
      <p>
        {t('calendar.officeHours')} {t('calendar.workingDayCount', { year, count: workingDayCount })}
      </p>
      <SourceNotice ctx={ctx} t={t} calendar={calendar} />
      {days.length === 0 ? (
        <p>{t('calendar.none')}</p>
      ) : (
        <Table<CalendarDay>
          caption={t('calendar.caption', { year })}
          columns={[
            { header: t('calendar.col.date'), cell: (d) => <time dateTime={d.date}>{displayDate(d.date)}</time> },
            { header: t('calendar.col.weekday'), cell: (d) => t(`calendar.weekday.${weekdayOf(d.date)}` as CalendarMessageKey) },
            { header: t('calendar.col.lunar'), cell: (d) => lunarLabel(t, d.date) },
            { header: t('calendar.col.name'), cell: (d) => (ctx.locale === 'en' && d.nameEn ? d.nameEn : d.name) },
            { header: t('calendar.col.kind'), cell: (d) => <Tag colour={kindColour[d.kind]}>{t(`calendar.kind.${d.kind}`)}</Tag> },
          ]}
          rows={days}
        />
      )}
      <nav aria-label={t('calendar.yearNav')}>
        <ul class="pagination">
          {year > min ? (
            <li>
              <a href={hrefWith(calendarPagePath, { year: year - 1 })} rel="prev">
                ‹ {t('calendar.previousYear', { year: year - 1 })}
              </a>
            </li>
          ) : null}
          {year < max ? (
            <li>
              <a href={hrefWith(calendarPagePath, { year: year + 1 })} rel="next">
                {t('calendar.nextYear', { year: year + 1 })} ›
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
      <form method="get" action={calendarPagePath}>
        <TextInput name="year" type="number" label={t('calendar.yearLabel')} value={String(year)} inputmode="numeric" />
        <Button variant="secondary">{t('calendar.show')}</Button>
      </form>
      <Sources ctx={ctx} t={t} calendar={calendar} />
    </Layout>
  );
}

export const calendarPages: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get(calendarPagePath, { schema: { hide: true, querystring: CalendarPageQuerySchema, response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const year = request.query.year ?? currentCalendarYear();
    const calendar = await getYearCalendar(db, year);
    const workingDays = createWorkingDays(() => calendar, { minYear: year, maxYear: year });
    const workingDayCount = workingDays.countWorkingDays(`${year}-01-01`, `${year}-12-31`);
    return sendPage(reply, <CalendarPage ctx={ctx} calendar={calendar} workingDayCount={workingDayCount} />);
  });
};
