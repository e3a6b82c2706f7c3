// The identity flows leave an intact audit trail: after registration, logins (failed and good),
// officer creation, role grants and revocations and API-token use, the hash chain verifies, the
// expected actions are there with who did them, and no full identity number is in any entry.
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { DB } from '../../db/schema.js';
import { listAuditEntries, verifyAuditChain } from '../../platform/audit/audit.js';
import { hashToken } from '../../platform/security/secrets.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createOfficer, loginOfficer, registerVerifiedCitizen, WebClient } from '../../../test/helpers/identity.js';

let t: TestApp;
let db: Kysely<DB>;
const ID_NUMBERS = ['087090011111', '079303002222', '087085003333'];

before(async () => {
  t = await createTestApp();
  db = t.database.db;
});
after(() => t.close());

describe('audit trail of the identity flows', () => {
  test('the chain verifies and holds every expected action, with no full CCCD', async () => {
    // A citizen registers, fails a login, logs in.
    const citizen = { fullName: 'Phạm Thị Lan', idNumber: ID_NUMBERS[0]!, email: 'lan.pham@example.vn', phone: '0912000111', password: 'hoa sen nở sớm 2026' };
    const citizenId = await registerVerifiedCitizen(t, citizen);
    const browser = new WebClient(t.app);
    assert.equal((await browser.postForm('/dang-nhap', { email: citizen.email, password: 'không phải mật khẩu' })).statusCode, 401);
    assert.equal((await browser.postForm('/dang-nhap', { email: 'ai.do@example.vn', password: 'không phải mật khẩu' })).statusCode, 401);
    assert.equal((await browser.postForm('/dang-nhap', { email: citizen.email, password: citizen.password })).statusCode, 303);
    // A business whose representative's CCCD is recorded.
    const business = new WebClient(t.app);
    const registered = await business.postForm('/dang-ky/doanh-nghiep', {
      businessName: 'Hợp tác xã Sen Hồng',
      taxCode: '0101248141',
      legalRepName: 'Phạm Thị Lan',
      legalRepIdNumber: ID_NUMBERS[0]!,
      email: 'htx@senhong.example.vn',
      phone: '0912000222',
      password: 'hợp tác xã sen 2026',
    });
    assert.equal(registered.statusCode, 303);
    // A refused registration with another CCCD stores nothing, audit included.
    assert.equal((await new WebClient(t.app).postForm('/dang-ky', { ...citizen, email: 'khac@example.vn', idNumber: ID_NUMBERS[0]! })).statusCode, 409);

    // An agency admin creates an officer, grants and revokes a role.
    const admin = await createOfficer(db, { email: 'qt.audit@mytho.example.vn', roles: [{ role: 'agency_admin', agencyCode: '000.00.51.H20' }] });
    const { client } = await loginOfficer(t.app, db, admin);
    const created = await client.postForm('/quan-tri/can-bo', { fullName: 'Ngô Văn Tâm', email: 'tam.ngo@mytho.example.vn', role: 'reception', agencyCode: '000.00.51.H20' });
    assert.equal(created.statusCode, 303);
    const officerId = Number(created.headers.location?.split('/').pop());
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officerId}/vai-tro`, { role: 'leader', agencyCode: '000.00.51.H20' })).statusCode, 303);
    const grant = await db.selectFrom('roleAssignment').select('id').where('accountId', '=', officerId).where('role', '=', 'leader').executeTakeFirstOrThrow();
    assert.equal((await client.postForm(`/quan-tri/can-bo/${officerId}/vai-tro/${grant.id}/thu-hoi`)).statusCode, 303);

    // A province admin creates a token, a machine client uses it.
    const province = await createOfficer(db, { email: 'qt.tinh.audit@dongthap.example.vn', roles: [{ role: 'province_admin', agencyCode: '000.00.00.H20' }] });
    const { client: provinceClient } = await loginOfficer(t.app, db, province);
    const page = await provinceClient.postForm('/quan-tri/token', { name: 'Cổng quốc gia', scope: 'dossier:read', expiresInDays: '30' });
    const token = /<code data-api-token[^>]*>([^<]+)<\/code>/.exec(page.body)?.[1];
    assert.ok(token);
    assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
    const tokenId = (await db.selectFrom('apiToken').select('id').where('tokenHash', '=', hashToken(token)).executeTakeFirstOrThrow()).id;

    const report = await verifyAuditChain(db);
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.ok(report.checked >= 15, `${report.checked} entries`);

    const entries = await listAuditEntries(db, { limit: 500 });
    assert.equal(entries.length, report.checked);
    const find = (action: string, where: Partial<(typeof entries)[number]> = {}) =>
      entries.filter((e) => e.action === action && Object.entries(where).every(([k, v]) => JSON.stringify(e[k as keyof typeof e]) === JSON.stringify(v)));

    assert.equal(find('account.create', { actorType: 'citizen', objectId: String(citizenId) }).length, 1);
    assert.deepEqual(find('account.create', { objectId: String(citizenId) })[0]!.details, { kind: 'citizen', idNumber: '0870******11' });
    assert.equal(find('account.create', { actorType: 'business' }).length, 1);
    assert.equal(find('account.create', { actorType: 'officer', actorId: String(admin.id), objectId: String(officerId) }).length, 1);
    assert.equal(find('auth.login.failure', { objectId: String(citizenId) }).length, 1);
    assert.deepEqual(find('auth.login.failure', { objectId: String(citizenId) })[0]!.details, { reason: 'password' });
    assert.equal(find('auth.login.failure', { objectId: null }).length, 1, 'an unknown email is recorded without an account');
    assert.equal(find('auth.login.success', { actorType: 'citizen', actorId: String(citizenId) }).length, 1);
    assert.equal(find('auth.login.success', { actorType: 'officer', actorId: String(admin.id) }).length, 1);
    assert.equal(find('auth.mfa.enrol', { actorId: String(admin.id) }).length, 1);
    assert.deepEqual(
      find('role.assign', { actorId: String(admin.id), objectId: String(officerId) }).map((e) => e.details).reverse(),
      [{ role: 'reception', agency: '000.00.51.H20' }, { role: 'leader', agency: '000.00.51.H20' }],
    );
    assert.deepEqual(find('role.revoke', { actorId: String(admin.id), objectId: String(officerId) }).map((e) => e.details), [{ role: 'leader', agency: '000.00.51.H20' }]);
    assert.equal(find('token.create', { actorId: String(province.id), objectId: String(tokenId) }).length, 1);
    assert.equal(find('token.use', { actorType: 'api_token', actorId: String(tokenId) }).length, 1);
    assert.equal(find('account.verify_email', { objectId: String(citizenId) }).length, 1);
    for (const e of entries) assert.ok(e.ip === null || e.ip.length > 0);

    // No full identity number anywhere in the log (masked ones show 6 digits at most).
    const everything = JSON.stringify(entries);
    for (const id of ID_NUMBERS) assert.ok(!everything.includes(id), `${id} is not in the audit log`);
    for (const e of entries) assert.doesNotMatch(JSON.stringify(e.details), /\d{12}/, `${e.action} holds no 12-digit number`);
  });
});
