// Use cases of the calendar: the module's only public surface for other modules. Reading the
// calendar is public. Configuring a year is the province administrator's; the access check
// (requireAccess) is added here once the identity module exists.
//
// A year's calendar comes from, in order: the province's configuration (table calendar_year),
// the announced schedule in data/rules/holidays.json, the defaults computed from the Labour Code
// version in force. Years are cached in memory per database; setYearCalendar clears the year, and
// entries expire after CACHE_TTL_MS so that other processes see a change within that time.
import { requireAccess, type Actor } from '../../platform/access/access.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { createDatabaseCache } from '../../platform/cache/database-cache.js';
import { findCalendarYear, upsertCalendarYear } from './calendar.repository.js';
import type { YearCalendarInput } from './calendar.schemas.js';
import {
  announcedYearCalendar,
  computeYearCalendar,
  holidayRuleBook,
  requireSupportedYear,
  rulesForYear,
  yearNote,
  type AnnouncedPeriod,
  type HolidayRuleBook,
} from './holiday-rule.js';
import { requireLocalDate, todayInVietnam, type LocalDate } from './local-date.js';
import { solarToLunar, type LunarDate } from './lunar.js';
import { createWorkingDays, type WorkingDays } from './working-days.js';
import { calendarDays, normalizeYearCalendar, yearCalendarProblems, type CalendarDay, type YearCalendar } from './year-calendar.js';

export type { CalendarDay, CalendarDayKind, DayOff, DayOffKind, SwapWorkday, YearCalendar, YearCalendarLookup } from './year-calendar.js';
export type { CountingOptions, Pause, Timeliness, WorkingDays, WorkingTime } from './working-days.js';
export type { LocalDate } from './local-date.js';
export type { LunarDate, SolarDate } from './lunar.js';
export type { YearCalendarInput } from './calendar.schemas.js';
export { createWorkingDays, timeliness, OFFICE_HOURS, MAX_WORKING_DAYS } from './working-days.js';
export { lunarToSolar, solarToLunar } from './lunar.js';
export { CalendarInputError } from './calendar-error.js';

export type CalendarSource = 'configured' | 'announced' | 'computed';

export interface CalendarYear extends YearCalendar {
  year: number;
  source: CalendarSource;
  /** configured: what the province based it on. */
  basis: string | null;
  /** The holiday rule versions that apply to the year. */
  rules: { id: string; name: string; nameEn: string }[];
  /** announced: the published periods with their notes, sources and confidence. */
  periods: AnnouncedPeriod[];
  /** What the rule file says about a year without a schedule. */
  note: string | null;
  updatedAt: Date | null;
}

const CACHE_TTL_MS = 5 * 60_000;
const MAX_SOURCE_LENGTH = 500;

const yearCache = createDatabaseCache<number, CalendarYear>({ ttlMs: CACHE_TTL_MS });

/** The supported years of the working calendar: those wholly covered by a holiday rule. */
export function supportedYears(book: HolidayRuleBook = holidayRuleBook()): { min: number; max: number } {
  return { min: book.minYear, max: book.maxYear };
}

function baseYear(book: HolidayRuleBook, year: number): CalendarYear {
  const rules = rulesForYear(book, year).map((r) => ({ id: r.id, name: r.name, nameEn: r.nameEn }));
  const announced = announcedYearCalendar(book, year);
  if (announced) {
    return { year, source: 'announced', basis: null, rules, periods: announced.periods, note: yearNote(book, year) ?? null, updatedAt: null, ...announced.calendar };
  }
  return { year, source: 'computed', basis: null, rules, periods: [], note: yearNote(book, year) ?? null, updatedAt: null, ...computeYearCalendar(book, year) };
}

async function readYear(db: Kysely<DB>, book: HolidayRuleBook, year: number): Promise<CalendarYear> {
  const row = await findCalendarYear(db, year);
  const base = baseYear(book, year);
  if (!row) return base;
  return { ...base, source: 'configured', basis: row.source, periods: [], holidays: row.holidays, swapWorkdays: row.swapWorkdays, updatedAt: row.updatedAt };
}

