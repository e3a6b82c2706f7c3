// The days that make one year differ from "Monday to Friday": its days off and its swap working
// days (làm bù). The same shape comes from three places (a province's configuration, an announced
// schedule in data/rules/holidays.json, or the rule's computed defaults), and one check applies
// to all of them.
import type { FieldProblem } from '../../platform/errors/app-error.js';
import { calendarProblem } from './calendar-text.js';
import { dayNumberOf, isWeekendDayNumber, parseLocalDate, type LocalDate } from './local-date.js';

/** 'holiday': a public holiday of Labour Code 2019 art. 112(1) (the Tết days as arranged for the
 *  year). 'day-off': a day off that is not itself a holiday: a compensatory day (art. 111(3)) or a
 *  working day swapped for a Saturday or Sunday (hoán đổi). */
export type DayOffKind = 'holiday' | 'day-off';

export interface DayOff {
  date: LocalDate;
  name: string;
  nameEn?: string | undefined;
  kind: DayOffKind;
}

/** A Saturday or Sunday worked in exchange for a day off (ngày làm bù). */
export interface SwapWorkday {
  date: LocalDate;
  name: string;
  nameEn?: string | undefined;
  /** The working day taken off in exchange, when known. */
  insteadOf?: LocalDate | undefined;
}

export interface YearCalendar {
  holidays: DayOff[];
  swapWorkdays: SwapWorkday[];
}

/** The calendar of a year. Pure: the working-day engine calls it synchronously. */
export type YearCalendarLookup = (year: number) => YearCalendar;

export type CalendarDayKind = DayOffKind | 'swap-workday';

export interface CalendarDay {
  date: LocalDate;
  name: string;
  nameEn?: string | undefined;
  kind: CalendarDayKind;
}

