import type { ColumnType, JSONColumnType } from 'kysely';
import type { DayOff, SwapWorkday } from './year-calendar.js';

/** A year's working calendar as configured by the province (migration 20261128T1300_calendar). */
export interface CalendarYearTable {
  year: number;
  holidays: JSONColumnType<DayOff[], string, string>;
  swapWorkdays: JSONColumnType<SwapWorkday[], string, string>;
  /** What the configuration is based on, e.g. the province's decision or the ministry's notice. */
  source: string;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}
