// Public holidays as versioned data (data/rules/holidays.json), and the calendar of a year built
// from it: the announced schedule when the file has one, otherwise the defaults computed from the
// rule in force.
//
// Labour Code 2019, art. 112(1): New Year's Day (1/1); Tết, 5 days; Reunification Day (30/4);
// Labour Day (1/5); National Day, 2 days (2/9 and one adjacent day, 1/9 or 3/9); Hùng Kings'
// day (10/3 lunar). Art. 112(3): the Prime Minister fixes the exact Tết and National Day days each
// year. Art. 111(3): a holiday on a weekly rest day gives a day off on the next working day.
// The Labour Code 2012 (art. 115, in force 1/5/2013–31/12/2020) had the same list with a single
// National Day. Each version is a rule in the file with its effective dates; none is in the code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { Type, type Static } from 'typebox';
import { CalendarInputError } from './calendar-error.js';
import { dayNumberOf, isWeekendDayNumber, localDateOfDayNumber, parseLocalDate, type LocalDate } from './local-date.js';
import { LUNAR_MAX_YEAR, LUNAR_MIN_YEAR, lunarToSolar, julianDayNumber } from './lunar.js';
import { yearCalendarProblems, type DayOff, type SwapWorkday, type YearCalendar } from './year-calendar.js';

const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Confidence = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);

const HolidayDateSchema = Type.Union([
  Type.Object({ calendar: Type.Literal('solar'), month: Type.Integer({ minimum: 1, maximum: 12 }), day: Type.Integer({ minimum: 1, maximum: 31 }) }, { additionalProperties: false }),
  Type.Object({ calendar: Type.Literal('lunar'), month: Type.Integer({ minimum: 1, maximum: 12 }), day: Type.Integer({ minimum: 1, maximum: 30 }) }, { additionalProperties: false }),
  // Days counted from the first day of the lunar year (mùng 1 Tết): -1 is the last day of the
  // previous lunar year, whether that is the 29th or the 30th of month 12.
  Type.Object({ calendar: Type.Literal('lunar-new-year'), offsets: Type.Array(Type.Integer({ minimum: -15, maximum: 15 }), { minItems: 1, maxItems: 15 }) }, { additionalProperties: false }),
]);

