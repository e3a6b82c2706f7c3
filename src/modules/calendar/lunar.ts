// The Vietnamese lunar calendar (âm lịch), computed, not looked up: Hồ Ngọc Đức's algorithm
// ("Thuật toán tính âm lịch"), which finds new moons and the sun's longitude with the
// astronomical formulas of Meeus' "Astronomical Algorithms" and then applies the Vietnamese
// rules, all at the time zone of Vietnam, UTC+7.
//
// Why not a Chinese-calendar library: the Chinese calendar applies the same rules at UTC+8
// (Beijing). When a new moon falls between 16:00 and 17:00 UTC, the month starts on a different
// day in the two countries, and so, in some years, does Tết: 1985 (Vietnam 21/1, China 20/2,
// because the eleventh month differs) and 2007 (Vietnam 17/2, China 18/2). Public holidays
// (Labour Code 2019, art. 112(1)(b)–(c)) follow the Vietnamese calendar.
//
// Rules applied (as in the reference implementation):
// - a lunar month starts on the local day (UTC+7) of a new moon;
// - month 11 is the month that contains the winter solstice;
// - a lunar year that has 13 months (between two months 11) has a leap month: the first month,
//   after month 11, that contains no major solar term (trung khí); it repeats the number of the
//   month before it.
import { CalendarInputError } from './calendar-error.js';

export interface SolarDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

export interface LunarDate {
  /** 1–30 */
  day: number;
  /** 1–12; a leap month carries the number of the month it repeats. */
  month: number;
  /** The lunar year, counted like the solar year in which it starts (Tết). */
  year: number;
  /** True for the days of a leap month (tháng nhuận). */
  leap: boolean;
}

/** Vietnam's time zone, in hours east of UTC, for every astronomical event here. */
export const VIETNAM_TIME_ZONE = 7.0;

/** The range over which the algorithm is known to agree with the published Vietnamese
 *  calendars (Hồ Ngọc Đức publishes tables for 1800–2199); outside it, answers are refused. */
export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

const PI = Math.PI;
const INT = Math.floor;

