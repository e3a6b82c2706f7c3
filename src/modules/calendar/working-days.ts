// Working days and deadlines: the one place that turns "N working days" into an instant
// (ARCHITECTURE.md, convention 8). Pure: the days off of each year come from a YearCalendarLookup,
// and nothing here reads a database or the clock.
//
// Definitions (all times in Asia/Ho_Chi_Minh, UTC+7, no DST):
// - Working day: Monday to Friday (Decision 188/1999/QĐ-TTg, the 40-hour week of the civil
//   service), minus the year's days off (public holidays, days in lieu, swapped days), plus the
//   year's swap working days (a Saturday or Sunday worked in exchange, làm bù).
// - Office hours: 07:30–11:30 and 13:30–17:00, 450 minutes a day. The office day ends at 17:00.
// - Counting start day of a dossier received at instant t: the day of t when it is a working day
//   and t is before the cut-off, otherwise the next working day. The cut-off is the end of the
//   office day (17:00) unless a procedure sets an earlier one (e.g. cutoffHour 15: "a dossier
//   received after 15:00 is counted from the next working day").
// - Due instant of N working days: 17:00 on the N-th working day after the counting start day.
//   The start day itself is not counted, as a period in days starts the day after the event
//   (Civil Code 2015, art. 147(2)); N = 0 is 17:00 on the counting start day ("within the day").
// - Working time used between receipt a and an instant b: office minutes from the end of the
//   counting start day to b, minus office minutes in pauses; as a number of working days it is
//   minutes / 450. So workingTimeBetween(a, addWorkingDays(a, n)) is exactly n.
// - A pause moves the due instant by the office time it covered (dueAfterPauses): the clock stops
//   while the applicant owes documents or payment or the dossier is stopped (DOMAIN.md §5).
import { CalendarInputError } from './calendar-error.js';
import {
  dayNumberOf,
  instantAtDayNumber,
  isWeekendDayNumber,
  localDateOfDayNumber,
  localDayNumberOf,
  localMinutesOf,
  requireInstant,
  type LocalDate,
} from './local-date.js';
import { fromJulianDayNumber, LUNAR_MAX_YEAR, LUNAR_MIN_YEAR } from './lunar.js';
import type { YearCalendar, YearCalendarLookup } from './year-calendar.js';

export type { DayOff, DayOffKind, SwapWorkday, YearCalendar, YearCalendarLookup } from './year-calendar.js';

/** An office-hours interval, in minutes after local midnight. */
export interface OfficeInterval {
  from: number;
  to: number;
}

/** 07:30–11:30 and 13:30–17:00: the common office hours of provincial administrations. */
export const OFFICE_HOURS: readonly OfficeInterval[] = [
  { from: 7 * 60 + 30, to: 11 * 60 + 30 },
  { from: 13 * 60 + 30, to: 17 * 60 },
];

/** The longest period accepted, as the catalogue's processingDays (10 years of working days). */
export const MAX_WORKING_DAYS = 3650;

export interface Pause {
  from: Date;
  /** Absent or null while the dossier is still paused. */
  to?: Date | null | undefined;
}

export interface CountingOptions {
  /** Local hour (0–24) from which a receipt counts from the next working day. Default, and
   *  latest: the end of the office day (17). A procedure may set 15 (after 15:00 → next working day). */
  cutoffHour?: number | undefined;
}

export interface WorkingTime {
  /** Office minutes. */
  minutes: number;
  /** Working days: minutes / minutes of an office day. */
  days: number;
}

export type Timeliness = 'early' | 'on-time' | 'late';

export interface WorkingDaysOptions {
  /** Years the lookup can answer for; a date outside → CalendarInputError. Default 1900–2199. */
  minYear?: number;
  maxYear?: number;
  officeHours?: readonly OfficeInterval[];
}

export interface WorkingDays {
  readonly minYear: number;
  readonly maxYear: number;
  /** Minutes in an office day (450 with the default hours). */
  readonly officeDayMinutes: number;
  /** Whether a calendar day (or the day, in Vietnam, of an instant) is a working day. */
  isWorkingDay(date: LocalDate | Date): boolean;
  /** The first working day strictly after a calendar day. */
  nextWorkingDay(date: LocalDate): LocalDate;
  /** Working days from `from` to `to`, both included. */
  countWorkingDays(from: LocalDate, to: LocalDate): number;
  /** The day counting starts from for a dossier received at `received` (see the file header). */
  countingStartDay(received: Date, options?: CountingOptions): LocalDate;
  /** The due instant of `n` working days for a dossier received at `start`: 17:00 on the n-th
   *  working day after the counting start day (n = 0: 17:00 on the counting start day). */
  addWorkingDays(start: Date, n: number, options?: CountingOptions): Date;
  /** The due instant once pauses have stopped the clock; null while a pause is still open. */
  dueAfterPauses(start: Date, n: number, pauses: readonly Pause[], options?: CountingOptions): Date | null;
  /** Working time a dossier received at `a` has used by `b`, pauses excluded. */
  workingTimeBetween(a: Date, b: Date, pauses?: readonly Pause[], options?: CountingOptions): WorkingTime;
  /** Office minutes between two instants (no counting rule, no pauses). */
  officeMinutesBetween(a: Date, b: Date): number;
  /** The instant at which `minutes` of office time after `start` have passed: a workflow step's
   *  own budget, which starts when the step is handed over, not on the next day. */
  addOfficeTime(start: Date, minutes: number): Date;
}

