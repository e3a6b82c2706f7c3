// Login with the national eID (VNeID) through the pages, against a real OpenID provider: the first
// login creates a citizen account keyed on the identity number (TechID kept), a later login links
// an account registered with the same CCCD, and a replayed or forged callback gets a page saying
// so, with no session.
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { DB } from '../../db/schema.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { abortProviderLogin, completeProviderLogin, startTestOidcProvider, type TestOidcProvider } from '../../../test/helpers/oidc-provider.js';
import { countRows, pageText, pageTitle, registerVerifiedCitizen, WebClient, type InjectResponse } from '../../../test/helpers/identity.js';

const PUBLIC_URL = 'http://localhost:3000';
const FAILED = 'Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn. Hãy thử lại từ trang đăng nhập.';

const newcomer = {
  TechID: '5d0c7a2e-1b3f-4c5d-9e8f-0a1b2c3d4e5f',
  SoDinhDanh: '087092004567',
  HoVaTen: 'Huỳnh Thị Thanh Thảo',
  NgayThangNamSinh: '19920304',
  GioiTinh: 'Nữ',
  SoDienThoai: '0938123456',
  ThuDienTu: 'Thanh.Thao@example.vn',
  ThuongTru: 'Ấp 3, xã Mỹ Thọ, tỉnh Đồng Tháp',
  NoiOHienNay: 'Phường Mỹ Tho, tỉnh Đồng Tháp',
  LoaiTaiKhoan: 1,
};
const registered = {
  fullName: 'Lâm Văn Phúc',
  idNumber: '087088007654',
  email: 'van.phuc@example.vn',
  phone: '0908123456',
  password: 'đò ngang sông Tiền 2026',
};
const returning = {
  TechID: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918',
  SoDinhDanh: registered.idNumber,
  HoVaTen: 'Lâm Văn Phúc',
  NgayThangNamSinh: '19880101',
  ThuDienTu: 'phuc.khac@example.vn',
  LoaiTaiKhoan: 1,
};

let provider: TestOidcProvider;
let t: TestApp;
let db: Kysely<DB>;

before(async () => {
  provider = await startTestOidcProvider({ accounts: { newcomer, returning }, redirectUris: [`${PUBLIC_URL}/dang-nhap/vneid/callback`] });
  t = await createTestApp({ env: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID: provider.clientId, OIDC_CLIENT_SECRET: provider.clientSecret, PUBLIC_URL } });
  db = t.database.db;
});
after(async () => {
  await t?.close();
  await provider?.close();
});

/** Starts a login in the app and signs in at the provider; returns the callback as a path. */
async function loginAtProvider(client: WebClient, accountId: string): Promise<string> {
  const start = await client.get('/dang-nhap/vneid');
  assert.equal(start.statusCode, 303);
  const location = String(start.headers.location);
  assert.ok(location.startsWith(`${provider.issuer}/auth?`), location);
  const callback = await completeProviderLogin(location, accountId);
  assert.equal(`${callback.origin}${callback.pathname}`, `${PUBLIC_URL}/dang-nhap/vneid/callback`);
  return `${callback.pathname}${callback.search}`;
}

function assertFailurePage(response: InjectResponse): void {
  assert.equal(response.statusCode, 400);
  assert.match(pageTitle(response.body), /^Lỗi: Không đăng nhập được bằng VNeID/);
  assert.ok(pageText(response.body).includes(FAILED), pageText(response.body).slice(0, 400));
  assert.equal(response.cookies.find((c) => c.name === 'mc_session'), undefined, 'no session cookie');
}

