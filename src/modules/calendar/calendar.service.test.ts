import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import { getYearCalendar, listCalendarDays, loadWorkingDays, setYearCalendar, type YearCalendarInput } from './calendar.service.js';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database.close();
});

const storedYears = async () => (await sql<{ year: number }>`select year from calendar_year order by year`.execute(database.db)).rows.map((r) => r.year);
const text = (p: FieldProblem) => (typeof p.message === 'string' ? p.message : translate('vi', p.message.key, p.message.params));

/** The 2027 schedule a province might enter: Tết 4–10/2 with a swap Saturday. */
const good2027: YearCalendarInput = {
  source: 'Quyết định số 01/QĐ-UBND (giả định, phục vụ kiểm thử)',
  holidays: [
    { date: '2027-01-01', name: 'Tết Dương lịch', kind: 'holiday' },
    { date: '2027-02-04', name: 'Nghỉ hoán đổi', kind: 'day-off' },
    { date: '2027-02-05', name: 'Tết Nguyên Đán', kind: 'holiday' },
    { date: '2027-02-08', name: 'Tết Nguyên Đán', kind: 'holiday' },
    { date: '2027-02-09', name: 'Tết Nguyên Đán', kind: 'holiday' },
    { date: '2027-02-10', name: 'Tết Nguyên Đán', kind: 'holiday' },
    { date: '2027-02-11', name: 'Tết Nguyên Đán', kind: 'holiday', nameEn: 'Lunar New Year' },
  ],
  swapWorkdays: [{ date: '2027-01-30', name: 'Làm bù cho thứ Năm 04/02/2027', insteadOf: '2027-02-04' }],
};

async function rejection(year: number, input: unknown): Promise<FieldProblem[]> {
  try {
    await setYearCalendar(database.db, year, input as YearCalendarInput);
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, 'invalid_input');
    return error.problems;
  }
  assert.fail('accepted');
}

