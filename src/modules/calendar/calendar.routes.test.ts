// The calendar's API and page, through the whole app.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { TestDatabase } from '../../../test/helpers/database.js';
import { setYearCalendar } from './calendar.service.js';

let testApp: TestApp;
let database: TestDatabase;
let app: FastifyInstance;

before(async () => {
  testApp = await createTestApp({ seed: false });
  database = testApp.database;
  app = testApp.app;
});
after(async () => {
  await testApp.close();
});

interface Problem {
  status: number;
  detail: string;
  errors?: { name: string; message: string }[];
}

async function problem(url: string): Promise<Problem> {
  const res = await app.inject({ url });
  assert.equal(res.statusCode, 400, res.body);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  return res.json() as Problem;
}

describe('calendar API', () => {
  test('GET /api/v1/calendar/holidays?year=2026 lists the days off and swap days by date', async () => {
    const res = await app.inject({ url: '/api/v1/calendar/holidays?year=2026' });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { year: number; source: string; days: { date: string; name: string; kind: string }[] };
    assert.equal(body.year, 2026);
    assert.equal(body.source, 'announced');
    const kinds = Object.fromEntries(body.days.map((d) => [d.date, d.kind]));
    assert.equal(kinds['2026-01-01'], 'holiday');
    assert.equal(kinds['2026-01-02'], 'day-off');
    assert.equal(kinds['2026-01-10'], 'swap-workday');
    assert.equal(kinds['2026-02-17'], 'holiday');
    assert.equal(kinds['2026-08-22'], 'swap-workday');
    const dates = body.days.map((d) => d.date);
    assert.deepEqual(dates, [...dates].sort());
  });

  test('a year without an announcement answers the computed defaults', async () => {
    const body = (await app.inject({ url: '/api/v1/calendar/holidays?year=2030' })).json() as { source: string; days: { date: string }[] };
    assert.equal(body.source, 'computed');
    // Tết Canh Tuất: 1/1 lunar is 2030-02-03.
    assert.ok(body.days.some((d) => d.date === '2030-02-03'));
  });

  test('a configured year is served as configured', async () => {
    await setYearCalendar(database.db, 2031, {
      source: 'Quyết định thử nghiệm',
      holidays: [{ date: '2031-01-01', name: 'Tết Dương lịch', kind: 'holiday' }],
      swapWorkdays: [],
    });
    const body = (await app.inject({ url: '/api/v1/calendar/holidays?year=2031' })).json() as { source: string; days: unknown[] };
    assert.equal(body.source, 'configured');
    assert.deepEqual(body.days, [{ date: '2031-01-01', name: 'Tết Dương lịch', kind: 'holiday' }]);
  });

  test('bad years answer 400 naming the parameter', async () => {
    const abc = await problem('/api/v1/calendar/holidays?year=abc');
    assert.deepEqual(abc.errors, [{ name: 'year', message: 'Phải là số nguyên' }]);
    const missing = await problem('/api/v1/calendar/holidays');
    assert.equal(missing.errors?.[0]?.name, 'year');
    const outside = await problem('/api/v1/calendar/holidays?year=2300');
    assert.deepEqual(outside.errors, [{ name: 'year', message: 'Năm 2300 nằm ngoài phạm vi lịch làm việc được hỗ trợ (từ năm 2014 đến năm 2199)' }]);
    assert.equal(outside.detail, 'Dữ liệu gửi lên không hợp lệ.');
    const early = await problem('/api/v1/calendar/holidays?year=2010');
    assert.match(early.errors?.[0]?.message ?? '', /Năm 2010 nằm ngoài phạm vi/);
  });

  test('GET /api/v1/calendar/lunar?date= gives the Vietnamese lunar date', async () => {
    const tet = await app.inject({ url: '/api/v1/calendar/lunar?date=2007-02-17' });
    assert.equal(tet.statusCode, 200);
    assert.deepEqual(tet.json(), { day: 1, month: 1, year: 2007, leap: false });
    const leap = await app.inject({ url: '/api/v1/calendar/lunar?date=2025-07-25' });
    assert.deepEqual(leap.json(), { day: 1, month: 6, year: 2025, leap: true });
  });

  test('bad dates answer 400 naming the parameter', async () => {
    const bad = await problem('/api/v1/calendar/lunar?date=2026-13-45');
    assert.equal(bad.errors?.[0]?.name, 'date');
    assert.match(bad.errors?.[0]?.message ?? '', /định dạng date/);
    const feb30 = await problem('/api/v1/calendar/lunar?date=2026-02-30');
    assert.equal(feb30.errors?.[0]?.name, 'date');
    const outside = await problem('/api/v1/calendar/lunar?date=1850-01-01');
    assert.deepEqual(outside.errors, [{ name: 'date', message: 'Ngày nằm ngoài phạm vi lịch được hỗ trợ (từ 1900-01-01 đến 2199-12-31)' }]);
  });
});

describe('calendar page', () => {
  test('/lich-lam-viec?year=2026 shows the year as a table, with links to 2025 and 2027 and no script', async () => {
    const res = await app.inject({ url: '/lich-lam-viec?year=2026' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    const html = res.body;
    assert.match(html, /<h1>Lịch làm việc năm 2026<\/h1>/);
    assert.match(html, /<table class="table">/);
    assert.match(html, /<time dateTime="2026-01-10">10\/01\/2026<\/time>/i);
    assert.match(html, /Làm bù cho thứ Sáu 02\/01\/2026/);
    assert.match(html, /Thứ Bảy/);
    assert.match(html, /href="\/lich-lam-viec\?year=2025"/);
    assert.match(html, /href="\/lich-lam-viec\?year=2027"/);
    assert.match(html, /Năm 2026 có 250 ngày làm việc/);
    // Tết: mùng 1 shown with its lunar date.
    assert.match(html, /<time dateTime="2026-02-17">17\/02\/2026<\/time><\/td><td>Thứ Ba<\/td><td>1\/1<\/td>/i);
    assert.match(html, /vietbao\.vn/, 'the sources of the announced schedule');
    assert.doesNotMatch(html, /<script/);
  });

  test('in English, and for a computed year with its warning', async () => {
    const res = await app.inject({ url: '/lich-lam-viec?year=2027&lang=en' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Working calendar 2027/);
    assert.match(res.body, /No official schedule has been announced for 2027 yet/);
    assert.match(res.body, /Labour Code 2019, art\. 112/);
    assert.match(res.body, /Day off in lieu of International Labour Day/);
  });

  test('the first and last supported years have no link beyond the range; a bad year is a clear 400 page', async () => {
    const first = await app.inject({ url: '/lich-lam-viec?year=2014' });
    assert.equal(first.statusCode, 200);
    assert.doesNotMatch(first.body, /year=2013/);
    const bad = await app.inject({ url: '/lich-lam-viec?year=1800' });
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['content-type']), /text\/html/);
    assert.match(bad.body, /Năm 1800 nằm ngoài phạm vi lịch làm việc được hỗ trợ/);
    const abc = await app.inject({ url: '/lich-lam-viec?year=abc' });
    assert.equal(abc.statusCode, 400);
    assert.match(abc.body, /year/);
  });

  test('without a year it shows the current year', async () => {
    const res = await app.inject({ url: '/lich-lam-viec' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Lịch làm việc năm \d{4}<\/h1>/);
  });
});
