// Officers through the pages: the second factor (enrolment with a QR code, recovery codes, wrong
// and replayed codes), officers created by an agency admin inside its subtree, roles granted and
// revoked, and what an admin of another agency sees (nothing: 404).
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { DB } from '../../db/schema.js';
import { hashToken } from '../../platform/security/secrets.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  countRows,
  createOfficer,
  freshTotpCode,
  latestMail,
  loginOfficer,
  pageText,
  pageTitle,
  recoveryCodesOf,
  totpSecretOf,
  WebClient,
  type InjectResponse,
  type LoggedInOfficer,
  type Officer,
} from '../../../test/helpers/identity.js';
import { currentTotpCode } from './identity.service.js';

const COMMUNE_A = '000.00.51.H20'; // phường Mỹ Tho
const COMMUNE_B = '000.00.52.H20'; // phường Gò Công
const DEPARTMENT = '000.00.14.H20'; // Sở Thông tin và Truyền thông
const PROVINCE = '000.00.00.H20';

let t: TestApp;
let db: Kysely<DB>;
let adminA: Officer;
let adminB: Officer;
let provinceAdmin: Officer;
/** The admins' browsers, logged in once: every TOTP login uses up a 30-second step. */
let sessions: Record<'adminA' | 'adminB' | 'province', LoggedInOfficer>;

before(async () => {
  t = await createTestApp();
  db = t.database.db;
  adminA = await createOfficer(db, { email: 'quantri.a@mytho.example.vn', fullName: 'Võ Thị Hoa', roles: [{ role: 'agency_admin', agencyCode: COMMUNE_A }] });
  adminB = await createOfficer(db, { email: 'quantri.b@gocong.example.vn', fullName: 'Đỗ Văn Nam', roles: [{ role: 'agency_admin', agencyCode: COMMUNE_B }] });
  provinceAdmin = await createOfficer(db, { email: 'quantri@dongthap.example.vn', fullName: 'Nguyễn Quốc Hùng', roles: [{ role: 'province_admin', agencyCode: PROVINCE }] });
  sessions = { adminA: await loginOfficer(t.app, db, adminA), adminB: await loginOfficer(t.app, db, adminB), province: await loginOfficer(t.app, db, provinceAdmin) };
});
after(() => t.close());

function assertErrorPage(response: InjectResponse, status: number, message: string): void {
  assert.equal(response.statusCode, status, pageText(response.body).slice(0, 400));
  assert.match(pageTitle(response.body), /^Lỗi: /);
  assert.ok(pageText(response.body).includes(message), `the page says "${message}": ${pageText(response.body).slice(0, 600)}`);
}

const TOTP_WRONG = 'Mã xác thực không đúng hoặc đã được dùng';

async function activeGrants(accountId: number) {
  return db
    .selectFrom('roleAssignment as r')
    .innerJoin('agency as a', 'a.id', 'r.agencyId')
    .where('r.accountId', '=', accountId)
    .where('r.revokedAt', 'is', null)
    .select(['r.id', 'r.role', 'a.code'])
    .orderBy('r.id')
    .execute();
}

async function lastStep(accountId: number): Promise<number> {
  const row = await db.selectFrom('account').select('totpLastStep').where('id', '=', accountId).executeTakeFirstOrThrow();
  return Number(row.totpLastStep);
}