describe('calendar service', () => {
  test('a year comes from the announced schedule, else the computed defaults', async () => {
    const y2026 = await getYearCalendar(database.db, 2026);
    assert.equal(y2026.source, 'announced');
    assert.ok(y2026.swapWorkdays.some((s) => s.date === '2026-01-10'));
    assert.ok(y2026.periods.length > 0);
    const y2027 = await getYearCalendar(database.db, 2027);
    assert.equal(y2027.source, 'computed');
    assert.match(y2027.note ?? '', /Không tìm thấy thông báo lịch nghỉ 2027/);
    assert.deepEqual(y2027.rules.map((r) => r.id), ['BLLD-2019']);
    const days = await listCalendarDays(database.db, 2026);
    assert.deepEqual(days.days.find((d) => d.date === '2026-01-10'), { date: '2026-01-10', name: 'Làm bù cho thứ Sáu 02/01/2026', nameEn: 'Working day in place of Friday 2/1/2026', kind: 'swap-workday' });
  });

  test('every bad input is refused with its field and message, and nothing is stored', async () => {
    const problems = await rejection(2027, {
      source: '  ',
      holidays: [
        { date: '2026-12-31', name: 'Năm cũ', kind: 'holiday' }, // 0: not in 2027
        { date: '2027-02-30', name: 'Ngày không có', kind: 'holiday' }, // 1: no such day
        { date: '2027-05-03', name: 'Nghỉ bù', kind: 'day-off' }, // 2
        { date: '2027-05-03', name: 'Nghỉ bù lần hai', kind: 'day-off' }, // 3: duplicate of 2
        { date: '2027-05-01', name: '', kind: 'holiday' }, // 4: no name
        { date: '2027-09-02', name: 'Quốc khánh', kind: 'festival' }, // 5: unknown kind
      ],
      swapWorkdays: [
        { date: '2027-01-29', name: 'Làm bù thứ Sáu' }, // 0: a Friday
        { date: '2027-05-01', name: 'Làm bù ngày lễ' }, // 1: also a day off (a Saturday)
        { date: '2027-05-08', name: 'Làm bù', insteadOf: 'hôm qua' }, // 2: insteadOf not a date
      ],
    });
    const byField = Object.fromEntries(problems.map((p) => [p.name, text(p)]));
    assert.deepEqual(Object.keys(byField).sort(), [
      'holidays.0.date',
      'holidays.1.date',
      'holidays.3.date',
      'holidays.4.name',
      'holidays.5.kind',
      'source',
      'swapWorkdays.0.date',
      'swapWorkdays.1.date',
      'swapWorkdays.2.insteadOf',
    ]);
    assert.equal(byField['holidays.0.date'], 'Ngày 2026-12-31 không thuộc năm 2027');
    assert.equal(byField['holidays.1.date'], 'Ngày "2027-02-30" không tồn tại hoặc không đúng dạng YYYY-MM-DD');
    assert.equal(byField['holidays.3.date'], 'Ngày 2027-05-03 bị trùng với holidays.2');
    assert.equal(byField['holidays.4.name'], 'Thiếu giá trị bắt buộc');
    assert.equal(byField['holidays.5.kind'], 'Phải là một trong các giá trị: holiday, day-off');
    assert.equal(byField.source, 'Thiếu giá trị bắt buộc');
    assert.equal(byField['swapWorkdays.0.date'], 'Ngày làm bù 2027-01-29 phải là thứ Bảy hoặc Chủ nhật');
    assert.equal(byField['swapWorkdays.1.date'], 'Ngày 2027-05-01 không thể vừa là ngày nghỉ vừa là ngày làm bù');
    assert.equal(byField['swapWorkdays.2.insteadOf'], 'Ngày "hôm qua" không tồn tại hoặc không đúng dạng YYYY-MM-DD');
    assert.deepEqual(await storedYears(), [], 'nothing stored');
    assert.equal((await getYearCalendar(database.db, 2027)).source, 'computed');
  });

  test('a duplicate swap day and a missing list are refused too', async () => {
    const dup = await rejection(2027, { ...good2027, swapWorkdays: [good2027.swapWorkdays[0], good2027.swapWorkdays[0]] });
    assert.deepEqual(dup.map((p) => [p.name, text(p)]), [['swapWorkdays.1.date', 'Ngày 2027-01-30 bị trùng với swapWorkdays.0']]);
    const missing = await rejection(2027, { source: 'x', holidays: [] });
    assert.deepEqual(missing.map((p) => p.name), ['swapWorkdays']);
    assert.deepEqual(await storedYears(), []);
  });

  test('a year outside the supported range is refused, naming the year', async () => {
    const problems = await rejection(2013, good2027);
    assert.deepEqual(problems.map((p) => [p.name, text(p)]), [['year', 'Năm 2013 nằm ngoài phạm vi lịch làm việc được hỗ trợ (từ năm 2014 đến năm 2199)']]);
    await assert.rejects(getYearCalendar(database.db, 2200), /Năm 2200 nằm ngoài phạm vi/);
    assert.deepEqual(await storedYears(), []);
  });

  test('a stored year replaces the default at once (the cache is cleared) and drives the deadlines', async () => {
    const before = await loadWorkingDays(database.db, 2027);
    assert.equal(before.isWorkingDay('2027-02-04'), true);
    assert.equal((await getYearCalendar(database.db, 2027)).source, 'computed'); // now cached

    const stored = await setYearCalendar(database.db, 2027, { ...good2027, source: `  ${good2027.source}  ` });
    assert.equal(stored.source, 'configured');
    assert.equal(stored.basis, good2027.source, 'trimmed');
    assert.deepEqual(await storedYears(), [2027]);
    assert.equal((await getYearCalendar(database.db, 2027)).source, 'configured', 'not the cached default');
    assert.equal(stored.holidays.find((h) => h.date === '2027-02-11')?.nameEn, 'Lunar New Year');

    const after = await loadWorkingDays(database.db, 2027);
    assert.equal(after.isWorkingDay('2027-02-04'), false);
    assert.equal(after.isWorkingDay('2027-01-30'), true, 'the swap Saturday');
    // Received Wednesday 3/2/2027, 2 working days: 12/2 and 15/2 (4–11/2 off).
    assert.equal(after.addWorkingDays(new Date('2027-02-03T09:00:00+07:00'), 2).toISOString(), '2027-02-15T10:00:00.000Z');
    // The engine refuses a year it was not given rather than ignoring its configuration.
    assert.throws(() => after.isWorkingDay('2029-01-02'), /year 2029 was not loaded/);

    // Replacing the year keeps one row.
    await setYearCalendar(database.db, 2027, { ...good2027, swapWorkdays: [] });
    assert.deepEqual(await storedYears(), [2027]);
    assert.deepEqual((await getYearCalendar(database.db, 2027)).swapWorkdays, []);
  });
});
