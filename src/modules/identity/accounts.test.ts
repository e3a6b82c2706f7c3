// Citizens and businesses through the pages, as a browser drives them: registration, the email
// link, login, wrong inputs with their Vietnamese messages (and nothing stored), password reset,
// lockout, CSRF, and the life of a session (logout, idle and absolute limits, new ids).
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { DB } from '../../db/schema.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  countRows,
  createOfficer,
  freshTotpCode,
  latestMail,
  loginCitizen,
  loginOfficer,
  mailCount,
  pageText,
  pageTitle,
  registerVerifiedCitizen,
  WebClient,
  type InjectResponse,
} from '../../../test/helpers/identity.js';

let t: TestApp;
let db: Kysely<DB>;

before(async () => {
  t = await createTestApp();
  db = t.database.db;
});
after(() => t.close());

const PASSWORD = 'sen hồng Tháp Mười 2026';
let serial = 0;
/** A fresh, valid citizen (Đồng Tháp, born 1990) for each call. */
function citizen(overrides: Partial<Record<'fullName' | 'idNumber' | 'email' | 'phone' | 'password', string>> = {}) {
  serial++;
  return {
    fullName: `Nguyễn Thị Hồng ${serial}`,
    idNumber: `087190${String(100000 + serial).slice(-6)}`,
    email: `hong.${serial}@example.vn`,
    phone: '0912345678',
    password: PASSWORD,
    ...overrides,
  };
}

const tokenOf = (link: string | undefined) => new URL(link ?? '/', 'http://x').searchParams.get('token') ?? '';

function assertErrorPage(response: InjectResponse, status: number, message: string): void {
  assert.equal(response.statusCode, status, pageText(response.body).slice(0, 400));
  assert.match(pageTitle(response.body), /^Lỗi: /);
  assert.ok(pageText(response.body).includes(message), `the page says "${message}": ${pageText(response.body).slice(0, 600)}`);
}

