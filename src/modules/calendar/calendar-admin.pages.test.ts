import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { countRows, createOfficer, loginOfficer, pageTitle, WebClient } from '../../../test/helpers/identity.js';

let t: TestApp;
let admin: WebClient;
before(async () => {
  t = await createTestApp();
  const officer = await createOfficer(t.database.db, { email: 'lich.tinh@example.vn', roles: [{ role: 'province_admin', agencyCode: '000.00.00.H20' }] });
  admin = (await loginOfficer(t.app, t.database.db, officer)).client;
});
after(async () => {
  await t.close();
});

describe('the province admin configures a year', () => {
  test('the form shows the year as it stands, and a saved year becomes the public calendar', async () => {
    const form = await admin.get('/quan-tri/lich?year=2027');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Cấu hình lịch làm việc năm 2027/);
    const saved = await admin.postForm('/quan-tri/lich?year=2027', {
      holidays: '2027-01-01 | Tết Dương lịch | holiday\n2027-02-05 | Tết Nguyên Đán | holiday\n2027-02-04 | Nghỉ hoán đổi | day-off',
      swapWorkdays: '2027-01-30 | Làm bù cho thứ Năm 04/02/2027',
      source: 'Thông báo số 01/TB-UBND (thử nghiệm)',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/lich-lam-viec?year=2027');
    const api = (await t.app.inject('/api/v1/calendar/holidays?year=2027')).json();
    assert.ok(api.days.some((d: { date: string; kind: string }) => d.date === '2027-01-30' && d.kind === 'swap-workday'));
    assert.ok(api.days.some((d: { date: string; kind: string }) => d.date === '2027-02-04' && d.kind === 'day-off'));
  });

  test('a bad line is refused with the reason on the page, and nothing is stored', async () => {
    const before = await countRows(t.database.db, 'calendarYear');
    const refused = await admin.postForm('/quan-tri/lich?year=2028', {
      holidays: '2028-13-40 | Ngày không có | holiday',
      swapWorkdays: '2028-01-05 | Thứ Tư không phải cuối tuần',
      source: 'Thông báo thử',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(pageTitle(refused.body), /^Lỗi:/);
    assert.equal(await countRows(t.database.db, 'calendarYear'), before);
  });

  test('nobody else may: a reception officer gets 404', async () => {
    const officer = await createOfficer(t.database.db, { email: 'tn.lich@example.vn', roles: [{ role: 'reception', agencyCode: '000.00.51.H20' }] });
    const client = (await loginOfficer(t.app, t.database.db, officer)).client;
    assert.equal((await client.get('/quan-tri/lich')).statusCode, 404);
    assert.equal((await new WebClient(t.app).get('/quan-tri/lich')).statusCode, 303);
  });
});