describe('VNeID login through the pages', () => {
  test('the login page offers VNeID when it is configured', async () => {
    const page = await new WebClient(t.app).get('/dang-nhap');
    assert.match(page.body, /href="\/dang-nhap\/vneid"/);
  });

  test('a first login creates a citizen account keyed on the identity number, with TechID', async () => {
    const before = await countRows(db, 'account');
    const client = new WebClient(t.app);
    const callback = await loginAtProvider(client, 'newcomer');
    const r = await client.get(callback);
    assert.equal(r.statusCode, 303, pageText(r.body).slice(0, 300));
    assert.equal(r.headers.location, '/tai-khoan');
    assert.ok(client.session);
    assert.equal(await countRows(db, 'account'), before + 1);

    const account = await db.selectFrom('account').selectAll().where('idNumber', '=', newcomer.SoDinhDanh).executeTakeFirstOrThrow();
    assert.equal(account.kind, 'citizen');
    assert.equal(account.fullName, newcomer.HoVaTen);
    assert.equal(account.techId, newcomer.TechID);
    assert.equal(account.nationalSubject, 'newcomer');
    assert.equal(account.birthDate, '1992-03-04');
    assert.equal(account.email, 'thanh.thao@example.vn');
    assert.ok(account.emailVerifiedAt, 'the address given by VNeID counts as verified');
    assert.equal(account.passwordHash, null);

    const profile = await client.get('/tai-khoan');
    assert.equal(profile.statusCode, 200);
    assert.match(pageText(profile.body), /Huỳnh Thị Thanh Thảo/);

    const audit = await db.selectFrom('auditLog').select(['action', 'details']).where('objectType', '=', 'account').where('objectId', '=', String(account.id)).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['account.create', 'auth.login.success']);
    assert.deepEqual(audit[0]!.details, { method: 'vneid', idNumber: '0870******67' });
    assert.equal(await db.selectFrom('oidcPending').select('state').executeTakeFirst(), undefined, 'the pending login is consumed');

    // The same person again: the same account, signed in.
    const again = new WebClient(t.app);
    assert.equal((await again.get(await loginAtProvider(again, 'newcomer'))).statusCode, 303);
    assert.equal(await countRows(db, 'account'), before + 1);
  });

  test('a login with the CCCD of a registered account links it: no duplicate, TechID kept', async () => {
    const id = await registerVerifiedCitizen(t, registered);
    const before = await countRows(db, 'account');
    const client = new WebClient(t.app);
    const r = await client.get(await loginAtProvider(client, 'returning'));
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/tai-khoan');
    assert.equal(await countRows(db, 'account'), before);
    const rows = await db.selectFrom('account').selectAll().where('idNumber', '=', registered.idNumber).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.id, id);
    assert.equal(rows[0]!.nationalSubject, 'returning');
    assert.equal(rows[0]!.techId, returning.TechID);
    assert.equal(rows[0]!.email, registered.email, 'the registered email is kept');
    const session = await db.selectFrom('session').select('accountId').where('accountId', '=', id).executeTakeFirst();
    assert.ok(session);
    const login = await db.selectFrom('auditLog').select('details').where('action', '=', 'auth.login.success').where('objectId', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(login.details, { method: 'vneid', created: false, idNumber: '0870******54' });
    // The account was opened with another email than the one VNeID knows: whoever typed this CCCD
    // at registration may not be its owner, so the password and the other sessions end (the owner
    // goes on with VNeID and may set a new password through the reset link).
    assert.equal(rows[0]!.passwordHash, null);
    assert.equal((await new WebClient(t.app).postForm('/dang-nhap', { email: registered.email, password: registered.password })).statusCode, 401);
  });

  test('a replayed callback gets the failure page and no session', async () => {
    const client = new WebClient(t.app);
    const callback = await loginAtProvider(client, 'newcomer');
    const stateCookie = client.cookies.get('mc_vneid_state');
    assert.ok(stateCookie, 'the browser that starts a login holds its state');
    assert.equal((await client.get(callback)).statusCode, 303);
    assert.equal(client.cookies.get('mc_vneid_state'), undefined, 'used up');
    const sessions = await countRows(db, 'session');
    // Even a browser holding the state cookie too: the pending login was consumed.
    const attacker = new WebClient(t.app);
    attacker.cookies.set('mc_vneid_state', stateCookie);
    assertFailurePage(await attacker.get(callback));
    assert.equal(attacker.session, undefined);
    assert.equal(await countRows(db, 'session'), sessions);
  });

  test('a callback opened in another browser than the one that started the login is refused (login CSRF)', async () => {
    // Someone signs in at the provider as themselves and sends the callback link to a victim.
    const attacker = new WebClient(t.app);
    const callback = await loginAtProvider(attacker, 'newcomer');
    const victim = new WebClient(t.app);
    const sessions = await countRows(db, 'session');
    assertFailurePage(await victim.get(callback));
    assert.equal(victim.session, undefined);
    assert.equal(await countRows(db, 'session'), sessions);
    assert.equal((await attacker.get(callback)).statusCode, 303, 'the browser that started it can still finish');
  });

  test('a wrong state gets the failure page and no session; the real one still works after', async () => {
    const client = new WebClient(t.app);
    const callback = new URL(await loginAtProvider(client, 'newcomer'), PUBLIC_URL);
    const stateCookie = client.cookies.get('mc_vneid_state')!;
    const sessions = await countRows(db, 'session');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'trang-thai-gia-mao');
    assertFailurePage(await client.get(`${forged.pathname}${forged.search}`));
    // A state the server never issued, even with a matching cookie.
    client.cookies.set('mc_vneid_state', 'trang-thai-gia-mao');
    assertFailurePage(await client.get(`${forged.pathname}${forged.search}`));
    client.cookies.set('mc_vneid_state', stateCookie);
    const none = new URL(callback);
    none.searchParams.delete('state');
    assertFailurePage(await client.get(`${none.pathname}${none.search}`));
    assert.equal(client.session, undefined);
    assert.equal(await countRows(db, 'session'), sessions);
    assert.equal((await client.get(`${callback.pathname}${callback.search}`)).statusCode, 303);
  });

  test('a login cancelled at the provider gets the failure page', async () => {
    const client = new WebClient(t.app);
    const start = await client.get('/dang-nhap/vneid');
    const cancelled = await abortProviderLogin(String(start.headers.location));
    assert.equal(cancelled.searchParams.get('error'), 'access_denied');
    assertFailurePage(await client.get(`${cancelled.pathname}${cancelled.search}`));
  });

  test('a code stolen from another login cannot be used with this browser’s state', async () => {
    const victim = new WebClient(t.app);
    const victimCallback = new URL(await loginAtProvider(victim, 'returning'), PUBLIC_URL);
    const attacker = new WebClient(t.app);
    const attackerCallback = new URL(await loginAtProvider(attacker, 'newcomer'), PUBLIC_URL);
    const mixed = new URL(attackerCallback);
    mixed.searchParams.set('code', victimCallback.searchParams.get('code')!);
    const sessions = await countRows(db, 'session');
    assertFailurePage(await attacker.get(`${mixed.pathname}${mixed.search}`));
    assert.equal(await countRows(db, 'session'), sessions);
    const stale = await db.selectFrom('oidcPending').select('state').where('state', '=', attackerCallback.searchParams.get('state')!).executeTakeFirst();
    assert.equal(stale, undefined, 'the attempt used up its pending login');
    await db.deleteFrom('oidcPending').where(sql<boolean>`true`).execute();
  });
});
