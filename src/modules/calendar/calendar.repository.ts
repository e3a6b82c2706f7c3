// Kysely queries of the calendar: plain functions taking the database (or a transaction) first.
// `withTables` declares the calendar's table locally, so this module compiles before (and after)
// CalendarYearTable is added to the DB interface of src/db/schema.ts.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CalendarYearTable } from './calendar.table.js';
import type { YearCalendar } from './year-calendar.js';

type CalendarTables = { calendarYear: CalendarYearTable };

export async function findCalendarYear(db: Kysely<DB>, year: number) {
  return db.withTables<CalendarTables>().selectFrom('calendarYear').selectAll().where('year', '=', year).executeTakeFirst();
}

export async function listConfiguredYears(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.withTables<CalendarTables>().selectFrom('calendarYear').select('year').orderBy('year').execute();
  return rows.map((r) => r.year);
}

/** Stores a year's calendar, replacing the previous one as a whole. */
export async function upsertCalendarYear(trx: Transaction<DB>, year: number, calendar: YearCalendar, source: string, now: Date): Promise<void> {
  const values = {
    year,
    holidays: JSON.stringify(calendar.holidays),
    swapWorkdays: JSON.stringify(calendar.swapWorkdays),
    source,
    updatedAt: now,
  };
  await trx
    .withTables<CalendarTables>()
    .insertInto('calendarYear')
    .values(values)
    .onConflict((oc) => oc.column('year').doUpdateSet({ holidays: values.holidays, swapWorkdays: values.swapWorkdays, source, updatedAt: now }))
    .execute();
}
