import { translate } from '../../platform/i18n/i18n.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CalendarInputError } from './calendar-error.js';
import { fromJulianDayNumber, julianDayNumber, leapMonthOf, lunarMonthLength, lunarToSolar, solarToLunar, type SolarDate } from './lunar.js';

const iso = (d: SolarDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const tet = (year: number) => iso(lunarToSolar({ day: 1, month: 1, year, leap: false }));
const hungKings = (year: number) => iso(lunarToSolar({ day: 10, month: 3, year, leap: false }));

function problemOf(error: unknown): { name: string; message: string } {
  assert.ok(error instanceof CalendarInputError, `expected a CalendarInputError, got ${String(error)}`);
  assert.equal(error.code, 'invalid_input');
  assert.equal(error.status, 400);
  const p = error.problems[0]!;
  return { name: p.name, message: typeof p.message === 'string' ? p.message : translate('vi', p.message.key, p.message.params) };
}

describe('Vietnamese lunar calendar (UTC+7)', () => {
  test('Tết (1/1 lunar) on the known days', () => {
    assert.equal(tet(2024), '2024-02-10');
    assert.equal(tet(2025), '2025-01-29');
    assert.equal(tet(2026), '2026-02-17');
    assert.equal(tet(2027), '2027-02-06');
    assert.equal(tet(2023), '2023-01-22');
  });

  test('the years where Vietnam and China (UTC+8) differ: Tết 1985 and 2007', () => {
    // China celebrated 1985-02-20 and 2007-02-18; a UTC+8 library would give those.
    assert.equal(tet(1985), '1985-01-21');
    assert.equal(tet(2007), '2007-02-17');
    assert.deepEqual(solarToLunar({ year: 1985, month: 1, day: 21 }), { day: 1, month: 1, year: 1985, leap: false });
    assert.deepEqual(solarToLunar({ year: 2007, month: 2, day: 17 }), { day: 1, month: 1, year: 2007, leap: false });
    // In Vietnam 2007-02-18 is already mùng 2.
    assert.deepEqual(solarToLunar({ year: 2007, month: 2, day: 18 }), { day: 2, month: 1, year: 2007, leap: false });
  });

  test('Hùng Kings (10/3 lunar) on the known days', () => {
    assert.equal(hungKings(2025), '2025-04-07');
    assert.equal(hungKings(2026), '2026-04-26');
    assert.equal(hungKings(2024), '2024-04-18');
  });

  test('the last day of the lunar year is the 29th or the 30th of month 12', () => {
    // 2025-01-28 was 29 Chạp Giáp Thìn; 2026-02-16 was 29 Chạp Ất Tỵ (Notice 9441/TB-BNV).
    assert.deepEqual(solarToLunar({ year: 2025, month: 1, day: 28 }), { day: 29, month: 12, year: 2024, leap: false });
    assert.deepEqual(solarToLunar({ year: 2026, month: 2, day: 16 }), { day: 29, month: 12, year: 2025, leap: false });
    assert.equal(lunarMonthLength(12, 2025), 29);
    // 2024-02-09 was 30 Chạp Quý Mão.
    assert.deepEqual(solarToLunar({ year: 2024, month: 2, day: 9 }), { day: 30, month: 12, year: 2023, leap: false });
  });

  test('leap months: 2023 repeats month 2, 2025 repeats month 6, 2024 and 2026 have none', () => {
    assert.equal(leapMonthOf(2023), 2);
    assert.equal(leapMonthOf(2025), 6);
    assert.equal(leapMonthOf(2024), undefined);
    assert.equal(leapMonthOf(2026), undefined);
    // 2023-03-22 is 1/2 nhuận Quý Mão; 2025-07-25 is 1/6 nhuận Ất Tỵ.
    assert.deepEqual(solarToLunar({ year: 2023, month: 3, day: 22 }), { day: 1, month: 2, year: 2023, leap: true });
    assert.deepEqual(lunarToSolar({ day: 1, month: 2, year: 2023, leap: true }), { year: 2023, month: 3, day: 22 });
    assert.deepEqual(lunarToSolar({ day: 1, month: 2, year: 2023, leap: false }), { year: 2023, month: 2, day: 20 });
    assert.deepEqual(solarToLunar({ year: 2025, month: 7, day: 25 }), { day: 1, month: 6, year: 2025, leap: true });
    assert.deepEqual(lunarToSolar({ day: 1, month: 6, year: 2025, leap: false }), { year: 2025, month: 6, day: 25 });
  });

  test('a day just before a new moon that the reference estimate misses (2054-05-07 is 30/3)', () => {
    // The published algorithm's first guess of the lunation is one too late here and would give day 0.
    assert.deepEqual(solarToLunar({ year: 2054, month: 5, day: 7 }), { day: 30, month: 3, year: 2054, leap: false });
    assert.deepEqual(solarToLunar({ year: 2054, month: 5, day: 8 }), { day: 1, month: 4, year: 2054, leap: false });
  });

  test('lunar dates that do not exist are refused with a clear reason', () => {
    const refuse = (date: Parameters<typeof lunarToSolar>[0]) => {
      try {
        lunarToSolar(date);
      } catch (error) {
        return problemOf(error);
      }
      assert.fail(`accepted ${JSON.stringify(date)}`);
    };
    // Month 12 of 2025 (Ất Tỵ) has 29 days.
    assert.match(refuse({ day: 30, month: 12, year: 2025, leap: false }).message, /chỉ có 29 ngày, không có ngày 30/);
    assert.match(refuse({ day: 1, month: 3, year: 2025, leap: true }).message, /không có tháng 3 nhuận/);
    assert.match(refuse({ day: 1, month: 1, year: 2026, leap: true }).message, /không có tháng 1 nhuận/);
    assert.match(refuse({ day: 0, month: 1, year: 2026, leap: false }).message, /không hợp lệ/);
    assert.match(refuse({ day: 1, month: 13, year: 2026, leap: false }).message, /không hợp lệ/);
    assert.match(refuse({ day: 1.5, month: 1, year: 2026, leap: false }).message, /không hợp lệ/);
  });

  test('dates outside 1900–2199 are refused, naming the date and the range', () => {
    for (const date of [{ year: 1899, month: 12, day: 31 }, { year: 2200, month: 1, day: 1 }]) {
      assert.throws(() => solarToLunar(date), (e: unknown) => {
        const p = problemOf(e);
        assert.equal(p.name, 'date');
        assert.match(p.message, /ngoài phạm vi .*1900-01-01.*2199-12-31/);
        return true;
      });
    }
    assert.throws(() => lunarToSolar({ day: 1, month: 1, year: 2200, leap: false }), /ngoài phạm vi/);
    assert.throws(() => lunarToSolar({ day: 1, month: 1, year: 1890, leap: false }), /ngoài phạm vi/);
    // The ends of the range work; 1900-01-01 still belongs to lunar year 1899.
    assert.deepEqual(solarToLunar({ year: 1900, month: 1, day: 1 }), { day: 1, month: 12, year: 1899, leap: false });
    assert.deepEqual(lunarToSolar({ day: 1, month: 12, year: 1899, leap: false }), { year: 1900, month: 1, day: 1 });
    assert.ok(solarToLunar({ year: 2199, month: 12, day: 31 }).day >= 1);
  });

  test('impossible solar dates are refused', () => {
    assert.throws(() => solarToLunar({ year: 2026, month: 2, day: 29 }), /2026-2-29/);
    assert.throws(() => solarToLunar({ year: 2026, month: 13, day: 1 }), CalendarInputError);
  });

  const MIN = julianDayNumber(1, 1, 1900);
  const MAX = julianDayNumber(31, 12, 2199);

  test('property: lunarToSolar(solarToLunar(d)) = d over 1900–2199', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN, max: MAX }), (jd) => {
        const solar = fromJulianDayNumber(jd);
        assert.deepEqual(lunarToSolar(solarToLunar(solar)), solar);
      }),
      { numRuns: 3000 },
    );
  });

  test('every day of the range: lunar days run 1, 2, … 29 or 30, then a new month', () => {
    let previous = solarToLunar(fromJulianDayNumber(MIN));
    let months = 0;
    for (let jd = MIN + 1; jd <= MAX; jd += 1) {
      const current = solarToLunar(fromJulianDayNumber(jd));
      if (current.day === 1) {
        assert.ok(previous.day === 29 || previous.day === 30, `month ending ${iso(fromJulianDayNumber(jd - 1))} has ${previous.day} days`);
        months += 1;
      } else {
        assert.equal(current.day, previous.day + 1, iso(fromJulianDayNumber(jd)));
        assert.equal(current.month, previous.month);
        assert.equal(current.leap, previous.leap);
      }
      previous = current;
    }
    // 300 years × 365.2425 days / 29.530589 days per lunation.
    assert.ok(Math.abs(months - 3710) <= 2, `${months} months`);
  });
});