const MS_PER_MINUTE = 60_000;
/** Beyond this many consecutive days off, a calendar is broken (a year without working days). */
const MAX_DAYS_OFF_IN_A_ROW = 60;

interface YearIndex {
  off: Set<number>;
  swap: Set<number>;
}

function indexYear(calendar: YearCalendar): YearIndex {
  return {
    off: new Set(calendar.holidays.map((h) => dayNumberOf(h.date))),
    swap: new Set(calendar.swapWorkdays.map((s) => dayNumberOf(s.date))),
  };
}

interface Interval {
  from: number;
  to: number;
}

/** Pauses as disjoint, sorted intervals in ms; an open pause runs to +∞. */
function mergePauses(pauses: readonly Pause[]): Interval[] {
  const intervals = pauses.map((p, i) => {
    const from = requireInstant(p.from, `pauses.${i}.from`);
    const to = p.to === undefined || p.to === null ? Number.POSITIVE_INFINITY : requireInstant(p.to, `pauses.${i}.to`);
    if (to < from) throw new CalendarInputError(`pauses.${i}.to`, 'calendar.error.pauseOrder');
    return { from, to };
  });
  intervals.sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const iv of intervals) {
    const last = merged[merged.length - 1];
    if (last && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
    else merged.push({ ...iv });
  }
  return merged;
}

/** Parts of [from, to) not covered by the (sorted, disjoint) pauses. */
function withoutPauses(from: number, to: number, pauses: readonly Interval[]): Interval[] {
  const free: Interval[] = [];
  let cursor = from;
  for (const p of pauses) {
    if (p.to <= cursor) continue;
    if (p.from >= to) break;
    if (p.from > cursor) free.push({ from: cursor, to: p.from });
    cursor = Math.max(cursor, p.to);
    if (cursor >= to) break;
  }
  if (cursor < to) free.push({ from: cursor, to });
  return free;
}

/** Early: done before the due day. On time: on the due day, by the due instant. Late: after it. */
export function timeliness(completedAt: Date, dueAt: Date): Timeliness {
  const done = requireInstant(completedAt, 'completedAt');
  const due = requireInstant(dueAt, 'dueAt');
  if (done > due) return 'late';
  return localDayNumberOf(completedAt) < localDayNumberOf(dueAt) ? 'early' : 'on-time';
}