/** The calendar of a year: the province's configuration, else the announced schedule, else the
 *  computed defaults. Throws CalendarInputError (400) for a year outside the supported range. */
export async function getYearCalendar(db: Kysely<DB>, year: number): Promise<CalendarYear> {
  const book = holidayRuleBook();
  requireSupportedYear(book, year);
  // Inside a transaction the cache is bypassed: it reads what the transaction sees.
  return yearCache.get(db, year, () => readYear(db, book, year));
}

/** Days off and swap days of a year as one list, by date (the public API's shape). */
export async function listCalendarDays(db: Kysely<DB>, year: number): Promise<{ year: number; source: CalendarSource; days: CalendarDay[] }> {
  const calendar = await getYearCalendar(db, year);
  return { year, source: calendar.source, days: calendarDays(calendar) };
}

/** Forgets the cached years of a database. */
export function clearCalendarCache(db: Kysely<DB>): void {
  yearCache.clear(db);
}

/**
 * Stores the province's calendar of a year, replacing the previous one. Every problem is
 * reported at once as AppError invalid_input, each naming its field (`holidays.1.date`,
 * `swapWorkdays.0.date`, `source`, `year`); nothing is stored when there is one.
 */
export async function setYearCalendar(db: Kysely<DB>, year: number, input: YearCalendarInput): Promise<CalendarYear> {
  const book = holidayRuleBook();
  requireSupportedYear(book, year);
  const problems: FieldProblem[] = yearCalendarProblems(year, input);
  const source = typeof input?.source === 'string' ? input.source.trim() : '';
  if (source === '') problems.push({ name: 'source', message: { key: 'validation.required' } });
  else if (source.length > MAX_SOURCE_LENGTH) problems.push({ name: 'source', message: { key: 'validation.maxLength', params: { limit: MAX_SOURCE_LENGTH } } });
  if (problems.length > 0) throw new AppError('invalid_input', 'error.invalid_input', {}, problems);

  const calendar = normalizeYearCalendar(input);
  await db.transaction().execute((trx) => upsertCalendarYear(trx, year, calendar, source, new Date()));
  clearCalendarCache(db);
  return getYearCalendar(db, year);
}

/**
 * A working-day engine over the calendars of the years fromYear…toYear (clipped to the supported
 * range), read now so that the engine can stay synchronous and pure. A computation that reaches
 * another year fails loudly rather than silently ignoring that year's configuration: load enough
 * years (a deadline of up to a year fits in `year … year + 1`).
 */
export async function loadWorkingDays(db: Kysely<DB>, fromYear: number, toYear: number = fromYear + 1): Promise<WorkingDays> {
  const book = holidayRuleBook();
  const from = Math.max(book.minYear, fromYear);
  const to = Math.min(book.maxYear, toYear);
  const loaded = new Map<number, YearCalendar>();
  for (let year = from; year <= to; year += 1) loaded.set(year, await getYearCalendar(db, year));
  return createWorkingDays(
    (year) => {
      const calendar = loaded.get(year);
      if (!calendar) throw new Error(`calendar: year ${year} was not loaded (loaded ${from}–${to}); pass a wider range to loadWorkingDays`);
      return calendar;
    },
    { minYear: book.minYear, maxYear: book.maxYear },
  );
}

/** The lunar date of a solar day given as 'YYYY-MM-DD'; errors name the `date` input. */
export function getLunarDate(date: LocalDate): LunarDate {
  return solarToLunar(requireLocalDate(date, 'date'));
}

/** This year in Vietnam, kept inside the supported range. */
export function currentCalendarYear(now: Date = new Date()): number {
  const { min, max } = supportedYears();
  return Math.min(max, Math.max(min, Number(todayInVietnam(now).slice(0, 4))));
}

/** The province admin's use case: replaces a year's calendar with the days the province announced. */
export async function configureYearCalendar(db: Kysely<DB>, actor: Actor, year: number, input: YearCalendarInput): Promise<CalendarYear> {
  requireAccess(actor, 'calendar.manage');
  return setYearCalendar(db, year, input);
}
