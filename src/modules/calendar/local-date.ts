// Calendar days and instants in Vietnam. A calendar day is an ISO text 'YYYY-MM-DD' (LocalDate),
// an instant is a JS Date. Vietnam keeps UTC+7 all year (no daylight saving time since 1975), so
// converting between the two is a fixed offset and needs no time-zone database.
import { CalendarInputError } from './calendar-error.js';
import { fromJulianDayNumber, julianDayNumber, type SolarDate } from './lunar.js';

/** A calendar day, 'YYYY-MM-DD'. */
export type LocalDate = string;

/** Asia/Ho_Chi_Minh: UTC+7, no DST. */
export const VIETNAM_OFFSET_MINUTES = 7 * 60;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Julian day number of 1970-01-01. */
const UNIX_EPOCH_JDN = 2440588;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatLocalDate(date: SolarDate): LocalDate {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** The parts of a 'YYYY-MM-DD' text, or undefined when it is not one or the day does not exist. */
export function parseLocalDate(value: string): SolarDate | undefined {
  const m = LOCAL_DATE.exec(value);
  if (!m) return undefined;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1) return undefined;
  const back = fromJulianDayNumber(julianDayNumber(date.day, date.month, date.year));
  return back.day === date.day && back.month === date.month ? date : undefined;
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && parseLocalDate(value) !== undefined;
}

/** Parses a calendar day or throws CalendarInputError naming the input. */
export function requireLocalDate(value: string, field = 'date'): SolarDate {
  const date = parseLocalDate(value);
  if (!date) throw new CalendarInputError(field, 'calendar.error.invalidDate', { value });
  return date;
}

/** Julian day number of a calendar day: consecutive integers, handy for arithmetic. */
export function dayNumberOf(date: LocalDate): number {
  const d = requireLocalDate(date);
  return julianDayNumber(d.day, d.month, d.year);
}

export function localDateOfDayNumber(dayNumber: number): LocalDate {
  return formatLocalDate(fromJulianDayNumber(dayNumber));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(dayNumber: number): number {
  return (dayNumber + 1) % 7;
}

export function weekdayOf(date: LocalDate): number {
  return weekdayOfDayNumber(dayNumberOf(date));
}

export function isWeekendDayNumber(dayNumber: number): boolean {
  const w = weekdayOfDayNumber(dayNumber);
  return w === 0 || w === 6;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return localDateOfDayNumber(dayNumberOf(date) + days);
}

export function requireInstant(instant: Date, field = 'date'): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new CalendarInputError(field, 'calendar.error.invalidInstant');
  return ms;
}

/** The day number, in Vietnam, of an instant. */
export function localDayNumberOf(instant: Date): number {
  const ms = requireInstant(instant) + VIETNAM_OFFSET_MINUTES * MS_PER_MINUTE;
  return Math.floor(ms / MS_PER_DAY) + UNIX_EPOCH_JDN;
}

/** The calendar day, in Vietnam, of an instant. */
export function localDateOf(instant: Date): LocalDate {
  return localDateOfDayNumber(localDayNumberOf(instant));
}

/** Minutes since local midnight (Vietnam) of an instant, with fractions. */
export function localMinutesOf(instant: Date): number {
  const ms = requireInstant(instant) + VIETNAM_OFFSET_MINUTES * MS_PER_MINUTE;
  return (ms - Math.floor(ms / MS_PER_DAY) * MS_PER_DAY) / MS_PER_MINUTE;
}

/** The instant at a local time (minutes after midnight, Vietnam) of a day number. */
export function instantAtDayNumber(dayNumber: number, minutes: number): Date {
  return new Date((dayNumber - UNIX_EPOCH_JDN) * MS_PER_DAY + (minutes - VIETNAM_OFFSET_MINUTES) * MS_PER_MINUTE);
}

/** The instant at a local time (minutes after midnight, Vietnam) of a calendar day. */
export function instantAt(date: LocalDate, minutes: number): Date {
  return instantAtDayNumber(dayNumberOf(date), minutes);
}

/** Today's calendar day in Vietnam. */
export function todayInVietnam(now: Date = new Date()): LocalDate {
  return localDateOf(now);
}