async function accountOf(email: string) {
  return db.selectFrom('account').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

describe('citizen registration and email verification', () => {
  test('register → mail with a link → the link shows a button → verified → login → profile', async () => {
    const client = new WebClient(t.app);
    const form = await client.getForm('/dang-ky');
    assert.equal(form.response.statusCode, 200);
    const input = citizen({ fullName: 'Trần Thị Mỹ Duyên' });
    const registered = await client.postForm('/dang-ky', input);
    assert.equal(registered.statusCode, 303);
    assert.equal(registered.headers.location, '/dang-ky/kiem-tra-thu');
    assert.match(pageText((await client.get('/dang-ky/kiem-tra-thu')).body), /Kiểm tra hộp thư của bạn/);

    const account = await accountOf(input.email);
    assert.ok(account);
    assert.equal(account.kind, 'citizen');
    assert.equal(account.idNumber, input.idNumber);
    assert.equal(account.emailVerifiedAt, null);
    assert.match(account.passwordHash ?? '', /^\$argon2id\$/);

    // Before verifying, login is refused with the reason.
    const early = await new WebClient(t.app).postForm('/dang-nhap', { email: input.email, password: input.password });
    assertErrorPage(early, 401, 'Bạn cần xác thực địa chỉ thư điện tử trước khi đăng nhập');
    assert.equal(early.cookies.find((c) => c.name === 'mc_session'), undefined, 'no session for an unverified account');

    assert.ok((await t.runJobs()) >= 1);
    const mail = await latestMail(db, input.email);
    assert.ok(mail, 'a verification email was sent');
    assert.equal(mail.subject, 'Xác nhận địa chỉ thư điện tử trên Cổng Dịch vụ công');
    assert.match(mail.text, /Trần Thị Mỹ Duyên/);
    assert.match(mail.link ?? '', /^\/xac-thuc-email\?token=[A-Za-z0-9_-]{20,}$/);
    assert.match(mail.text, /^http:\/\/localhost:3000\/xac-thuc-email\?token=/m, 'the link is absolute, on PUBLIC_URL');

    // Opening the link (as a mail scanner would) only shows a button.
    const page = await client.get(mail.link!);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<input type="hidden" name="token" value="${tokenOf(mail.link)}"`));
    assert.match(page.body, /<button[^>]*>Xác nhận<\/button>/);
    assert.equal((await accountOf(input.email))?.emailVerifiedAt, null, 'GET does not verify');

    const verified = await client.postForm('/xac-thuc-email', { token: tokenOf(mail.link) });
    assert.equal(verified.statusCode, 200);
    assert.match(pageText(verified.body), /Tài khoản đã được kích hoạt/);
    assert.notEqual((await accountOf(input.email))?.emailVerifiedAt, null);

    const login = await client.postForm('/dang-nhap', { email: input.email.toUpperCase(), password: input.password });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/tai-khoan');
    assert.ok(client.session);
    const profile = await client.get('/tai-khoan');
    assert.equal(profile.statusCode, 200);
    assert.match(pageText(profile.body), /Trần Thị Mỹ Duyên/);
    assert.match(pageText(profile.body), new RegExp(input.idNumber));

    // The link works once.
    const again = await client.postForm('/xac-thuc-email', { token: tokenOf(mail.link) });
    assertErrorPage(again, 400, 'Đường dẫn đã hết hạn hoặc đã được sử dụng');
  });

  test('an expired verification link is refused and the account stays unverified', async () => {
    const input = citizen();
    const client = new WebClient(t.app);
    assert.equal((await client.postForm('/dang-ky', input)).statusCode, 303);
    await t.runJobs();
    const mail = await latestMail(db, input.email);
    const account = await accountOf(input.email);
    await db.updateTable('emailToken').set({ expiresAt: sql`now() - interval '1 minute'` }).where('accountId', '=', account!.id).execute();
    const r = await client.postForm('/xac-thuc-email', { token: tokenOf(mail?.link) });
    assertErrorPage(r, 400, 'Đường dẫn đã hết hạn hoặc đã được sử dụng');
    assert.equal((await accountOf(input.email))?.emailVerifiedAt, null);
  });

  test('an unknown or empty token is refused the same way', async () => {
    const client = new WebClient(t.app);
    assertErrorPage(await client.postForm('/xac-thuc-email', { token: 'khong-phai-token-that-0123456789' }), 400, 'Đường dẫn đã hết hạn hoặc đã được sử dụng');
    assertErrorPage(await client.postForm('/xac-thuc-email', {}), 400, 'Đường dẫn đã hết hạn hoặc đã được sử dụng');
  });
});

describe('every wrong input shows its message and stores nothing', () => {
  let existing: ReturnType<typeof citizen>;
  before(async () => {
    existing = citizen();
    await registerVerifiedCitizen(t, existing);
  });

  const cases: { name: string; input: () => ReturnType<typeof citizen>; status: number; message: string }[] = [
    { name: 'malformed CCCD', input: () => citizen({ idNumber: '08709001234' }), status: 400, message: 'Nhập số định danh cá nhân (CCCD) gồm 12 chữ số' },
    { name: 'CCCD of an unknown province', input: () => citizen({ idNumber: '003090012345' }), status: 400, message: 'Mã tỉnh 003 ở 3 chữ số đầu của số CCCD không tồn tại' },
    { name: 'CCCD with a birth year to come', input: () => citizen({ idNumber: '087499000001' }), status: 400, message: 'Số CCCD cho năm sinh 2199, là năm chưa tới' },
    { name: 'duplicate CCCD', input: () => citizen({ idNumber: existing.idNumber }), status: 409, message: 'Số CCCD này đã được dùng để đăng ký một tài khoản khác' },
    { name: 'duplicate email (other case)', input: () => citizen({ email: existing.email.toUpperCase() }), status: 409, message: 'Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác' },
    { name: 'malformed email', input: () => citizen({ email: 'hong@example' }), status: 400, message: 'Nhập địa chỉ thư điện tử đúng định dạng' },
    { name: 'common password', input: () => citizen({ password: 'Matkhau@123' }), status: 400, message: 'Mật khẩu này quá phổ biến, dễ bị đoán' },
    { name: 'short password', input: () => citizen({ password: 'Sen-123' }), status: 400, message: 'Mật khẩu phải có ít nhất 10 ký tự' },
    { name: 'password with the CCCD in it', input: () => { const c = citizen(); return { ...c, password: `cccd-${c.idNumber}` }; }, status: 400, message: 'Mật khẩu không được chứa số giấy tờ hoặc tên thư điện tử của bạn' },
    { name: 'landline phone', input: () => citizen({ phone: '02773851234' }), status: 400, message: 'Nhập số điện thoại di động gồm 10 chữ số' },
    { name: 'empty name', input: () => citizen({ fullName: ' ' }), status: 400, message: 'Nhập họ và tên từ 2 đến 200 ký tự' },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const input = c.input();
      const [accounts, tokens] = [await countRows(db, 'account'), await countRows(db, 'emailToken')];
      await t.runJobs();
      const mails = await mailCount(db, input.email);
      const client = new WebClient(t.app);
      const r = await client.postForm('/dang-ky', input);
      assertErrorPage(r, c.status, c.message);
      assert.match(r.body, /<div class="error-summary"/);
      // The form comes back filled in, except the password.
      assert.ok(r.body.includes(`value="${input.phone}"`));
      assert.ok(!r.body.includes(input.password.replace(/&/g, '&amp;')) || input.password.length < 10, 'the password is never echoed');
      assert.equal(await countRows(db, 'account'), accounts);
      assert.equal(await countRows(db, 'emailToken'), tokens);
      await t.runJobs();
      assert.equal(await mailCount(db, input.email), mails, 'no email');
    });
  }

  test('several wrong fields are all reported at once', async () => {
    const r = await new WebClient(t.app).postForm('/dang-ky', citizen({ idNumber: '12', phone: '1', email: 'x', password: 'short' }));
    assert.equal(r.statusCode, 400);
    const text = pageText(r.body);
    for (const m of ['gồm 12 chữ số', 'số điện thoại di động', 'thư điện tử đúng định dạng', 'ít nhất 10 ký tự']) assert.ok(text.includes(m), m);
  });
});

describe('business registration', () => {
  test('a wrong check digit is refused with its message; a valid code registers and links the representative', async () => {
    const rep = citizen({ fullName: 'Lê Văn Đại Diện' });
    const repId = await registerVerifiedCitizen(t, rep);
    const business = {
      businessName: 'Công ty TNHH Sen Hồng',
      taxCode: '0100112438',
      legalRepName: rep.fullName,
      legalRepIdNumber: rep.idNumber,
      email: 'ketoan@senhong.example.vn',
      phone: '0281234567'.replace(/^02/, '09'),
      password: 'Sen Hồng xuất khẩu 2026',
    };
    const client = new WebClient(t.app);
    const before = await countRows(db, 'account');
    const bad = await client.postForm('/dang-ky/doanh-nghiep', business);
    assertErrorPage(bad, 400, 'Mã số doanh nghiệp không đúng (chữ số kiểm tra sai)');
    const branch = await client.postForm('/dang-ky/doanh-nghiep', { ...business, taxCode: '0100112437-000' });
    assertErrorPage(branch, 400, 'Mã đơn vị phụ thuộc phải từ 001 đến 999');
    assert.equal(await countRows(db, 'account'), before);

    const good = await client.postForm('/dang-ky/doanh-nghiep', { ...business, taxCode: '0100112437' });
    assert.equal(good.statusCode, 303);
    const account = await accountOf(business.email);
    assert.equal(account?.kind, 'business');
    assert.equal(account?.taxCode, '0100112437');
    const link = await db.selectFrom('businessLink').selectAll().where('businessId', '=', account!.id).executeTakeFirst();
    assert.equal(link?.citizenId, repId);
    assert.equal(link?.role, 'representative');

    const duplicate = await client.postForm('/dang-ky/doanh-nghiep', { ...business, taxCode: '0100112437', email: 'khac@senhong.example.vn' });
    assertErrorPage(duplicate, 409, 'Mã số doanh nghiệp này đã có tài khoản');

    const branchOk = await client.postForm('/dang-ky/doanh-nghiep', { ...business, taxCode: '0100112437-001', email: 'chinhanh@senhong.example.vn' });
    assert.equal(branchOk.statusCode, 303, 'a dependent unit (-001) registers');

    // The representative sees the business on the profile.
    const repClient = await loginCitizen(t.app, rep.email, rep.password);
    assert.match(pageText((await repClient.get('/tai-khoan')).body), /Công ty TNHH Sen Hồng \(0100112437\)/);
    // Acting for a business the representative is not linked to, or for an id no account can have.
    assert.equal((await repClient.postForm('/tai-khoan/dai-dien', { businessId: String(account!.id + 1000) })).statusCode, 404);
    assert.equal((await repClient.postForm('/tai-khoan/dai-dien', { businessId: '9999999999' })).statusCode, 400, 'out of range: 400, not a database error');
  });
});

describe('password reset', () => {
  test('same answer for an unknown email, and no mail; the link sets a new password once and ends every session', async () => {
    const input = citizen();
    await registerVerifiedCitizen(t, input);
    const signedIn = await loginCitizen(t.app, input.email, input.password);
    assert.equal((await signedIn.get('/tai-khoan')).statusCode, 200);

    const client = new WebClient(t.app);
    await client.getForm('/quen-mat-khau');
    await t.runJobs();
    const unknownEmail = 'khong.ton.tai@example.vn';
    const unknown = await client.postForm('/quen-mat-khau', { email: unknownEmail });
    const mailsBefore = await mailCount(db, input.email);
    const known = await client.postForm('/quen-mat-khau', { email: input.email });
    assert.equal(unknown.statusCode, 200);
    assert.equal(known.statusCode, 200);
    assert.equal(pageText(unknown.body), pageText(known.body), 'the answer does not tell whether the account exists');
    assert.match(pageText(known.body), /Nếu địa chỉ này có tài khoản/);
    await t.runJobs();
    assert.equal(await mailCount(db, unknownEmail), 0);
    assert.equal(await mailCount(db, input.email), mailsBefore + 1);
    const mail = await latestMail(db, input.email);
    assert.equal(mail?.subject, 'Đặt lại mật khẩu tài khoản Cổng Dịch vụ công');
    assert.match(mail?.link ?? '', /^\/dat-lai-mat-khau\?token=/);

    const page = await client.get(mail!.link!);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="password"/);

    // A weak new password is refused and the link still works afterwards.
    const weak = await client.postForm('/dat-lai-mat-khau', { token: tokenOf(mail?.link), password: 'password123' });
    assertErrorPage(weak, 400, 'Mật khẩu này quá phổ biến');

    const newPassword = 'Cầu Cao Lãnh mới 2026';
    const done = await client.postForm('/dat-lai-mat-khau', { token: tokenOf(mail?.link), password: newPassword });
    assert.equal(done.statusCode, 200);
    assert.match(pageText(done.body), /Đã lưu mật khẩu mới/);

    // Every session of the account ended.
    const afterReset = await signedIn.get('/tai-khoan');
    assert.equal(afterReset.statusCode, 303);
    assert.equal(afterReset.headers.location, '/dang-nhap');
    const account = await accountOf(input.email);
    assert.equal(await db.selectFrom('session').select('id').where('accountId', '=', account!.id).executeTakeFirst(), undefined);

    assertErrorPage(await new WebClient(t.app).postForm('/dang-nhap', { email: input.email, password: input.password }), 401, 'Thư điện tử hoặc mật khẩu không đúng.');
    await loginCitizen(t.app, input.email, newPassword);

    const reused = await client.postForm('/dat-lai-mat-khau', { token: tokenOf(mail?.link), password: 'Một mật khẩu khác nữa 2026' });
    assertErrorPage(reused, 400, 'Đường dẫn đã hết hạn hoặc đã được sử dụng');
    await loginCitizen(t.app, input.email, newPassword);
  });

  test('a newer reset link replaces the older one; a verification link cannot reset a password', async () => {
    const input = citizen();
    await registerVerifiedCitizen(t, input);
    const verifyLink = (await latestMail(db, input.email))?.link;
    const client = new WebClient(t.app);
    await client.postForm('/quen-mat-khau', { email: input.email });
    await t.runJobs();
    const first = (await latestMail(db, input.email))?.link;
    await client.postForm('/quen-mat-khau', { email: input.email });
    await t.runJobs();
    const second = (await latestMail(db, input.email))?.link;
    assert.notEqual(first, second);
    assertErrorPage(await client.postForm('/dat-lai-mat-khau', { token: tokenOf(first), password: 'Mật khẩu mới toanh 2026' }), 400, 'Đường dẫn đã hết hạn');
    assertErrorPage(await client.postForm('/dat-lai-mat-khau', { token: tokenOf(verifyLink), password: 'Mật khẩu mới toanh 2026' }), 400, 'Đường dẫn đã hết hạn');
    assert.equal((await client.postForm('/dat-lai-mat-khau', { token: tokenOf(second), password: 'Mật khẩu mới toanh 2026' })).statusCode, 200);
  });

  test('a malformed email address is pointed out', async () => {
    const r = await new WebClient(t.app).postForm('/quen-mat-khau', { email: 'khong-phai-email' });
    assertErrorPage(r, 400, 'Nhập địa chỉ thư điện tử đúng định dạng');
  });
});

describe('lockout', () => {
  test(`after LOGIN_MAX_FAILURES wrong passwords the account is locked, even for the right password`, async () => {
    assert.equal(t.config.loginMaxFailures, 5);
    const input = citizen();
    await registerVerifiedCitizen(t, input);
    const client = new WebClient(t.app);
    for (let i = 1; i <= 5; i++) {
      const r = await client.postForm('/dang-nhap', { email: input.email, password: `sai mật khẩu ${i}` });
      assertErrorPage(r, 401, 'Thư điện tử hoặc mật khẩu không đúng.');
    }
    const locked = await client.postForm('/dang-nhap', { email: input.email, password: input.password });
    assertErrorPage(locked, 401, 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Thử lại sau 15 phút');
    assert.equal(client.session, undefined);
    const account = await accountOf(input.email);
    assert.ok(account?.lockedUntil && new Date(account.lockedUntil) > new Date());

    // When the lock has run out, the right password works again.
    await db.updateTable('account').set({ lockedUntil: sql`now() - interval '1 second'` }).where('id', '=', account!.id).execute();
    await loginCitizen(t.app, input.email, input.password);
  });

  test('a successful login resets the failure count', async () => {
    const input = citizen();
    await registerVerifiedCitizen(t, input);
    const client = new WebClient(t.app);
    for (let i = 0; i < 4; i++) await client.postForm('/dang-nhap', { email: input.email, password: 'sai mật khẩu rồi' });
    await loginCitizen(t.app, input.email, input.password, client);
    for (let i = 0; i < 4; i++) await client.postForm('/dang-nhap', { email: input.email, password: 'sai mật khẩu rồi' });
    assert.equal((await client.postForm('/dang-nhap', { email: input.email, password: input.password })).statusCode, 303);
  });

  test('an admin of the officer’s commune unlocks a locked officer', async () => {
    const admin = await createOfficer(db, { email: 'qt.lock@mytho.example.vn', roles: [{ role: 'agency_admin', agencyCode: '000.00.51.H20' }] });
    const officer = await createOfficer(db, { email: 'tn.lock@mytho.example.vn', roles: [{ role: 'reception', agencyCode: '000.00.51.H20' }] });
    const client = new WebClient(t.app);
    for (let i = 0; i < 5; i++) await client.postForm('/dang-nhap', { email: officer.email, password: 'sai mật khẩu cán bộ' });
    assertErrorPage(await client.postForm('/dang-nhap', { email: officer.email, password: officer.password }), 401, 'Tài khoản tạm khóa');

    const { client: adminClient } = await loginOfficer(t.app, db, admin);
    const page = await adminClient.get(`/quan-tri/can-bo/${officer.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /Đang bị khóa/);
    const unlocked = await adminClient.postForm(`/quan-tri/can-bo/${officer.id}/mo-khoa`);
    assert.equal(unlocked.statusCode, 303);
    assert.equal(unlocked.headers.location, `/quan-tri/can-bo/${officer.id}`);
    assert.doesNotMatch(pageText((await adminClient.get(`/quan-tri/can-bo/${officer.id}`)).body), /Đang bị khóa/);
    const audit = await db.selectFrom('auditLog').select(['actorId']).where('action', '=', 'account.unlock').where('objectId', '=', String(officer.id)).executeTakeFirst();
    assert.equal(audit?.actorId, String(admin.id));

    const login = await new WebClient(t.app).postForm('/dang-nhap', { email: officer.email, password: officer.password });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/dang-nhap/thiet-lap-xac-thuc');
  });
});

describe('CSRF', () => {
  test('a form without the token, with a wrong one, or without the cookie is refused with 403 and stores nothing', async () => {
    const input = citizen();
    const before = await countRows(db, 'account');
    const client = new WebClient(t.app);
    await client.ensureCsrf();
    const missing = await client.postForm('/dang-ky', input, { csrf: false });
    assert.equal(missing.statusCode, 403);
    assert.match(pageTitle(missing.body), /^Lỗi: /);
    assert.equal((await client.postForm('/dang-ky', input, { csrf: 'A'.repeat(32) })).statusCode, 403);
    const cookieless = new WebClient(t.app);
    assert.equal((await cookieless.postForm('/dang-ky', input, { csrf: client.csrf! })).statusCode, 403, 'a token without its cookie');
    assert.equal(await countRows(db, 'account'), before);
    assert.equal(await accountOf(input.email), undefined);
  });

  test('logging in and out need the token too', async () => {
    const input = citizen();
    await registerVerifiedCitizen(t, input);
    const client = new WebClient(t.app);
    assert.equal((await client.postForm('/dang-nhap', { email: input.email, password: input.password }, { csrf: false })).statusCode, 403);
    assert.equal(client.session, undefined);
    await loginCitizen(t.app, input.email, input.password, client);
    assert.equal((await client.postForm('/dang-xuat', {}, { csrf: false })).statusCode, 403);
    assert.equal((await client.get('/tai-khoan')).statusCode, 200, 'still signed in');
  });
});

describe('sessions', () => {
  let input: ReturnType<typeof citizen>;
  before(async () => {
    input = citizen();
    await registerVerifiedCitizen(t, input);
  });

  test('the session cookie is HttpOnly and SameSite=Lax; only its hash is stored', async () => {
    const client = new WebClient(t.app);
    const r = await client.postForm('/dang-nhap', { email: input.email, password: input.password });
    const cookie = r.cookies.find((c) => c.name === 'mc_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    assert.equal(await db.selectFrom('session').select('id').where('id', '=', cookie.value).executeTakeFirst(), undefined, 'the raw token is not a row id');
  });

  test('logout ends the session: the old cookie no longer works', async () => {
    const client = await loginCitizen(t.app, input.email, input.password);
    const old = client.session!;
    const out = await client.postForm('/dang-xuat');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/');
    assert.equal(client.session, undefined, 'the cookie is cleared');
    const replay = new WebClient(t.app);
    replay.cookies.set('mc_session', old);
    const r = await replay.get('/tai-khoan');
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/dang-nhap');
    assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { cookie: `mc_session=${old}` } })).statusCode, 401);
  });

  test('an idle session ends after SESSION_IDLE_MINUTES; an old one after SESSION_ABSOLUTE_HOURS', async () => {
    const idle = await loginCitizen(t.app, input.email, input.password);
    const account = await accountOf(input.email);
    assert.equal((await idle.get('/tai-khoan')).statusCode, 200);
    await db.updateTable('session').set({ lastSeenAt: sql`now() - make_interval(mins => ${t.config.sessionIdleMinutes + 1})` }).where('accountId', '=', account!.id).execute();
    const r = await idle.get('/tai-khoan');
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/dang-nhap');

    const old = await loginCitizen(t.app, input.email, input.password);
    assert.equal((await old.get('/tai-khoan')).statusCode, 200);
    await db.updateTable('session').set({ expiresAt: sql`now() - interval '1 second'` }).where('accountId', '=', account!.id).execute();
    assert.equal((await old.get('/tai-khoan')).statusCode, 303);

    // Still active a little under the idle limit.
    const active = await loginCitizen(t.app, input.email, input.password);
    await db.updateTable('session').set({ lastSeenAt: sql`now() - make_interval(mins => ${t.config.sessionIdleMinutes - 1})` }).where('accountId', '=', account!.id).execute();
    assert.equal((await active.get('/tai-khoan')).statusCode, 200);
  });

  test('every login gets a new session id, whatever cookie the browser came with', async () => {
    const client = new WebClient(t.app);
    // A session id planted by someone else (session fixation) is not adopted.
    client.cookies.set('mc_session', 'planted-by-an-attacker-0123456789abcdef');
    await loginCitizen(t.app, input.email, input.password, client);
    const first = client.session!;
    assert.notEqual(first, 'planted-by-an-attacker-0123456789abcdef');
    await loginCitizen(t.app, input.email, input.password, client);
    const second = client.session!;
    assert.notEqual(second, first);
    assert.equal((await client.get('/tai-khoan')).statusCode, 200);
  });

  test('passing TOTP gives an officer a new session id; the pre-TOTP id stops working', async () => {
    const officer = await createOfficer(db, { email: 'session.rotate@mytho.example.vn', roles: [{ role: 'specialist', agencyCode: '000.00.51.H20' }] });
    const { secret } = await loginOfficer(t.app, db, officer); // enrols
    const client = new WebClient(t.app);
    const login = await client.postForm('/dang-nhap', { email: officer.email, password: officer.password });
    assert.equal(login.headers.location, '/dang-nhap/xac-thuc');
    const beforeTotp = client.session!;
    assert.equal((await client.get('/quan-tri')).headers.location, '/dang-nhap/xac-thuc', 'no back office before the second step');
    const passed = await client.postForm('/dang-nhap/xac-thuc', { code: await freshTotpCode(db, officer.id, secret) });
    assert.equal(passed.statusCode, 303);
    assert.equal(passed.headers.location, '/quan-tri');
    assert.ok(client.session);
    assert.notEqual(client.session, beforeTotp);
    const stale = await t.app.inject({ url: '/quan-tri', headers: { cookie: `mc_session=${beforeTotp}` } });
    assert.equal(stale.statusCode, 303);
    assert.equal(stale.headers.location, '/dang-nhap');
    assert.equal((await client.get('/quan-tri')).statusCode, 200);
  });
});
