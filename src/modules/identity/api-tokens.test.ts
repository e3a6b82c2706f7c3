// API tokens for machine clients: created by a province admin and shown once, used as a bearer
// token (each use audited), refused once revoked, expired or unknown; only their hash is stored.
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { DB } from '../../db/schema.js';
import { verifyAuditChain } from '../../platform/audit/audit.js';
import { hashToken } from '../../platform/security/secrets.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { api, signedInCitizen } from '../../../test/helpers/dossier.js';
import { countRows, createOfficer, decodeHtml, loginOfficer, pageText, pageTitle, type LoggedInOfficer } from '../../../test/helpers/identity.js';

let t: TestApp;
let db: Kysely<DB>;
let province: LoggedInOfficer;
let provinceId: number;

before(async () => {
  t = await createTestApp();
  db = t.database.db;
  const admin = await createOfficer(db, { email: 'quantri.token@dongthap.example.vn', roles: [{ role: 'province_admin', agencyCode: '000.00.00.H20' }] });
  provinceId = admin.id;
  province = await loginOfficer(t.app, db, admin);
});
after(() => t.close());

function tokenOnPage(html: string): string | undefined {
  const raw = /<code data-api-token[^>]*>([^<]+)<\/code>/.exec(html)?.[1];
  return raw === undefined ? undefined : decodeHtml(raw);
}

async function createToken(fields: Record<string, string>): Promise<{ token: string; id: number }> {
  const r = await province.client.postForm('/quan-tri/token', fields);
  assert.equal(r.statusCode, 201, pageText(r.body).slice(0, 300));
  const token = tokenOnPage(r.body);
  assert.ok(token, 'the new token is on the page');
  const row = await db.selectFrom('apiToken').select('id').where('tokenHash', '=', hashToken(token)).executeTakeFirstOrThrow();
  return { token, id: row.id };
}

const me = (token: string) => t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

function assertUnauthenticated(response: Awaited<ReturnType<typeof me>>): void {
  assert.equal(response.statusCode, 401);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = response.json();
  assert.equal(body.title, 'unauthenticated');
  assert.equal(body.status, 401);
  assert.equal(body.instance, '/api/v1/me');
}