describe('second factor', () => {
  test('first login: enrolment page with a QR code, a wrong code refused, recovery codes shown once', async () => {
    const officer = await createOfficer(db, { email: 'enrol@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    const client = new WebClient(t.app);
    const login = await client.postForm('/dang-nhap', { email: officer.email, password: officer.password });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/dang-nhap/thiet-lap-xac-thuc');

    const page = await client.get('/dang-nhap/thiet-lap-xac-thuc');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<div class="qr" role="img" aria-label="[^"]+"><svg[\s\S]*<\/svg>\s*<\/div>/);
    const secret = totpSecretOf(page.body);
    assert.ok(secret && secret.length >= 32, 'a 160-bit base32 seed');
    assert.equal(totpSecretOf((await client.get('/dang-nhap/thiet-lap-xac-thuc')).body), secret, 'a reload keeps the seed already scanned');
    const stored = await db.selectFrom('account').select(['totpSecret', 'totpConfirmedAt']).where('id', '=', officer.id).executeTakeFirstOrThrow();
    assert.ok(stored.totpSecret && !stored.totpSecret.includes(secret), 'the seed is stored sealed');
    assert.equal(stored.totpConfirmedAt, null);

    // Not in the back office yet.
    assert.equal((await client.get('/quan-tri/can-bo')).statusCode, 404);

    const wrong = await client.postForm('/dang-nhap/thiet-lap-xac-thuc', { code: currentTotpCode(secret, Date.now() - 10 * 60_000) });
    assertErrorPage(wrong, 400, TOTP_WRONG);
    assert.match(wrong.body, /<svg/, 'the QR code is shown again with the error');

    const done = await client.postForm('/dang-nhap/thiet-lap-xac-thuc', { code: await freshTotpCode(db, officer.id, secret) });
    assert.equal(done.statusCode, 200);
    assert.match(pageText(done.body), /Đã bật xác thực hai bước/);
    const codes = recoveryCodesOf(done.body);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{8,16}$/, 'no 0/O or 1/I to misread');
    const rows = await db.selectFrom('recoveryCode').select(['codeHash']).where('accountId', '=', officer.id).execute();
    assert.deepEqual(rows.map((r) => r.codeHash).sort(), codes.map((c) => hashToken(c)).sort(), 'only hashes are stored');

    // Enrolled: the page (and its codes) is not shown again; the officer is sent on.
    const again = await client.get('/dang-nhap/thiet-lap-xac-thuc');
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/quan-tri');
    assert.doesNotMatch(again.body, new RegExp(codes[0]!));
    assert.equal(totpSecretOf(again.body), undefined);
    assert.equal((await client.get('/quan-tri')).statusCode, 200);
  });

  test('later logins: a wrong code and a replayed code are refused; a fresh one passes', async () => {
    const officer = await createOfficer(db, { email: 'replay@mytho.example.vn', roles: [{ role: 'specialist', agencyCode: COMMUNE_A }] });
    const { secret } = await loginOfficer(t.app, db, officer);

    const client = new WebClient(t.app);
    assert.equal((await client.postForm('/dang-nhap', { email: officer.email, password: officer.password })).headers.location, '/dang-nhap/xac-thuc');
    assert.equal((await client.get('/dang-nhap/xac-thuc')).statusCode, 200);
    assertErrorPage(await client.postForm('/dang-nhap/xac-thuc', { code: '000000' === currentTotpCode(secret) ? '111111' : '000000' }), 400, TOTP_WRONG);
    assertErrorPage(await client.postForm('/dang-nhap/xac-thuc', { code: 'abc' }), 400, TOTP_WRONG);
    // The code of the step just used (at enrolment), still inside the ±1 step window: a replay.
    const used = await lastStep(officer.id);
    assert.ok(Math.abs(used - Math.floor(Date.now() / 30_000)) <= 1);
    assertErrorPage(await client.postForm('/dang-nhap/xac-thuc', { code: currentTotpCode(secret, used * 30_000 + 15_000) }), 400, TOTP_WRONG);
    assert.equal((await client.get('/quan-tri')).headers.location, '/dang-nhap/xac-thuc', 'still not through');

    const code = await freshTotpCode(db, officer.id, secret);
    const ok = await client.postForm('/dang-nhap/xac-thuc', { code });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/quan-tri');

    // The same code again, from another browser with the password, in the same 30 s: refused.
    const other = new WebClient(t.app);
    await other.postForm('/dang-nhap', { email: officer.email, password: officer.password });
    assertErrorPage(await other.postForm('/dang-nhap/xac-thuc', { code }), 400, TOTP_WRONG);
    assert.equal((await other.get('/quan-tri')).headers.location, '/dang-nhap/xac-thuc');

    const failures = await db.selectFrom('auditLog').select('id').where('action', '=', 'auth.mfa.failure').where('objectId', '=', String(officer.id)).execute();
    assert.ok(failures.length >= 4, 'each refused code is audited');
  });

  test('a recovery code works once, typed in any case and with spaces', async () => {
    const officer = await createOfficer(db, { email: 'recovery@mytho.example.vn', roles: [{ role: 'leader', agencyCode: COMMUNE_A }] });
    const { recoveryCodes } = await loginOfficer(t.app, db, officer);
    const [first, second] = recoveryCodes as [string, string];

    const client = new WebClient(t.app);
    await client.postForm('/dang-nhap', { email: officer.email, password: officer.password });
    const ok = await client.postForm('/dang-nhap/xac-thuc', { code: first });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/quan-tri');
    assert.equal((await client.get('/quan-tri')).statusCode, 200);

    const again = new WebClient(t.app);
    await again.postForm('/dang-nhap', { email: officer.email, password: officer.password });
    assertErrorPage(await again.postForm('/dang-nhap/xac-thuc', { code: first }), 400, TOTP_WRONG);
    const spaced = `${second.slice(0, 4).toLowerCase()} ${second.slice(4).toLowerCase()}`;
    assert.equal((await again.postForm('/dang-nhap/xac-thuc', { code: spaced })).statusCode, 303);
    const used = await db.selectFrom('recoveryCode').select('usedAt').where('accountId', '=', officer.id).where('usedAt', 'is not', null).execute();
    assert.equal(used.length, 2);
  });

  test('an officer who stopped before enrolling is led back to enrolment from the back office', async () => {
    const officer = await createOfficer(db, { email: 'halfway.enrol@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    const client = new WebClient(t.app);
    await client.postForm('/dang-nhap', { email: officer.email, password: officer.password });
    const home = await client.get('/quan-tri');
    assert.equal(home.statusCode, 303);
    const next = await client.get(String(home.headers.location));
    const landing = next.statusCode === 303 ? await client.get(String(next.headers.location)) : next;
    assert.ok(totpSecretOf(landing.body), 'the enrolment page, with the seed to scan');
  });

  test('a citizen or nobody cannot reach the second step', async () => {
    // Nobody signed in is sent to log in first; a signed-in citizen is refused.
    const nobody = await new WebClient(t.app).get('/dang-nhap/xac-thuc');
    assert.equal(nobody.statusCode, 303);
    assert.equal(nobody.headers.location, '/dang-nhap?next=%2Fdang-nhap%2Fxac-thuc');
    assert.equal((await new WebClient(t.app).postForm('/dang-nhap/xac-thuc', { code: '123456' })).statusCode, 401);
    assert.equal((await new WebClient(t.app).get('/dang-nhap/thiet-lap-xac-thuc')).statusCode, 303);
  });
});

describe('officers and roles', () => {
  test('an agency admin creates an officer at its commune; the officer sets a password from the email and logs in', async () => {
    const { client } = sessions.adminA;
    const list = await client.get('/quan-tri/can-bo');
    assert.equal(list.statusCode, 200);
    const created = await client.postForm('/quan-tri/can-bo', { fullName: 'Trần Thị Bích', email: 'Bich.Tran@MyTho.example.vn', role: 'reception', agencyCode: COMMUNE_A });
    assert.equal(created.statusCode, 303, pageText(created.body).slice(0, 300));
    const id = Number(/^\/quan-tri\/can-bo\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    assert.ok(id > 0);
    const account = await db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(account.kind, 'officer');
    assert.equal(account.email, 'bich.tran@mytho.example.vn');
    assert.equal(account.passwordHash, null);
    assert.equal(account.createdBy, adminA.id);
    assert.deepEqual((await activeGrants(id)).map((g) => [g.role, g.code]), [['reception', COMMUNE_A]]);
    const page = await client.get(`/quan-tri/can-bo/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Trần Thị Bích/);
    assert.match(pageText(page.body), /Cán bộ tiếp nhận/);
    assert.match(pageText((await client.get('/quan-tri/can-bo')).body), /Trần Thị Bích.*Chưa thiết lập xác thực hai bước/);

    await t.runJobs();
    const mail = await latestMail(db, 'bich.tran@mytho.example.vn');
    assert.equal(mail?.subject, 'Tài khoản cán bộ trên hệ thống một cửa điện tử');
    assert.match(mail?.text ?? '', /Ủy ban nhân dân phường Mỹ Tho/);
    assert.match(mail?.link ?? '', /^\/dat-mat-khau\?token=/);
    const officerClient = new WebClient(t.app);
    const form = await officerClient.get(mail!.link!);
    assert.equal(form.statusCode, 200);
    assert.match(pageText(form.body), /Đặt mật khẩu cho tài khoản cán bộ/);
    const token = new URL(mail!.link!, 'http://x').searchParams.get('token')!;
    // The set-password link is not a reset link.
    assertErrorPage(await officerClient.postForm('/dat-lai-mat-khau', { token, password: 'Bến Tre dừa xanh 2026' }), 400, 'Đường dẫn đã hết hạn');
    assert.equal((await officerClient.postForm('/dat-mat-khau', { token, password: 'Bến Tre dừa xanh 2026' })).statusCode, 200);
    const { client: bich } = await loginOfficer(t.app, db, { id, email: 'bich.tran@mytho.example.vn', password: 'Bến Tre dừa xanh 2026' });
    assert.match(pageText((await bich.get('/quan-tri')).body), /Cán bộ tiếp nhận.*Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp \(000\.00\.51\.H20\)/);
    assertErrorPage(await officerClient.postForm('/dat-mat-khau', { token, password: 'Bến Tre dừa xanh 2027' }), 400, 'Đường dẫn đã hết hạn hoặc đã được sử dụng');
  });

  test('outside its subtree an agency admin can neither create nor grant, and nothing is stored', async () => {
    const { client } = sessions.adminA;
    const target = await createOfficer(db, { email: 'target.scope@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    const [accounts, grants] = [await countRows(db, 'account'), await countRows(db, 'roleAssignment')];

    for (const code of [DEPARTMENT, PROVINCE, COMMUNE_B]) {
      const create = await client.postForm('/quan-tri/can-bo', { fullName: 'Người Ngoài', email: `ngoai.${code}@example.vn`, role: 'reception', agencyCode: code });
      assertErrorPage(create, 400, `Cơ quan ${code} nằm ngoài phạm vi bạn được quản trị`);
      const grant = await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'specialist', agencyCode: code });
      assertErrorPage(grant, 400, `Cơ quan ${code} nằm ngoài phạm vi bạn được quản trị`);
    }
    assertErrorPage(await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'province_admin', agencyCode: COMMUNE_A }), 400, 'Chỉ quản trị cấp tỉnh mới được giao vai trò quản trị cấp tỉnh');
    assertErrorPage(await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'superuser', agencyCode: COMMUNE_A }), 400, 'Vai trò không hợp lệ');
    assertErrorPage(await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'leader', agencyCode: '999.99.99.H20' }), 400, 'Không có cơ quan mã 999.99.99.H20');
    assertErrorPage(await client.postForm('/quan-tri/can-bo', { fullName: 'Tỉnh Mới', email: 'tinh.moi@example.vn', role: 'province_admin', agencyCode: COMMUNE_A }), 400, 'Chỉ quản trị cấp tỉnh mới được giao');
    assertErrorPage(await client.postForm('/quan-tri/can-bo', { fullName: 'Trùng Thư', email: adminB.email.toUpperCase(), role: 'reception', agencyCode: COMMUNE_A }), 409, 'Địa chỉ thư điện tử này đã được dùng');
    assertErrorPage(await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'reception', agencyCode: COMMUNE_A }), 409, 'Cán bộ đã có vai trò này tại cơ quan này');

    assert.equal(await countRows(db, 'account'), accounts);
    assert.equal(await countRows(db, 'roleAssignment'), grants);

    // Inside the subtree it works.
    const granted = await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'specialist', agencyCode: COMMUNE_A });
    assert.equal(granted.statusCode, 303);
    assert.deepEqual((await activeGrants(target.id)).map((g) => g.role), ['reception', 'specialist']);
  });

  test('a province admin can grant the province-admin role; an agency admin of a district covers its communes only', async () => {
    const { client } = sessions.province;
    const target = await createOfficer(db, { email: 'len.tinh@example.vn', roles: [{ role: 'specialist', agencyCode: DEPARTMENT }] });
    assert.equal((await client.postForm(`/quan-tri/can-bo/${target.id}/vai-tro`, { role: 'province_admin', agencyCode: PROVINCE })).statusCode, 303);
    assert.deepEqual((await activeGrants(target.id)).map((g) => [g.role, g.code]), [['specialist', DEPARTMENT], ['province_admin', PROVINCE]]);
    assert.equal((await client.get(`/quan-tri/can-bo/${adminA.id}`)).statusCode, 200, 'the province covers every agency');

    // Agency paths: 000.00.31.H20 (thành phố Cao Lãnh) is 1.20 and its communes 1.20.x; the
    // provincial office 000.00.01.H20 is 1.2, a string prefix of 1.20 but not an ancestor.
    const district = await createOfficer(db, { email: 'qt.caolanh@example.vn', roles: [{ role: 'agency_admin', agencyCode: '000.00.31.H20' }] });
    const office = await createOfficer(db, { email: 'qt.vanphong@example.vn', roles: [{ role: 'agency_admin', agencyCode: '000.00.01.H20' }] });
    const { client: districtClient } = await loginOfficer(t.app, db, district);
    const { client: officeClient } = await loginOfficer(t.app, db, office);
    const inCommune = await districtClient.postForm('/quan-tri/can-bo', { fullName: 'Cán Bộ Phường Một', email: 'phuong1@caolanh.example.vn', role: 'reception', agencyCode: '000.01.31.H20' });
    assert.equal(inCommune.statusCode, 303, 'a commune below the district');
    const id = Number(inCommune.headers.location?.split('/').pop());
    assertErrorPage(await districtClient.postForm(`/quan-tri/can-bo/${id}/vai-tro`, { role: 'leader', agencyCode: '000.00.32.H20' }), 400, 'nằm ngoài phạm vi');
    assert.equal((await officeClient.get(`/quan-tri/can-bo/${id}`)).statusCode, 404, 'path 1.2 does not cover 1.20.32');
    assertErrorPage(await officeClient.postForm('/quan-tri/can-bo', { fullName: 'Sai Phạm Vi', email: 'sai@example.vn', role: 'reception', agencyCode: '000.00.31.H20' }), 400, 'nằm ngoài phạm vi');
    assert.doesNotMatch(pageText((await officeClient.get('/quan-tri/can-bo')).body), /Cán Bộ Phường Một/);
  });

  test('revoking a role ends the officer’s sessions; granting one does too', async () => {
    const officer = await createOfficer(db, { email: 'revoke@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }, { role: 'specialist', agencyCode: COMMUNE_A }] });
    const { client: officerClient } = await loginOfficer(t.app, db, officer);
    assert.equal((await officerClient.get('/quan-tri')).statusCode, 200);
    const { client } = sessions.adminA;
    const [reception] = await activeGrants(officer.id);
    const r = await client.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro/${reception!.id}/thu-hoi`);
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, `/quan-tri/can-bo/${officer.id}`);
    const row = await db.selectFrom('roleAssignment').select(['revokedAt', 'revokedBy']).where('id', '=', reception!.id).executeTakeFirstOrThrow();
    assert.ok(row.revokedAt);
    assert.equal(row.revokedBy, adminA.id);
    assert.deepEqual((await activeGrants(officer.id)).map((g) => g.role), ['specialist']);
    const after = await officerClient.get('/quan-tri');
    assert.equal(after.statusCode, 303);
    assert.equal(after.headers.location, '/dang-nhap');
    // Revoking it again: the grant is gone.
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro/${reception!.id}/thu-hoi`)).statusCode, 404);

    const { client: again } = await loginOfficer(t.app, db, officer);
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro`, { role: 'leader', agencyCode: COMMUNE_A })).statusCode, 303);
    assert.equal((await again.get('/quan-tri')).headers.location, '/dang-nhap', 'a new role needs a new login');
    assert.equal((await db.selectFrom('session').select('id').where('accountId', '=', officer.id).execute()).length, 0);
  });

  test('an admin of another commune sees none of it: 404 and nothing changes', async () => {
    const officer = await createOfficer(db, { email: 'foreign.target@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    await db.updateTable('account').set({ lockedUntil: sql`now() + interval '10 minutes'` }).where('id', '=', officer.id).execute();
    const [grant] = await activeGrants(officer.id);
    const { client } = sessions.adminB;
    assert.equal((await client.get(`/quan-tri/can-bo/${officer.id}`)).statusCode, 404);
    assert.equal((await client.get(`/quan-tri/can-bo/${adminA.id}`)).statusCode, 404);
    assert.equal((await client.get('/quan-tri/can-bo/999999')).statusCode, 404, 'the same answer as a missing officer');
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro`, { role: 'specialist', agencyCode: COMMUNE_B })).statusCode, 404);
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro/${grant!.id}/thu-hoi`)).statusCode, 404);
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officer.id}/mo-khoa`)).statusCode, 404);
    assert.deepEqual((await activeGrants(officer.id)).map((g) => [g.role, g.code]), [['reception', COMMUNE_A]]);
    const account = await db.selectFrom('account').select('lockedUntil').where('id', '=', officer.id).executeTakeFirstOrThrow();
    assert.ok(account.lockedUntil && new Date(account.lockedUntil) > new Date(), 'still locked');
    const list = pageText((await client.get('/quan-tri/can-bo')).body);
    assert.doesNotMatch(list, /foreign\.target/);
    assert.match(list, /quantri\.b@gocong/);
  });

  test('officers without officer.manage, and officers before the second step, get 404 on the admin pages', async () => {
    const reception = await createOfficer(db, { email: 'noadmin@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    const { client } = await loginOfficer(t.app, db, reception);
    for (const url of ['/quan-tri/can-bo', `/quan-tri/can-bo/${reception.id}`, '/quan-tri/token']) assert.equal((await client.get(url)).statusCode, 404, url);
    assert.equal((await client.postForm('/quan-tri/can-bo', { fullName: 'Tự Tạo', email: 'tutao@example.vn', role: 'reception', agencyCode: COMMUNE_A })).statusCode, 404);
    assert.equal((await client.postForm(`/quan-tri/can-bo/${reception.id}/vai-tro`, { role: 'agency_admin', agencyCode: COMMUNE_A })).statusCode, 404);

    const halfway = new WebClient(t.app);
    await halfway.postForm('/dang-nhap', { email: adminA.email, password: adminA.password });
    assert.equal((await halfway.get('/quan-tri/can-bo')).statusCode, 404);
    assert.equal((await halfway.postForm(`/quan-tri/can-bo/${reception.id}/vai-tro`, { role: 'leader', agencyCode: COMMUNE_A })).statusCode, 404);
    assert.deepEqual((await activeGrants(reception.id)).map((g) => g.role), ['reception']);
  });

  test('an officer whose roles were all revoked is not visible to admins of other agencies', async () => {
    const officer = await createOfficer(db, { email: 'orphan@mytho.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    const { client: a } = sessions.adminA;
    const [grant] = await activeGrants(officer.id);
    assert.equal((await a.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro/${grant!.id}/thu-hoi`)).statusCode, 303);
    const { client: b } = sessions.adminB;
    assert.equal((await b.get(`/quan-tri/can-bo/${officer.id}`)).statusCode, 404);
    assert.equal((await b.postForm(`/quan-tri/can-bo/${officer.id}/vai-tro`, { role: 'reception', agencyCode: COMMUNE_B })).statusCode, 404);
    assert.deepEqual(await activeGrants(officer.id), []);
  });

  test('an id beyond the integer range is a malformed address (400), not a server error', async () => {
    const { client } = sessions.province;
    for (const url of ['/quan-tri/can-bo/3000000000', '/quan-tri/can-bo/99999999999999999999']) assert.equal((await client.get(url)).statusCode, 400, url);
    assert.equal((await client.postForm('/quan-tri/can-bo/3000000000/mo-khoa')).statusCode, 400);
    assert.equal((await client.postForm('/quan-tri/can-bo/1/vai-tro/3000000000/thu-hoi')).statusCode, 400);
    assert.equal((await client.postForm('/quan-tri/token/3000000000/thu-hoi')).statusCode, 400);
  });

});
