// TypeBox schemas of the calendar: the API's requests and responses, and a year's configuration.
import { Type, type Static } from 'typebox';

const Lang = Type.Optional(Type.Union([Type.Literal('vi'), Type.Literal('en')]));
const DateText = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const HolidaysQuerySchema = Type.Object({
  // A broad sanity bound; the supported range (from the holiday rules) is checked by the service
  // with its own message.
  year: Type.Integer({ minimum: 1000, maximum: 9999, description: 'Năm dương lịch / Gregorian year (supported: 2014–2199)' }),
  lang: Lang,
});
export type HolidaysQuery = Static<typeof HolidaysQuerySchema>;

export const CalendarDayKindSchema = Type.Union([Type.Literal('holiday'), Type.Literal('day-off'), Type.Literal('swap-workday')], {
  description: 'holiday: public holiday (Labour Code 2019 art. 112); day-off: day off in lieu or swapped; swap-workday: Saturday or Sunday worked (làm bù)',
});

export const CalendarDaySchema = Type.Object({
  date: DateText,
  name: Type.String(),
  nameEn: Type.Optional(Type.String()),
  kind: CalendarDayKindSchema,
});

export const CalendarSourceSchema = Type.Union([Type.Literal('configured'), Type.Literal('announced'), Type.Literal('computed')], {
  description: 'configured: set by the province; announced: the published schedule (data/rules/holidays.json); computed: defaults from the rule in force',
});

export const HolidaysResponseSchema = Type.Object({
  year: Type.Integer(),
  source: CalendarSourceSchema,
  days: Type.Array(CalendarDaySchema),
});
export type HolidaysResponse = Static<typeof HolidaysResponseSchema>;

export const LunarQuerySchema = Type.Object({
  date: Type.String({ format: 'date', description: 'Ngày dương lịch YYYY-MM-DD (1900-01-01 … 2199-12-31)' }),
  lang: Lang,
});

export const LunarDateSchema = Type.Object({
  day: Type.Integer({ minimum: 1, maximum: 30 }),
  month: Type.Integer({ minimum: 1, maximum: 12 }),
  year: Type.Integer(),
  leap: Type.Boolean({ description: 'true in a leap month (tháng nhuận)' }),
});

export const CalendarPageQuerySchema = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 1000, maximum: 9999 })),
  lang: Lang,
});

/** A year's configuration as the province enters it (setYearCalendar). */
export const YearCalendarInputSchema = Type.Object(
  {
    holidays: Type.Array(
      Type.Object(
        {
          date: DateText,
          name: Type.String({ minLength: 1, maxLength: 200 }),
          nameEn: Type.Optional(Type.String({ maxLength: 200 })),
          kind: Type.Union([Type.Literal('holiday'), Type.Literal('day-off')]),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    swapWorkdays: Type.Array(
      Type.Object(
        {
          date: DateText,
          name: Type.String({ minLength: 1, maxLength: 200 }),
          nameEn: Type.Optional(Type.String({ maxLength: 200 })),
          insteadOf: Type.Optional(DateText),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
    source: Type.String({ minLength: 1, maxLength: 500, description: 'What the calendar is based on (decision, notice)' }),
  },
  { additionalProperties: false },
);
export type YearCalendarInput = Static<typeof YearCalendarInputSchema>;