/** Days off and swap days of a year as one list, by date. */
export function calendarDays(calendar: YearCalendar): CalendarDay[] {
  const days: CalendarDay[] = [
    ...calendar.holidays.map((h) => ({ date: h.date, name: h.name, ...(h.nameEn ? { nameEn: h.nameEn } : {}), kind: h.kind })),
    ...calendar.swapWorkdays.map((s) => ({ date: s.date, name: s.name, ...(s.nameEn ? { nameEn: s.nameEn } : {}), kind: 'swap-workday' as const })),
  ];
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export const MAX_DAYS_PER_YEAR = 100;
const MAX_NAME_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameProblems(field: string, value: unknown, required: boolean): FieldProblem[] {
  if (value === undefined && !required) return [];
  if (typeof value !== 'string' || value.trim() === '') return [{ name: field, message: { key: 'validation.required' } }];
  if (value.length > MAX_NAME_LENGTH) return [{ name: field, message: { key: 'validation.maxLength', params: { limit: MAX_NAME_LENGTH } } }];
  return [];
}

/** Checks a date field: a real 'YYYY-MM-DD' day inside the year. Returns its day number when good. */
function dateProblems(field: string, value: unknown, year: number, problems: FieldProblem[]): number | undefined {
  if (typeof value !== 'string' || !parseLocalDate(value)) {
    problems.push({ name: field, message: calendarProblem('calendar.error.invalidDate', { value: String(value) }) });
    return undefined;
  }
  if (!value.startsWith(`${year}-`)) {
    problems.push({ name: field, message: calendarProblem('calendar.error.dateNotInYear', { date: value, year }) });
    return undefined;
  }
  return dayNumberOf(value);
}

/**
 * Every reason a year's calendar is unusable, each naming its field (`holidays.2.date`…):
 * dates that do not exist or lie outside the year, a date listed twice, a swap working day that is
 * not a Saturday or Sunday (it would change nothing: weekdays already are working days), a day
 * that is both off and worked, missing names, unknown kinds. Empty means the calendar is good.
 */
export function yearCalendarProblems(year: number, input: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isRecord(input)) return [{ name: 'holidays', message: { key: 'validation.required' } }];
  const holidays = input.holidays;
  const swaps = input.swapWorkdays;
  if (!Array.isArray(holidays)) problems.push({ name: 'holidays', message: { key: 'validation.type', params: { type: 'array' } } });
  if (!Array.isArray(swaps)) problems.push({ name: 'swapWorkdays', message: { key: 'validation.type', params: { type: 'array' } } });
  if (!Array.isArray(holidays) || !Array.isArray(swaps)) return problems;
  if (holidays.length > MAX_DAYS_PER_YEAR) problems.push({ name: 'holidays', message: calendarProblem('calendar.error.tooManyDays', { max: MAX_DAYS_PER_YEAR }) });
  if (swaps.length > MAX_DAYS_PER_YEAR) problems.push({ name: 'swapWorkdays', message: calendarProblem('calendar.error.tooManyDays', { max: MAX_DAYS_PER_YEAR }) });
  if (problems.length > 0) return problems;

  const offDays = new Map<number, string>();
  holidays.forEach((entry: unknown, i) => {
    const field = `holidays.${i}`;
    if (!isRecord(entry)) {
      problems.push({ name: field, message: { key: 'validation.type', params: { type: 'object' } } });
      return;
    }
    const dn = dateProblems(`${field}.date`, entry.date, year, problems);
    problems.push(...nameProblems(`${field}.name`, entry.name, true), ...nameProblems(`${field}.nameEn`, entry.nameEn, false));
    if (entry.kind !== 'holiday' && entry.kind !== 'day-off') {
      problems.push({ name: `${field}.kind`, message: { key: 'validation.enum', params: { values: 'holiday, day-off' } } });
    }
    if (dn === undefined) return;
    const other = offDays.get(dn);
    if (other) problems.push({ name: `${field}.date`, message: calendarProblem('calendar.error.duplicateDate', { date: String(entry.date), other }) });
    else offDays.set(dn, field);
  });

  const swapDays = new Map<number, string>();
  swaps.forEach((entry: unknown, i) => {
    const field = `swapWorkdays.${i}`;
    if (!isRecord(entry)) {
      problems.push({ name: field, message: { key: 'validation.type', params: { type: 'object' } } });
      return;
    }
    const dn = dateProblems(`${field}.date`, entry.date, year, problems);
    problems.push(...nameProblems(`${field}.name`, entry.name, true), ...nameProblems(`${field}.nameEn`, entry.nameEn, false));
    if (entry.insteadOf !== undefined && (typeof entry.insteadOf !== 'string' || !parseLocalDate(entry.insteadOf))) {
      problems.push({ name: `${field}.insteadOf`, message: calendarProblem('calendar.error.invalidDate', { value: String(entry.insteadOf) }) });
    }
    if (dn === undefined) return;
    // Only a weekly rest day can be turned into a working day (Decision 188/1999/QĐ-TTg: the
    // civil service works Monday to Friday).
    if (!isWeekendDayNumber(dn)) problems.push({ name: `${field}.date`, message: calendarProblem('calendar.error.swapNotWeekend', { date: String(entry.date) }) });
    const other = swapDays.get(dn);
    if (other) problems.push({ name: `${field}.date`, message: calendarProblem('calendar.error.duplicateDate', { date: String(entry.date), other }) });
    else swapDays.set(dn, field);
    if (offDays.has(dn)) problems.push({ name: `${field}.date`, message: calendarProblem('calendar.error.holidayIsSwap', { date: String(entry.date) }) });
  });
  return problems;
}

/** A copy holding only the known fields, names trimmed: what is stored and served. */
export function normalizeYearCalendar(input: YearCalendar): YearCalendar {
  const sortByDate = <T extends { date: string }>(list: T[]) => [...list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    holidays: sortByDate(
      input.holidays.map((h) => ({ date: h.date, name: h.name.trim(), ...(h.nameEn?.trim() ? { nameEn: h.nameEn.trim() } : {}), kind: h.kind })),
    ),
    swapWorkdays: sortByDate(
      input.swapWorkdays.map((s) => ({
        date: s.date,
        name: s.name.trim(),
        ...(s.nameEn?.trim() ? { nameEn: s.nameEn.trim() } : {}),
        ...(s.insteadOf ? { insteadOf: s.insteadOf } : {}),
      })),
    ),
  };
}