/** Julian day number of a Gregorian date (every date in range is Gregorian). */
export function julianDayNumber(day: number, month: number, year: number): number {
  const a = INT((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + INT((153 * m + 2) / 5) + 365 * y + INT(y / 4) - INT(y / 100) + INT(y / 400) - 32045;
}

/** The Gregorian date of a Julian day number. */
export function fromJulianDayNumber(jd: number): SolarDate {
  const a = jd + 32044;
  const b = INT((4 * a + 3) / 146097);
  const c = a - INT((b * 146097) / 4);
  const d = INT((4 * c + 3) / 1461);
  const e = c - INT((1461 * d) / 4);
  const m = INT((5 * e + 2) / 153);
  return {
    day: e - INT((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * INT(m / 10),
    year: b * 100 + d - 4800 + INT(m / 10),
  };
}

/** Julian date (with fraction, UT) of the k-th new moon after 1/1/1900 (Meeus, ch. 49, abridged). */
function newMoon(k: number): number {
  const T = k / 1236.85; // Julian centuries since 1900-01-01 12:00
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = PI / 180;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * dr);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3; // sun's mean anomaly
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3; // moon's mean anomaly
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3; // moon's argument of latitude
  let C1 = (0.1734 - 0.000393 * T) * Math.sin(M * dr) + 0.0021 * Math.sin(2 * dr * M);
  C1 = C1 - 0.4068 * Math.sin(Mpr * dr) + 0.0161 * Math.sin(dr * 2 * Mpr);
  C1 = C1 - 0.0004 * Math.sin(dr * 3 * Mpr);
  C1 = C1 + 0.0104 * Math.sin(dr * 2 * F) - 0.0051 * Math.sin(dr * (M + Mpr));
  C1 = C1 - 0.0074 * Math.sin(dr * (M - Mpr)) + 0.0004 * Math.sin(dr * (2 * F + M));
  C1 = C1 - 0.0004 * Math.sin(dr * (2 * F - M)) - 0.0006 * Math.sin(dr * (2 * F + Mpr));
  C1 = C1 + 0.001 * Math.sin(dr * (2 * F - Mpr)) + 0.0005 * Math.sin(dr * (2 * Mpr + M));
  // ΔT (TT − UT), in days.
  const deltaT = T < -11 ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3 : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + C1 - deltaT;
}

/** The sun's apparent longitude, in radians [0, 2π), at a Julian date (Meeus, ch. 25, low accuracy). */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525; // Julian centuries since J2000.0
  const T2 = T * T;
  const dr = PI / 180;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(dr * M);
  DL = DL + (0.019993 - 0.000101 * T) * Math.sin(dr * 2 * M) + 0.00029 * Math.sin(dr * 3 * M);
  let L = (L0 + DL) * dr;
  L = L - PI * 2 * INT(L / (PI * 2));
  return L;
}

/** The sector (0–11, 30° each) of the sun's longitude at the start of a local day. */
function sunSector(dayNumber: number, timeZone: number): number {
  return INT((sunLongitude(dayNumber - 0.5 - timeZone / 24) / PI) * 6);
}

/** The local day number on which the k-th new moon falls. */
function newMoonDay(k: number, timeZone: number): number {
  return INT(newMoon(k) + 0.5 + timeZone / 24);
}

/** The first day of lunar month 11 (the month of the winter solstice) of a solar year. */
function lunarMonth11(year: number, timeZone: number): number {
  const off = julianDayNumber(31, 12, year) - 2415021;
  const k = INT(off / 29.530588853);
  const nm = newMoonDay(k, timeZone);
  // A new moon after the sun passed 270° (sector ≥ 9) starts month 12; month 11 began a month earlier.
  return sunSector(nm, timeZone) >= 9 ? newMoonDay(k - 1, timeZone) : nm;
}

/** In a 13-month lunar year starting with month 11 at a11, the index (1-based, after a11) of the
 *  leap month: the first month without a major solar term, i.e. whose sector does not change. */
function leapMonthOffset(a11: number, timeZone: number): number {
  const k = INT((a11 - 2415021.076998695) / 29.530588853 + 0.5);
  let last: number;
  let i = 1;
  let arc = sunSector(newMoonDay(k + i, timeZone), timeZone);
  do {
    last = arc;
    i += 1;
    arc = sunSector(newMoonDay(k + i, timeZone), timeZone);
  } while (arc !== last && i < 14);
  return i - 1;
}

const MIN_JD = julianDayNumber(1, 1, LUNAR_MIN_YEAR);
const MAX_JD = julianDayNumber(31, 12, LUNAR_MAX_YEAR);

function rangeError(field: string): CalendarInputError {
  return new CalendarInputError(field, 'calendar.error.dateOutOfRange', { min: `${LUNAR_MIN_YEAR}-01-01`, max: `${LUNAR_MAX_YEAR}-12-31` });
}

function isSolarDate(date: SolarDate): boolean {
  const { year, month, day } = date;
  if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12 || day < 1) return false;
  const next = fromJulianDayNumber(julianDayNumber(1, month, year) + day - 1);
  return next.month === month && next.year === year;
}

/** The lunar date of a solar (Gregorian) date, in Vietnam. Throws CalendarInputError for an
 *  impossible date or one outside 1900-01-01 … 2199-12-31. */
export function solarToLunar(date: SolarDate): LunarDate {
  if (!isSolarDate(date)) throw new CalendarInputError('date', 'calendar.error.invalidDate', { value: `${date.year}-${date.month}-${date.day}` });
  const dayNumber = julianDayNumber(date.day, date.month, date.year);
  if (dayNumber < MIN_JD || dayNumber > MAX_JD) throw rangeError('date');
  const tz = VIETNAM_TIME_ZONE;
  // The month holds the last new moon on or before the day. The estimate of k can be one lunation
  // late near the end of the range (e.g. 2054-04-27), so step back until the new moon is not after it.
  let k = INT((dayNumber - 2415021.076998695) / 29.530588853) + 1;
  let monthStart = newMoonDay(k, tz);
  while (monthStart > dayNumber) {
    k -= 1;
    monthStart = newMoonDay(k, tz);
  }
  let a11 = lunarMonth11(date.year, tz);
  let b11 = a11;
  let lunarYear: number;
  if (a11 >= monthStart) {
    lunarYear = date.year;
    a11 = lunarMonth11(date.year - 1, tz);
  } else {
    lunarYear = date.year + 1;
    b11 = lunarMonth11(date.year + 1, tz);
  }
  const day = dayNumber - monthStart + 1;
  const diff = INT((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz);
    if (diff >= leapDiff) {
      month = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) lunarYear -= 1;
  return { day, month, year: lunarYear, leap };
}

/** Start (local day number) and length of a lunar month, or undefined when that month does not
 *  exist (a leap month in a year whose leap month is another one, or a year without one). */
function lunarMonthStart(month: number, year: number, leap: boolean): { start: number; length: number } | undefined {
  const tz = VIETNAM_TIME_ZONE;
  let a11: number;
  let b11: number;
  if (month < 11) {
    a11 = lunarMonth11(year - 1, tz);
    b11 = lunarMonth11(year, tz);
  } else {
    a11 = lunarMonth11(year, tz);
    b11 = lunarMonth11(year + 1, tz);
  }
  const k = INT(0.5 + (a11 - 2415021.076998695) / 29.530588853);
  let off = month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (leap && month !== leapMonth) return undefined;
    if (leap || off >= leapOff) off += 1;
  } else if (leap) {
    return undefined;
  }
  const start = newMoonDay(k + off, tz);
  return { start, length: newMoonDay(k + off + 1, tz) - start };
}

/** The month number of the leap month of a lunar year, or undefined when it has none. */
export function leapMonthOf(lunarYear: number): number | undefined {
  for (let month = 1; month <= 12; month += 1) {
    if (lunarMonthStart(month, lunarYear, true)) return month;
  }
  return undefined;
}

/** The number of days (29 or 30) of a lunar month. */
export function lunarMonthLength(month: number, lunarYear: number, leap = false): number {
  const found = lunarMonthStart(month, lunarYear, leap);
  if (!found) throw new CalendarInputError('date', 'calendar.error.noLeapMonth', { month, year: lunarYear });
  return found.length;
}

/** The solar (Gregorian) date of a Vietnamese lunar date. Throws CalendarInputError for a lunar
 *  date that does not exist (day 30 of a 29-day month, a leap month the year does not have) or
 *  whose solar date is outside 1900-01-01 … 2199-12-31. */
export function lunarToSolar(date: LunarDate): SolarDate {
  const { day, month, year, leap } = date;
  if (![day, month, year].every(Number.isInteger) || month < 1 || month > 12 || day < 1 || day > 30) {
    throw new CalendarInputError('date', 'calendar.error.invalidLunarDate', { value: `${day}/${month}/${year}` });
  }
  // Lunar year 1899 ends in January 1900, so its last month is still in range.
  if (year < LUNAR_MIN_YEAR - 1 || year > LUNAR_MAX_YEAR) throw rangeError('date');
  const found = lunarMonthStart(month, year, leap);
  if (!found) throw new CalendarInputError('date', 'calendar.error.noLeapMonth', { month, year });
  if (day > found.length) {
    throw new CalendarInputError('date', leap ? 'calendar.error.leapLunarDayTooLarge' : 'calendar.error.lunarDayTooLarge', { day, month, year, length: found.length });
  }
  const jd = found.start + day - 1;
  if (jd < MIN_JD || jd > MAX_JD) throw rangeError('date');
  return fromJulianDayNumber(jd);
}