export function createWorkingDays(lookup: YearCalendarLookup, options: WorkingDaysOptions = {}): WorkingDays {
  const minYear = options.minYear ?? LUNAR_MIN_YEAR;
  const maxYear = options.maxYear ?? LUNAR_MAX_YEAR;
  const officeHours = [...(options.officeHours ?? OFFICE_HOURS)].sort((a, b) => a.from - b.from);
  const officeDayMinutes = officeHours.reduce((sum, iv) => sum + (iv.to - iv.from), 0);
  const officeEnd = officeHours[officeHours.length - 1]?.to ?? 17 * 60;
  const years = new Map<number, YearIndex>();

  const rangeError = () => new CalendarInputError('date', 'calendar.error.dateOutOfRange', { min: `${minYear}-01-01`, max: `${maxYear}-12-31` });

  function yearIndex(year: number): YearIndex {
    if (year < minYear || year > maxYear) throw rangeError();
    let index = years.get(year);
    if (!index) {
      index = indexYear(lookup(year));
      years.set(year, index);
    }
    return index;
  }

  function isWorkingDayNumber(dn: number): boolean {
    const index = yearIndex(fromJulianDayNumber(dn).year);
    if (index.swap.has(dn)) return true;
    return !isWeekendDayNumber(dn) && !index.off.has(dn);
  }

  function nextWorkingDayNumber(dn: number): number {
    for (let next = dn + 1, i = 0; i < MAX_DAYS_OFF_IN_A_ROW; next += 1, i += 1) {
      if (isWorkingDayNumber(next)) return next;
    }
    throw new Error(`calendar: no working day in the ${MAX_DAYS_OFF_IN_A_ROW} days after ${localDateOfDayNumber(dn)}; check the year's days off`);
  }

  function cutoffMinutes(opts: CountingOptions | undefined): number {
    const hour = opts?.cutoffHour;
    if (hour === undefined) return officeEnd;
    if (!Number.isInteger(hour) || hour < 0 || hour > 24) throw new CalendarInputError('cutoffHour', 'calendar.error.cutoffHour');
    // A receipt after the office day has ended never counts for that day, whatever the cut-off:
    // its day would end before the dossier arrived.
    return Math.min(hour * 60, officeEnd);
  }

  function countingStartDayNumber(received: Date, opts: CountingOptions | undefined): number {
    requireInstant(received, 'start');
    const cutoff = cutoffMinutes(opts);
    const dn = localDayNumberOf(received);
    return isWorkingDayNumber(dn) && localMinutesOf(received) < cutoff ? dn : nextWorkingDayNumber(dn);
  }

  function requireCount(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) throw new CalendarInputError('n', 'calendar.error.workingDayCount', { max: MAX_WORKING_DAYS });
  }

  /** Office minutes of [from, to) minus the pauses. */
  function officeMs(from: number, to: number, pauses: readonly Interval[]): number {
    if (to <= from) return 0;
    let total = 0;
    const lastDay = localDayNumberOf(new Date(to));
    for (let dn = localDayNumberOf(new Date(from)); dn <= lastDay; dn += 1) {
      if (!isWorkingDayNumber(dn)) continue;
      for (const iv of officeHours) {
        const start = Math.max(from, instantAtDayNumber(dn, iv.from).getTime());
        const end = Math.min(to, instantAtDayNumber(dn, iv.to).getTime());
        if (end <= start) continue;
        for (const free of withoutPauses(start, end, pauses)) total += free.to - free.from;
      }
    }
    return total;
  }

  const api: WorkingDays = {
    minYear,
    maxYear,
    officeDayMinutes,

    isWorkingDay(date) {
      return isWorkingDayNumber(date instanceof Date ? localDayNumberOf(date) : dayNumberOf(date));
    },

    nextWorkingDay(date) {
      return localDateOfDayNumber(nextWorkingDayNumber(dayNumberOf(date)));
    },

    countWorkingDays(from, to) {
      let count = 0;
      for (let dn = dayNumberOf(from), last = dayNumberOf(to); dn <= last; dn += 1) if (isWorkingDayNumber(dn)) count += 1;
      return count;
    },

    countingStartDay(received, opts) {
      return localDateOfDayNumber(countingStartDayNumber(received, opts));
    },

    addWorkingDays(start, n, opts) {
      requireCount(n);
      let dn = countingStartDayNumber(start, opts);
      for (let i = 0; i < n; i += 1) dn = nextWorkingDayNumber(dn);
      return instantAtDayNumber(dn, officeEnd);
    },

    dueAfterPauses(start, n, pauses, opts) {
      requireCount(n);
      const merged = mergePauses(pauses);
      if (merged.some((p) => p.to === Number.POSITIVE_INFINITY)) return null;
      const startDay = countingStartDayNumber(start, opts);
      let need = n * officeDayMinutes * MS_PER_MINUTE;
      if (need === 0) return instantAtDayNumber(startDay, officeEnd);
      // Walk the office hours after the counting start day, skipping paused time, until the
      // n office days are used up. Bounded: pauses are finite, so is the walk.
      for (let dn = startDay + 1; ; dn += 1) {
        if (!isWorkingDayNumber(dn)) continue;
        for (const iv of officeHours) {
          const from = instantAtDayNumber(dn, iv.from).getTime();
          const to = instantAtDayNumber(dn, iv.to).getTime();
          for (const free of withoutPauses(from, to, merged)) {
            const length = free.to - free.from;
            if (length >= need) return new Date(free.from + need);
            need -= length;
          }
        }
      }
    },

    addOfficeTime(start, minutes) {
      const begin = requireInstant(start, 'start');
      if (!Number.isFinite(minutes) || minutes < 0 || minutes > MAX_WORKING_DAYS * officeDayMinutes) throw new CalendarInputError('n', 'calendar.error.workingDayCount', { max: MAX_WORKING_DAYS });
      let need = minutes * MS_PER_MINUTE;
      for (let dn = localDayNumberOf(start); ; dn += 1) {
        if (!isWorkingDayNumber(dn)) continue;
        for (const iv of officeHours) {
          const from = Math.max(begin, instantAtDayNumber(dn, iv.from).getTime());
          const to = instantAtDayNumber(dn, iv.to).getTime();
          if (to <= from) continue;
          if (to - from >= need) return new Date(from + need);
          need -= to - from;
        }
      }
    },

    workingTimeBetween(a, b, pauses = [], opts) {
      const clockStart = instantAtDayNumber(countingStartDayNumber(a, opts), officeEnd).getTime();
      const end = requireInstant(b, 'b');
      const ms = officeMs(clockStart, end, mergePauses(pauses));
      const minutes = ms / MS_PER_MINUTE;
      return { minutes, days: minutes / officeDayMinutes };
    },

    officeMinutesBetween(a, b) {
      return officeMs(requireInstant(a, 'a'), requireInstant(b, 'b'), []) / MS_PER_MINUTE;
    },
  };
  return api;
}