describe('API tokens', () => {
  test('a province admin creates a token, shown once; it works as a bearer token and each use is audited', async () => {
    const page = await province.client.get('/quan-tri/token');
    assert.equal(page.statusCode, 200);
    const { token, id } = await createToken({ name: 'Cổng Dịch vụ công quốc gia', scope: 'dossier:read', expiresInDays: '90' });
    assert.match(token, /^mc_[A-Za-z0-9_-]{40,}$/);

    const row = await db.selectFrom('apiToken').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row.scopes, ['dossier:read']);
    assert.equal(row.createdBy, provinceId);
    assert.equal(row.tokenHash, hashToken(token));
    assert.equal(row.prefix, token.slice(0, 10));
    const days = (new Date(row.expiresAt).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 89.9 && days <= 90, `expires in ${days} days`);

    // Shown once: the list shows the prefix only.
    const list = await province.client.get('/quan-tri/token');
    assert.ok(!list.body.includes(token));
    assert.ok(pageText(list.body).includes(`${token.slice(0, 10)}…`));

    const before = (await db.selectFrom('auditLog').select('id').where('action', '=', 'token.use').where('actorId', '=', String(id)).execute()).length;
    const r = await me(token);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { kind: 'api_token', id, name: `token ${id}`, roles: [], scopes: ['dossier:read'] });
    const entries = await db.selectFrom('auditLog').select(['actorType', 'objectType', 'objectId', 'ip']).where('action', '=', 'token.use').where('actorId', '=', String(id)).execute();
    assert.equal(entries.length, before + 1);
    assert.deepEqual(entries.at(-1), { actorType: 'api_token', objectType: 'api_token', objectId: String(id), ip: '127.0.0.1' });
    const used = await db.selectFrom('apiToken').select('lastUsedAt').where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(used.lastUsedAt);
    // The scheme name is case-insensitive (RFC 7235).
    assert.equal((await t.app.inject({ url: '/api/v1/me', headers: { authorization: `bearer ${token}` } })).statusCode, 200);
    // Every use is audited; the token's "last used" is touched at most once a minute.
    assert.equal((await db.selectFrom('auditLog').select('id').where('action', '=', 'token.use').where('actorId', '=', String(id)).execute()).length, before + 2);
    const again = await db.selectFrom('apiToken').select('lastUsedAt').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(new Date(again.lastUsedAt!).getTime(), new Date(used.lastUsedAt!).getTime());

    // Twelve uses at once: each recorded once, and the chain stays one unbroken line.
    const burst = await Promise.all(Array.from({ length: 12 }, () => me(token)));
    assert.deepEqual(burst.map((b) => b.statusCode), Array(12).fill(200));
    assert.equal((await db.selectFrom('auditLog').select('id').where('action', '=', 'token.use').where('actorId', '=', String(id)).execute()).length, before + 14);
    assert.equal((await verifyAuditChain(db)).ok, true);
  });

  test('a token whose id this process remembers from another database still works in each (the remembered id is only a shortcut)', async () => {
    const { token, id } = await createToken({ name: 'Hai cơ sở dữ liệu', scope: 'catalog:read', expiresInDays: '30' });
    assert.equal((await me(token)).json().id, id);
    const other = await createTestApp();
    try {
      const values = (hash: string) => ({ name: 'x', tokenHash: hash, prefix: 'mc_x', scopes: ['catalog:read'], agencyId: null, accountId: null, createdBy: null, expiresAt: new Date(Date.now() + 86_400_000), revokedAt: null, lastUsedAt: null });
      // Other rows first, so that the same token has another id there.
      for (let i = 0; i <= id; i++) await other.database.db.insertInto('apiToken').values(values(hashToken(`mc_other_${i}`))).execute();
      const { id: otherId } = await other.database.db.insertInto('apiToken').values(values(hashToken(token))).returning('id').executeTakeFirstOrThrow();
      assert.notEqual(otherId, id);
      const there = await other.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal(there.statusCode, 200);
      assert.equal(there.json().id, otherId);
      const recorded = await other.database.db.selectFrom('auditLog').select('actorId').where('action', '=', 'token.use').execute();
      assert.deepEqual(recorded, [{ actorId: String(otherId) }]);
      assert.equal((await me(token)).json().id, id, 'and here again');
    } finally {
      await other.close();
    }
  });

  test('only the hash is stored: the raw token is in no column of api_token', async () => {
    const { token } = await createToken({ name: 'Hệ thống một cửa huyện', scope: 'catalog:read', expiresInDays: '30' });
    const { rows } = await sql<Record<string, unknown>>`select * from api_token`.execute(db);
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.ok(!JSON.stringify(row).includes(token.slice(3)), 'no column holds the token');
    const { rows: audit } = await sql<{ details: unknown }>`select details from audit_log`.execute(db);
    assert.ok(!JSON.stringify(audit).includes(token.slice(3)), 'nor does the audit log');
  });

  test('a revoked, an expired and an unknown token are refused with 401 problem+json', async () => {
    const revoked = await createToken({ name: 'Sẽ thu hồi', scope: 'catalog:read', expiresInDays: '10' });
    assert.equal((await me(revoked.token)).statusCode, 200);
    const r = await province.client.postForm(`/quan-tri/token/${revoked.id}/thu-hoi`);
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/quan-tri/token');
    assertUnauthenticated(await me(revoked.token));
    assert.match(pageText((await province.client.get('/quan-tri/token')).body), /Sẽ thu hồi.*Đã thu hồi/);
    assert.equal((await province.client.postForm(`/quan-tri/token/${revoked.id}/thu-hoi`)).statusCode, 404, 'revoking twice');

    // Each was used once before it stopped working (so the process knows its id): a refused use
    // is not a use, and leaves no entry.
    const expired = await createToken({ name: 'Sẽ hết hạn', scope: 'catalog:read', expiresInDays: '1' });
    assert.equal((await me(expired.token)).statusCode, 200);
    await db.updateTable('apiToken').set({ expiresAt: sql`now() - interval '1 second'` }).where('id', '=', expired.id).execute();
    assertUnauthenticated(await me(expired.token));
    for (const id of [revoked.id, expired.id]) {
      const uses = await db.selectFrom('auditLog').select('id').where('action', '=', 'token.use').where('actorId', '=', String(id)).execute();
      assert.equal(uses.length, 1, `token ${id}: one use recorded, none for the refused ones`);
    }

    assertUnauthenticated(await me(`mc_${'A'.repeat(43)}`));
    assertUnauthenticated(await me('not-even-a-token'));
    assertUnauthenticated(await me(revoked.token.slice(0, -1)));
    assertUnauthenticated(await t.app.inject({ url: '/api/v1/me' }));
    const audit = await db.selectFrom('auditLog').select(['action']).where('action', '=', 'token.revoke').where('objectId', '=', String(revoked.id)).execute();
    assert.equal(audit.length, 1);
  });

  test('wrong inputs are shown on the form and nothing is stored', async () => {
    const before = await countRows(db, 'apiToken');
    const cases: [Record<string, string>, string][] = [
      [{ name: 'ab', scope: 'catalog:read', expiresInDays: '30' }, 'Nhập tên từ 3 đến 100 ký tự'],
      [{ name: 'Phạm vi lạ', scope: 'dossier:write', expiresInDays: '30' }, 'Chọn ít nhất một phạm vi hợp lệ'],
      [{ name: 'Không phạm vi', expiresInDays: '30' }, 'Chọn ít nhất một phạm vi hợp lệ'],
      [{ name: 'Quá hạn', scope: 'catalog:read', expiresInDays: '0' }, 'Thời hạn phải từ 1 đến 366 ngày'],
      [{ name: 'Quá hạn', scope: 'catalog:read', expiresInDays: '367' }, 'Thời hạn phải từ 1 đến 366 ngày'],
      [{ name: 'Quá hạn', scope: 'catalog:read', expiresInDays: 'mãi' }, 'Thời hạn phải từ 1 đến 366 ngày'],
    ];
    for (const [fields, message] of cases) {
      const r = await province.client.postForm('/quan-tri/token', fields);
      assert.equal(r.statusCode, 400, JSON.stringify(fields));
      assert.match(pageTitle(r.body), /^Lỗi: /);
      assert.ok(pageText(r.body).includes(message), message);
      assert.equal(tokenOnPage(r.body), undefined);
    }
    assert.equal(await countRows(db, 'apiToken'), before);
  });

  test('an agency admin cannot see or make tokens, nor can a token manage tokens', async () => {
    const agencyAdmin = await createOfficer(db, { email: 'qt.xa.token@mytho.example.vn', roles: [{ role: 'agency_admin', agencyCode: '000.00.51.H20' }] });
    const { client } = await loginOfficer(t.app, db, agencyAdmin);
    const before = await countRows(db, 'apiToken');
    assert.equal((await client.get('/quan-tri/token')).statusCode, 404);
    assert.equal((await client.postForm('/quan-tri/token', { name: 'Tự cấp', scope: 'dossier:read', expiresInDays: '30' })).statusCode, 404);
    const { token, id } = await createToken({ name: 'Khóa thử quyền', scope: 'dossier:read', expiresInDays: '30' });
    assert.equal((await client.postForm(`/quan-tri/token/${id}/thu-hoi`)).statusCode, 404);

    // A bearer token carries no CSRF cookie and needs none, but it holds no back-office permission.
    const asToken = (method: 'GET' | 'POST', url: string, payload?: string) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) }, ...(payload ? { payload } : {}) });
    assert.equal((await asToken('GET', '/quan-tri/token')).statusCode, 404);
    assert.equal((await asToken('POST', '/quan-tri/token', 'name=Token+tu+cap&scope=dossier%3Aread&expiresInDays=30')).statusCode, 404);
    assert.equal((await asToken('POST', `/quan-tri/token/${id}/thu-hoi`, 'x=1')).statusCode, 404);
    assert.equal((await asToken('GET', '/quan-tri/can-bo')).statusCode, 404);
    assert.equal(await countRows(db, 'apiToken'), before + 1);
    assert.equal((await me(token)).statusCode, 200, 'still valid');
  });
});