const RuleHolidaySchema = Type.Object(
  {
    key: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    nameEn: Type.String({ minLength: 1 }),
    date: HolidayDateSchema,
    /** Whether a day off in lieu is given when the holiday falls on a weekend (art. 111(3)). */
    compensate: Type.Boolean(),
    basis: Type.String(),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const HolidayRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    nameEn: Type.String({ minLength: 1 }),
    effectiveFrom: DateText,
    effectiveTo: Type.Union([DateText, Type.Null()]),
    legalBasis: Type.Array(Type.String()),
    compensatoryName: Type.String({ pattern: '\\{name\\}' }),
    compensatoryNameEn: Type.String({ pattern: '\\{name\\}' }),
    holidays: Type.Array(RuleHolidaySchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

const AnnouncedDaySchema = Type.Object(
  {
    date: DateText,
    kind: Type.Union([Type.Literal('holiday'), Type.Literal('day-off')]),
    name: Type.Optional(Type.String({ minLength: 1 })),
    nameEn: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

const AnnouncedSwapSchema = Type.Object(
  {
    date: DateText,
    insteadOf: Type.Optional(DateText),
    name: Type.String({ minLength: 1 }),
    nameEn: Type.Optional(Type.String({ minLength: 1 })),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const AnnouncedPeriodSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    nameEn: Type.Optional(Type.String({ minLength: 1 })),
    from: DateText,
    to: DateText,
    days: Type.Array(AnnouncedDaySchema),
    swapWorkdays: Type.Array(AnnouncedSwapSchema),
    note: Type.Optional(Type.String()),
    sources: Type.Array(Type.String(), { minItems: 1 }),
    confidence: Confidence,
  },
  { additionalProperties: false },
);

const AnnouncedYearSchema = Type.Object(
  {
    /** 'announced': the periods are the year's schedule. Anything else: no schedule yet; the
     *  computed defaults apply and the note says what is known. */
    status: Type.Union([Type.Literal('announced'), Type.Literal('not_found')]),
    rule: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
    periods: Type.Array(AnnouncedPeriodSchema),
  },
  { additionalProperties: false },
);

export const HolidayRuleFileSchema = Type.Object(
  {
    _about: Type.Optional(Type.String()),
    rules: Type.Array(HolidayRuleSchema, { minItems: 1 }),
    years: Type.Record(Type.String(), AnnouncedYearSchema),
    sources: Type.Optional(Type.Array(Type.String())),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export type HolidayRuleFile = Static<typeof HolidayRuleFileSchema>;
export type HolidayRule = Static<typeof HolidayRuleSchema>;
export type RuleHoliday = Static<typeof RuleHolidaySchema>;
export type AnnouncedYear = Static<typeof AnnouncedYearSchema>;
export type AnnouncedPeriod = Static<typeof AnnouncedPeriodSchema>;

/** The rule file, checked, with the range of years it can answer for. */
export interface HolidayRuleBook {
  readonly rules: readonly HolidayRule[];
  readonly years: Readonly<Record<string, AnnouncedYear>>;
  /** The first and last years wholly covered by a rule (and by the lunar calendar). */
  readonly minYear: number;
  readonly maxYear: number;
}

export class HolidayRuleFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`data/rules/holidays.json is invalid:\n- ${problems.join('\n- ')}`);
    this.name = 'HolidayRuleFileError';
  }
}

const ajv = new Ajv.default({ allErrors: true, strict: false });
const checkFileShape = ajv.compile(HolidayRuleFileSchema);

/** Checks a parsed rule file: its shape, then what a schema cannot say (dates that exist, rule
 *  versions in order and without gaps, announced days inside their year…). Throws
 *  HolidayRuleFileError listing every problem: a bad rule file must stop the boot, not
 *  silently shift deadlines. */
export function parseHolidayRuleBook(json: unknown): HolidayRuleBook {
  if (!checkFileShape(json)) {
    throw new HolidayRuleFileError((checkFileShape.errors ?? []).map((e) => `${e.instancePath || '(file)'}: ${e.message ?? e.keyword}`));
  }
  const file = json as HolidayRuleFile;
  const problems: string[] = [];
  const ids = new Set<string>();
  file.rules.forEach((rule, i) => {
    const at = `rules/${i} (${rule.id})`;
    if (ids.has(rule.id)) problems.push(`${at}: duplicate id`);
    ids.add(rule.id);
    if (!parseLocalDate(rule.effectiveFrom)) problems.push(`${at}: effectiveFrom ${rule.effectiveFrom} is not a date`);
    if (rule.effectiveTo !== null && !parseLocalDate(rule.effectiveTo)) problems.push(`${at}: effectiveTo ${rule.effectiveTo} is not a date`);
    if (rule.effectiveTo !== null && rule.effectiveTo < rule.effectiveFrom) problems.push(`${at}: effectiveTo is before effectiveFrom`);
    const next = file.rules[i + 1];
    if (next) {
      if (rule.effectiveTo === null) problems.push(`${at}: only the last rule may have no end`);
      else if (parseLocalDate(rule.effectiveTo) && parseLocalDate(next.effectiveFrom) && dayNumberOf(rule.effectiveTo) + 1 !== dayNumberOf(next.effectiveFrom)) {
        problems.push(`${at}: the next rule must start the day after ${rule.effectiveTo} (no gap, no overlap)`);
      }
    }
    const keys = new Set<string>();
    for (const h of rule.holidays) {
      if (keys.has(h.key)) problems.push(`${at}: duplicate holiday key ${h.key}`);
      keys.add(h.key);
      if (h.date.calendar === 'solar' && !parseLocalDate(`2000-${String(h.date.month).padStart(2, '0')}-${String(h.date.day).padStart(2, '0')}`)) {
        problems.push(`${at}: holiday ${h.key} has no such day ${h.date.day}/${h.date.month}`);
      }
    }
  });

  const first = file.rules[0]!;
  const last = file.rules[file.rules.length - 1]!;
  const firstYear = Number(first.effectiveFrom.slice(0, 4));
  const minYear = Math.max(LUNAR_MIN_YEAR, first.effectiveFrom.endsWith('-01-01') ? firstYear : firstYear + 1);
  const lastYear = last.effectiveTo === null ? LUNAR_MAX_YEAR : Number(last.effectiveTo.slice(0, 4)) - (last.effectiveTo.endsWith('-12-31') ? 0 : 1);
  const maxYear = Math.min(LUNAR_MAX_YEAR, lastYear);

  for (const [key, announced] of Object.entries(file.years)) {
    if (!/^\d{4}$/.test(key)) {
      problems.push(`years/${key}: the key must be a year`);
      continue;
    }
    const year = Number(key);
    if (year < minYear || year > maxYear) problems.push(`years/${key}: outside the years covered by the rules (${minYear}–${maxYear})`);
    if (announced.rule !== undefined && !ids.has(announced.rule)) problems.push(`years/${key}: unknown rule ${announced.rule}`);
    if (announced.status !== 'announced') continue;
    for (const p of yearCalendarProblems(year, flattenPeriods(announced.periods))) {
      problems.push(`years/${key}: ${p.name}: ${typeof p.message === 'string' ? p.message : p.message.key}`);
    }
  }
  if (problems.length > 0) throw new HolidayRuleFileError(problems);
  return { rules: file.rules, years: file.years, minYear, maxYear };
}

export const holidayRuleFilePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/rules/holidays.json');

export function loadHolidayRuleBook(file: string = holidayRuleFilePath): HolidayRuleBook {
  return parseHolidayRuleBook(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
}

let bundled: HolidayRuleBook | undefined;

/** The rule book of data/rules/holidays.json, read once. */
export function holidayRuleBook(): HolidayRuleBook {
  bundled ??= loadHolidayRuleBook();
  return bundled;
}

/** Refuses a year the rule book cannot answer for, naming the input. */
export function requireSupportedYear(book: HolidayRuleBook, year: number, field = 'year'): void {
  if (!Number.isInteger(year) || year < book.minYear || year > book.maxYear) {
    throw new CalendarInputError(field, 'calendar.error.yearOutOfRange', { year: String(year), min: book.minYear, max: book.maxYear });
  }
}

/** The rule version in force on a day, if any. */
export function ruleInForce(book: HolidayRuleBook, date: LocalDate): HolidayRule | undefined {
  return book.rules.find((r) => r.effectiveFrom <= date && (r.effectiveTo === null || date <= r.effectiveTo));
}

function flattenPeriods(periods: readonly AnnouncedPeriod[]): YearCalendar {
  const holidays: DayOff[] = [];
  const swapWorkdays: SwapWorkday[] = [];
  for (const p of periods) {
    for (const d of p.days) {
      holidays.push({ date: d.date, name: d.name ?? p.name, ...((d.nameEn ?? p.nameEn) ? { nameEn: d.nameEn ?? p.nameEn } : {}), kind: d.kind });
    }
    for (const s of p.swapWorkdays) {
      swapWorkdays.push({ date: s.date, name: s.name, ...(s.nameEn ? { nameEn: s.nameEn } : {}), ...(s.insteadOf ? { insteadOf: s.insteadOf } : {}) });
    }
  }
  const byDate = <T extends { date: string }>(a: T, b: T) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  return { holidays: holidays.sort(byDate), swapWorkdays: swapWorkdays.sort(byDate) };
}

export interface AnnouncedCalendar {
  calendar: YearCalendar;
  /** The announced periods with their notes, sources and confidence. */
  periods: AnnouncedPeriod[];
  ruleId: string | undefined;
}

/** The announced schedule of a year, when data/rules/holidays.json has one. */
export function announcedYearCalendar(book: HolidayRuleBook, year: number): AnnouncedCalendar | undefined {
  const announced = book.years[String(year)];
  if (!announced || announced.status !== 'announced') return undefined;
  return { calendar: flattenPeriods(announced.periods), periods: [...announced.periods], ruleId: announced.rule };
}

/** What the rule file says about a year without a schedule (e.g. "not found, as of …"). */
export function yearNote(book: HolidayRuleBook, year: number): string | undefined {
  return book.years[String(year)]?.note;
}

interface Candidate {
  dayNumber: number;
  name: string;
  nameEn: string;
  compensate: boolean;
  rule: HolidayRule;
}

function holidayDayNumbers(holiday: RuleHoliday, year: number): number[] {
  const date = holiday.date;
  switch (date.calendar) {
    case 'solar':
      // 29/2 in a common year does not exist; a rule never uses it, and the file check refuses
      // days no year has.
      return parseLocalDate(`${year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`)
        ? [julianDayNumber(date.day, date.month, year)]
        : [];
    case 'lunar': {
      // The regular month, never its leap repeat: a holiday is kept once.
      const solar = lunarToSolar({ day: date.day, month: date.month, year, leap: false });
      return [julianDayNumber(solar.day, solar.month, solar.year)];
    }
    case 'lunar-new-year': {
      const tet = lunarToSolar({ day: 1, month: 1, year, leap: false });
      const first = julianDayNumber(tet.day, tet.month, tet.year);
      return date.offsets.map((offset) => first + offset);
    }
  }
}

/**
 * The default calendar of a year from the rules in force on each of its days (a year split by a
 * new Labour Code takes each holiday from the version in force on that day):
 * - every holiday of the rule, the lunar ones converted with the Vietnamese calendar;
 * - for a holiday marked `compensate` that falls on a Saturday or Sunday, or on a day already
 *   taken by another holiday, a day off on the next working day not already off (Labour Code
 *   2019, art. 111(3); 2012, art. 115(3)). Tết is not compensated here: its days are arranged by
 *   the yearly announcement (art. 112(3)), which the province enters when it is published.
 * No swap working days: those exist only by announcement.
 */
export function computeYearCalendar(book: HolidayRuleBook, year: number): YearCalendar {
  requireSupportedYear(book, year);
  const first = julianDayNumber(1, 1, year);
  const last = julianDayNumber(31, 12, year);
  const candidates: Candidate[] = [];
  for (const rule of book.rules) {
    const from = dayNumberOf(rule.effectiveFrom);
    const to = rule.effectiveTo === null ? Number.POSITIVE_INFINITY : dayNumberOf(rule.effectiveTo);
    if (to < first || from > last) continue;
    for (const h of rule.holidays) {
      for (const dn of holidayDayNumbers(h, year)) {
        if (dn >= from && dn <= to && dn >= first && dn <= last) candidates.push({ dayNumber: dn, name: h.name, nameEn: h.nameEn, compensate: h.compensate, rule });
      }
    }
  }
  candidates.sort((a, b) => a.dayNumber - b.dayNumber);

  const days = new Map<number, DayOff>();
  const owed: Candidate[] = [];
  for (const c of candidates) {
    const existing = days.get(c.dayNumber);
    if (existing) {
      // Two holidays on one day (possible for 10/3 lunar and 30/4 or 1/5): one entry, and the
      // second is owed a day off like one falling on a rest day.
      existing.name = `${existing.name}; ${c.name}`;
      existing.nameEn = `${existing.nameEn}; ${c.nameEn}`;
      if (c.compensate) owed.push(c);
      continue;
    }
    days.set(c.dayNumber, { date: localDateOfDayNumber(c.dayNumber), name: c.name, nameEn: c.nameEn, kind: 'holiday' });
    if (c.compensate && isWeekendDayNumber(c.dayNumber)) owed.push(c);
  }
  for (const c of owed) {
    let dn = c.dayNumber + 1;
    while (isWeekendDayNumber(dn) || days.has(dn)) dn += 1;
    // A day in lieu that would fall in the next year belongs to that year's announcement.
    if (dn > last) continue;
    days.set(dn, {
      date: localDateOfDayNumber(dn),
      name: c.rule.compensatoryName.replace('{name}', c.name),
      nameEn: c.rule.compensatoryNameEn.replace('{name}', c.nameEn),
      kind: 'day-off',
    });
  }
  const holidays = [...days.entries()].sort(([a], [b]) => a - b).map(([, d]) => d);
  return { holidays, swapWorkdays: [] };
}

/** The rule versions that apply to some day of a year (usually one). */
export function rulesForYear(book: HolidayRuleBook, year: number): HolidayRule[] {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  return book.rules.filter((r) => r.effectiveFrom <= last && (r.effectiveTo === null || r.effectiveTo >= first));
}

/** The calendar of a year without a province configuration: the announced schedule, else the
 *  computed defaults. Pure, for the working-day engine and for tests. */
export function defaultYearCalendar(book: HolidayRuleBook, year: number): YearCalendar {
  return announcedYearCalendar(book, year)?.calendar ?? computeYearCalendar(book, year);
}
