import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import {
  announcedYearCalendar,
  computeYearCalendar,
  holidayRuleBook,
  holidayRuleFilePath,
  HolidayRuleFileError,
  parseHolidayRuleBook,
  ruleInForce,
} from './holiday-rule.js';

const book = holidayRuleBook();
const summary = (year: number) => computeYearCalendar(book, year).holidays.map((h) => `${h.date} ${h.kind} ${h.name}`);
const rawFile = () => JSON.parse(fs.readFileSync(holidayRuleFilePath, 'utf8')) as Record<string, any>;

describe('holiday rules (data/rules/holidays.json)', () => {
  test('rule versions by effective date: Labour Code 2012 until 2020, 2019 from 2021-01-01', () => {
    assert.equal(ruleInForce(book, '2020-12-31')?.id, 'BLLD-2012');
    assert.equal(ruleInForce(book, '2021-01-01')?.id, 'BLLD-2019');
    assert.equal(ruleInForce(book, '2013-04-30'), undefined);
    // 2013 is only partly covered (the 2012 Code took effect on 1/5/2013), so 2014 is the first year.
    assert.equal(book.minYear, 2014);
    assert.equal(book.maxYear, 2199);
  });

  test('computed defaults for 2027 (no announcement): Tết 29 Chạp + mùng 1–4, 10/3 lunar, 1/9, and a day in lieu for 1/5 on a Saturday', () => {
    assert.deepEqual(summary(2027), [
      '2027-01-01 holiday Tết Dương lịch',
      '2027-02-05 holiday Tết Nguyên Đán', // 30 Chạp Bính Ngọ, the last day of the year
      '2027-02-06 holiday Tết Nguyên Đán',
      '2027-02-07 holiday Tết Nguyên Đán',
      '2027-02-08 holiday Tết Nguyên Đán',
      '2027-02-09 holiday Tết Nguyên Đán',
      '2027-04-16 holiday Giỗ Tổ Hùng Vương',
      '2027-04-30 holiday Ngày Chiến thắng',
      '2027-05-01 holiday Ngày Quốc tế Lao động',
      '2027-05-03 day-off Nghỉ bù Ngày Quốc tế Lao động',
      '2027-09-01 holiday Quốc khánh (ngày liền kề)',
      '2027-09-02 holiday Quốc khánh',
    ]);
  });

  test('computed defaults for 2026 agree with the announced Hùng Kings day in lieu (Sunday 26/4 → Monday 27/4)', () => {
    const computed = computeYearCalendar(book, 2026).holidays.filter((h) => h.date.startsWith('2026-04-2'));
    assert.deepEqual(
      computed.map((h) => [h.date, h.kind]),
      [
        ['2026-04-26', 'holiday'],
        ['2026-04-27', 'day-off'],
      ],
    );
    // And the computed Tết of 2026 is the announced one (29 Chạp = Monday 16/2, then 17–20/2).
    const tet = computeYearCalendar(book, 2026).holidays.filter((h) => h.name === 'Tết Nguyên Đán').map((h) => h.date);
    assert.deepEqual(tet, ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  test('two holidays on weekend days in a row each get their own day in lieu (2022: 30/4 Sat, 1/5 Sun → 2/5, 3/5)', () => {
    const days = summary(2022).filter((d) => d.startsWith('2022-04-30') || d.startsWith('2022-05'));
    assert.deepEqual(days, [
      '2022-04-30 holiday Ngày Chiến thắng',
      '2022-05-01 holiday Ngày Quốc tế Lao động',
      '2022-05-02 day-off Nghỉ bù Ngày Chiến thắng',
      '2022-05-03 day-off Nghỉ bù Ngày Quốc tế Lao động',
    ]);
  });

  test('under the Labour Code 2012, National Day is one day (2019: no 1/9)', () => {
    const september = summary(2019).filter((d) => d.startsWith('2019-09'));
    assert.deepEqual(september, ['2019-09-02 holiday Quốc khánh']);
  });

  test('the announced 2026 schedule: days off, the swap Saturdays and their sources', () => {
    const announced = announcedYearCalendar(book, 2026);
    assert.ok(announced);
    const off = announced.calendar.holidays.map((h) => `${h.date} ${h.kind}`);
    assert.ok(off.includes('2026-01-02 day-off'));
    assert.ok(off.includes('2026-02-16 holiday') && off.includes('2026-02-20 holiday'));
    assert.ok(off.includes('2026-08-31 day-off'));
    assert.deepEqual(
      announced.calendar.swapWorkdays.map((s) => [s.date, s.insteadOf]),
      [
        ['2026-01-10', '2026-01-02'],
        ['2026-08-22', '2026-08-31'],
      ],
    );
    const tet = announced.periods.find((p) => p.name === 'Tết Âm lịch Bính Ngọ');
    assert.equal(tet?.confidence, 'high');
    assert.ok(tet?.sources.some((s) => s.includes('vietbao.vn')));
    assert.equal(announcedYearCalendar(book, 2027), undefined, '2027 has no announcement yet');
  });

  test('a year outside the rules is refused with the supported range', () => {
    assert.throws(() => computeYearCalendar(book, 2013), /Năm 2013 nằm ngoài phạm vi .*2014.*2199/);
    assert.throws(() => computeYearCalendar(book, 2200), /2200/);
  });

  test('a broken rule file is refused with every problem listed', () => {
    const file = rawFile();
    file.rules[0].effectiveTo = '2020-12-30'; // leaves a gap before the 2019 Code
    file.years['2026'].periods[0].swapWorkdays[0].date = '2026-01-09'; // a Friday
    file.years['2026'].periods[1].days.push({ date: '2025-12-31', kind: 'holiday' }); // not in 2026
    assert.throws(
      () => parseHolidayRuleBook(file),
      (error: unknown) => {
        assert.ok(error instanceof HolidayRuleFileError);
        assert.equal(error.problems.length, 3, error.message);
        assert.match(error.message, /no gap/);
        assert.match(error.message, /years\/2026: swapWorkdays\.\d+\.date/);
        assert.match(error.message, /years\/2026: holidays\.\d+\.date/);
        return true;
      },
    );
    const shape = rawFile();
    shape.rules[1].holidays[0].date = { calendar: 'martian', month: 1, day: 1 };
    assert.throws(() => parseHolidayRuleBook(shape), HolidayRuleFileError);
  });
});