describe('personal API tokens', () => {
  test('a citizen makes a token for the dossier API, sees it once, uses it on their own dossiers only, and revokes it', async () => {
    const owner = await signedInCitizen(t);
    const other = await signedInCitizen(t);
    let r = await owner.client.postForm('/tai-khoan/ma-api', { name: 'x', expiresInDays: '30' });
    assert.equal(r.statusCode, 400);
    assert.match(pageTitle(r.body), /^Lỗi: /);
    assert.equal(tokenOnPage(r.body), undefined);
    r = await owner.client.postForm('/tai-khoan/ma-api', { name: 'Phần mềm kế toán', expiresInDays: '30' });
    assert.equal(r.statusCode, 201);
    const token = tokenOnPage(r.body)!;
    assert.match(token, /^mc_/);
    assert.equal(tokenOnPage((await owner.client.get('/tai-khoan/ma-api')).body), undefined, 'shown once');
    const row = await db.selectFrom('apiToken').select(['id', 'scopes', 'accountId']).where('tokenHash', '=', hashToken(token)).executeTakeFirstOrThrow();
    assert.deepEqual([row.scopes, row.accountId], [['dossier:write'], owner.accountId]);
    const bearer = { authorization: `Bearer ${token}` };
    r = await api(t.app, undefined, 'POST', '/api/v1/dossiers', { procedureCode: '1.001193', agencyCode: '000.00.51.H20' }, bearer);
    assert.equal(r.statusCode, 201);
    const othersDraft = (await api(t.app, other.client, 'POST', '/api/v1/dossiers', { procedureCode: '1.001193', agencyCode: '000.00.51.H20' })).json().id as string;
    assert.equal((await api(t.app, undefined, 'GET', `/api/v1/dossiers/${othersDraft}`, undefined, bearer)).statusCode, 404);
    assert.equal((await api(t.app, undefined, 'GET', '/quan-tri', undefined, bearer)).statusCode, 404, 'no back office with it');
    // Another citizen cannot revoke it; the owner can, and it stops working.
    assert.equal((await other.client.postForm(`/tai-khoan/ma-api/${row.id}/thu-hoi`)).statusCode, 404);
    assert.equal((await owner.client.postForm(`/tai-khoan/ma-api/${row.id}/thu-hoi`)).statusCode, 303);
    assert.equal((await api(t.app, undefined, 'GET', '/api/v1/dossiers', undefined, bearer)).statusCode, 401);
  });
});
