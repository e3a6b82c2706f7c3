// The online submission API end to end, on PGlite and on PostgreSQL: drafts, uploads checked by
// content, idempotent submission with its code, events, notifications and audit, tracking, the
// acknowledgement PDF, and every error a person can cause with nothing half-stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { api, birthRegistrationData, signedInCitizen, uploadAttachment } from '../../../test/helpers/dossier.js';
import { sampleExe, samplePdf, samplePng } from '../../../test/helpers/files.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import { hashToken, randomToken } from '../../platform/security/secrets.js';

const AGENCY = '000.00.51.H20';
const PROCEDURE = '1.001193';
const CODE = /^000\.00\.51\.H20-\d{6}-\d{4}$/;

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
});
after(() => t?.close());

async function count(table: 'dossier' | 'dossierAttachment' | 'storedFile' | 'dossierEvent' | 'repositoryItem' | 'dossierSerial', where?: [string, string]) {
  let q = t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function newDraft(client: Awaited<ReturnType<typeof signedInCitizen>>['client'], data = birthRegistrationData()) {
  const r = await api(t.app, client, 'POST', '/api/v1/dossiers', { procedureCode: PROCEDURE, data, agencyCode: AGENCY });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id as string;
}

describe('online submission through the API', () => {
  test('draft → upload → submit → track: one code, the status-1 event, notifications, audit, and a receipt PDF', async () => {
    const me = await signedInCitizen(t, { phone: '0987654321' });
    // Created with only the procedure: the profile pre-fills the applicant's fields.
    let r = await api(t.app, me.client, 'POST', '/api/v1/dossiers', { procedureCode: PROCEDURE, agencyCode: AGENCY });
    assert.equal(r.statusCode, 201);
    assert.deepEqual(Object.keys(r.json()).sort(), ['id', 'status']);
    assert.equal(r.json().status, 'draft');
    const id = r.json().id as string;
    r = await api(t.app, me.client, 'GET', `/api/v1/dossiers/${id}`);
    assert.equal(r.json().data.applicantIdNumber, me.idNumber, 'pre-filled from the profile');
    assert.equal(r.json().data.applicantPhone, '0987654321');
    // Save the answers, choosing SMS as well as email.
    r = await api(t.app, me.client, 'PUT', `/api/v1/dossiers/${id}`, { data: birthRegistrationData({ applicantPhone: '0987654321', applicantEmail: me.email }), notify: { email: true, sms: true } });
    assert.equal(r.statusCode, 200, r.body);
    const slot = (r.json().slots as { index: number; required: boolean }[]).find((s) => s.required)!.index;

    r = await uploadAttachment(t.app, me.client, id, slot, '../../etc/Giấy chứng sinh.pdf', samplePdf('giay chung sinh'));
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().fileName, 'Giấy chứng sinh.pdf', 'the path part is dropped');
    assert.equal(r.json().mediaType, 'application/pdf');

    const serialsBefore = await count('dossierSerial');
    r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': 'first-try' });
    assert.equal(r.statusCode, 201, r.body);
    const submitted = r.json();
    assert.match(submitted.code, CODE);
    assert.equal(submitted.status, 'new');
    // A double click, a retry with the same key, or another key: the same dossier comes back.
    for (const key of ['first-try', 'another-key']) {
      const again = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': key });
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().code, submitted.code);
      assert.equal(again.headers['idempotent-replayed'], 'true');
    }
    assert.equal(await count('dossierEvent', ['dossierId', id]), 1, 'one status-1 event');
    const event = await t.database.db.selectFrom('dossierEvent').selectAll().where('dossierId', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([event.fromStatus, event.toStatus, event.action, event.idempotencyKey], ['draft', 'new', 'submit', 'first-try']);
    const row = await t.database.db.selectFrom('dossier').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.channel, 2);
    assert.deepEqual(row.ruleVersions, { procedureVersion: 1, onlineLevel: '2022/full', dossierCodeRule: 'TT01-2018', calendar: 'working-days' });
    const jobs = await t.database.db.selectFrom('outboxJob').select(['type', 'payload']).execute();
    assert.ok(jobs.some((j) => j.type === 'notify.email' && JSON.stringify(j.payload).includes(submitted.code)), 'an email is queued');
    assert.ok(jobs.some((j) => j.type === 'notify.sms' && (j.payload as { to: string }).to === '0987654321'), 'an SMS is queued, as chosen');
    const audit = await t.database.db.selectFrom('auditLog').select('action').where('objectId', '=', id).execute();
    assert.ok(audit.some((a) => a.action === 'dossier.submit'));
    assert.equal(await count('dossierSerial'), serialsBefore + 1);

    // My dossiers.
    r = await api(t.app, me.client, 'GET', '/api/v1/dossiers');
    assert.equal(r.json().items[0].code, submitted.code);
    assert.equal(r.json().items[0].statusText, 'Đã nộp, chờ tiếp nhận');

    // Tracking: anyone sees the status; personal data only with a matching phone or CCCD.
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/track/${submitted.code}`, remoteAddress: '10.9.0.1' });
    assert.equal(anonymous.statusCode, 200);
    assert.equal(anonymous.json().statusText, 'Đã nộp, chờ tiếp nhận');
    assert.equal(anonymous.json().events.length, 1);
    assert.equal(anonymous.json().applicant, undefined);
    // The procedure version's and the agency's names, and the agency that acted on each event.
    assert.equal(anonymous.json().procedure.code, '1.001193');
    assert.match(anonymous.json().procedure.name, /khai sinh/i);
    assert.equal(anonymous.json().agency.code, '000.00.51.H20');
    assert.match(anonymous.json().agency.name, /Mỹ Tho/);
    assert.equal(anonymous.json().events[0].agency, anonymous.json().agency.name);
    const proved = await t.app.inject({ method: 'GET', url: `/api/v1/track/${submitted.code}?phone=0987654321`, remoteAddress: '10.9.0.2' });
    assert.equal(proved.json().applicant.name, 'Nguyễn Thị Hồng Nhung');
    const wrong = await t.app.inject({ method: 'GET', url: `/api/v1/track/${submitted.code}?phone=0900000000`, remoteAddress: '10.9.0.3' });
    assert.equal(wrong.json().applicant, undefined);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/track/000.00.51.H20-000101-9999', remoteAddress: '10.9.0.4' });
    assert.equal(unknown.statusCode, 404);

    // The acknowledgement PDF: the code and the name with its diacritics, and the tracking address.
    const pdf = await me.client.get(`/ho-so/${id}/xac-nhan.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const stdout = await pdfText(pdf.rawPayload);
    assert.ok(stdout.includes(submitted.code), 'the code is in the PDF');
    assert.ok(stdout.includes('Nguyễn Thị Hồng Nhung'), 'the name keeps its diacritics');
    assert.ok(stdout.includes(`http://localhost:3000/tra-cuu/${submitted.code}`), 'the QR’s address is printed under it');
  });

  test('invalid answers: 422 with a Vietnamese message per field; the dossier stays a draft and takes no serial', async () => {
    const me = await signedInCitizen(t);
    const id = await newDraft(me.client, birthRegistrationData({ applicantIdNumber: '12345', childDateOfBirth: '2026-02-31', childSex: 'khác' }));
    await uploadAttachment(t.app, me.client, id, 1, 'a.pdf', samplePdf());
    const serials = await count('dossierSerial');
    const r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': 'k-invalid' });
    assert.equal(r.statusCode, 422);
    assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
    const names = (r.json().errors as { name: string; message: string }[]).map((e) => e.name);
    for (const name of ['applicantIdNumber', 'childSex']) assert.ok(names.some((n) => n === name), `${name} is named: ${names.join(', ')}`);
    assert.ok(names.some((n) => n.startsWith('childDateOfBirth')), 'the impossible date is named');
    const idMessage = (r.json().errors as { name: string; message: string }[]).find((e) => e.name === 'applicantIdNumber')!.message;
    assert.match(idMessage, /12 chữ số/);
    const row = await t.database.db.selectFrom('dossier').select(['status', 'code']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'draft', code: null });
    assert.equal(await count('dossierEvent', ['dossierId', id]), 0);
    assert.equal(await count('dossierSerial'), serials);
  });

  test('a missing required document and a missing Idempotency-Key are refused with their reason', async () => {
    const me = await signedInCitizen(t);
    const id = await newDraft(me.client);
    let r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': 'k-nofile' });
    assert.equal(r.statusCode, 422);
    assert.ok((r.json().errors as { name: string; message: string }[]).some((e) => e.name === 'slot.1' && e.message.startsWith('Tải lên: Bản chính Giấy chứng sinh')));
    r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`);
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().errors[0].name, 'Idempotency-Key');
    assert.equal((await t.database.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'draft');
  });

  test('uploads are checked by content and size; identical files are stored once; a refused file leaves nothing', async () => {
    const me = await signedInCitizen(t);
    const id = await newDraft(me.client);
    const files = await count('storedFile');
    const attachments = await count('dossierAttachment');
    let r = await uploadAttachment(t.app, me.client, id, 1, 'giay-to.pdf', sampleExe());
    assert.equal(r.statusCode, 415);
    assert.match(r.json().detail, /không đúng định dạng/);
    r = await uploadAttachment(t.app, me.client, id, 1, 'big.pdf', Buffer.concat([samplePdf(), Buffer.alloc(1024 * 1024 + 10, 32)]));
    assert.equal(r.statusCode, 413);
    assert.match(r.json().detail, /1 MB/);
    r = await uploadAttachment(t.app, me.client, id, 42, 'a.pdf', samplePdf());
    assert.equal(r.statusCode, 400, 'a slot the procedure does not have');
    assert.equal(await count('storedFile'), files);
    assert.equal(await count('dossierAttachment'), attachments);
    // The same picture twice, in two dossiers: one stored file.
    const png = samplePng([1, 2, 3]);
    assert.equal((await uploadAttachment(t.app, me.client, id, 1, 'anh.png', png)).statusCode, 201);
    const other = await newDraft(me.client);
    assert.equal((await uploadAttachment(t.app, me.client, other, 1, 'anh-lai.png', png)).statusCode, 201);
    assert.equal(await count('storedFile'), files + 1);
    // The e-repository offers it, and it can be reused in a third dossier without uploading.
    r = await api(t.app, me.client, 'GET', '/api/v1/repository');
    const item = (r.json().items as { id: string; fileName: string }[]).find((i) => i.fileName === 'anh.png')!;
    const third = await newDraft(me.client);
    r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${third}/attachments/from-repository`, { slot: 1, itemId: item.id });
    assert.equal(r.statusCode, 201, r.body);
    r = await api(t.app, me.client, 'GET', `/api/v1/dossiers/${third}`);
    assert.equal(r.json().attachments[0].fileName, 'anh.png');
  });

  test('another person’s dossier answers 404 to every use, and nothing changes', async () => {
    const owner = await signedInCitizen(t);
    const stranger = await signedInCitizen(t);
    const id = await newDraft(owner.client);
    const before = await t.database.db.selectFrom('dossier').select(['version', 'data']).where('id', '=', id).executeTakeFirstOrThrow();
    for (const [method, url, body, headers] of [
      ['GET', `/api/v1/dossiers/${id}`, undefined, {}],
      ['PUT', `/api/v1/dossiers/${id}`, { data: {} }, {}],
      ['POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': 'steal' }],
      ['POST', `/api/v1/dossiers/${id}/withdraw`, { reason: 'không phải của tôi' }, {}],
    ] as const) {
      const r = await api(t.app, stranger.client, method, url, body, headers);
      assert.equal(r.statusCode, 404, `${method} ${url}`);
    }
    assert.equal((await uploadAttachment(t.app, stranger.client, id, 1, 'x.pdf', samplePdf())).statusCode, 404);
    assert.equal((await stranger.client.get(`/ho-so/${id}`)).statusCode, 404);
    const afterwards = await t.database.db.selectFrom('dossier').select(['version', 'data']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(afterwards, before);
    assert.equal(await count('dossierAttachment', ['dossierId', id]), 0);
  });

  test('a procedure that is not open online is refused, for a new draft and at submission', async () => {
    const me = await signedInCitizen(t);
    const id = await newDraft(me.client);
    await uploadAttachment(t.app, me.client, id, 1, 'a.pdf', samplePdf());
    const dossiers = await count('dossier');
    await t.database.db.updateTable('onlineLevelRule').set({ acceptsOnline: false }).where('scheme', '=', '2022').where('level', '=', 'full').execute();
    try {
      let r = await api(t.app, me.client, 'POST', '/api/v1/dossiers', { procedureCode: PROCEDURE, agencyCode: AGENCY });
      assert.equal(r.statusCode, 422);
      assert.match(r.json().detail, /chưa được cung cấp trực tuyến/);
      assert.equal(await count('dossier'), dossiers);
      r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': 'k-off' });
      assert.equal(r.statusCode, 422);
      assert.equal((await t.database.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'draft');
    } finally {
      await t.database.db.updateTable('onlineLevelRule').set({ acceptsOnline: true }).where('scheme', '=', '2022').where('level', '=', 'full').execute();
    }
  });

  test('withdrawal before acceptance (status 7), once; a draft cannot be edited after submission', async () => {
    const me = await signedInCitizen(t);
    const id = await newDraft(me.client);
    await uploadAttachment(t.app, me.client, id, 1, 'a.pdf', samplePdf());
    assert.equal((await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': 'w1' })).statusCode, 201);
    let r = await api(t.app, me.client, 'PUT', `/api/v1/dossiers/${id}`, { data: {} });
    assert.equal(r.statusCode, 409);
    assert.match(r.json().detail, /không thể sửa/);
    r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/withdraw`, { reason: '' });
    assert.equal(r.statusCode, 400);
    r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/withdraw`, { reason: 'Đã nộp nhầm thủ tục' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().status, 'withdrawn');
    assert.equal(r.json().events.at(-1).statusText, 'Đã rút hồ sơ');
    r = await api(t.app, me.client, 'POST', `/api/v1/dossiers/${id}/withdraw`, { reason: 'lần nữa' });
    assert.equal(r.statusCode, 409);
  });

  test('a personal API token acts for its account; a machine token cannot submit', async () => {
    const me = await signedInCitizen(t);
    const token = `mc_${randomToken(32)}`;
    await t.database.db
      .insertInto('apiToken')
      .values({ name: 'personal', tokenHash: hashToken(token), prefix: token.slice(0, 10), scopes: ['dossier:write'], agencyId: null, accountId: me.accountId, createdBy: null, expiresAt: new Date(Date.now() + 86_400_000), revokedAt: null, lastUsedAt: null })
      .execute();
    const bearer = { authorization: `Bearer ${token}` };
    let r = await api(t.app, undefined, 'POST', '/api/v1/dossiers', { procedureCode: PROCEDURE, agencyCode: AGENCY, data: birthRegistrationData() }, bearer);
    assert.equal(r.statusCode, 201, r.body);
    r = await api(t.app, undefined, 'GET', '/api/v1/dossiers', undefined, bearer);
    assert.equal(r.json().total, 1);
    const machine = `mc_${randomToken(32)}`;
    await t.database.db
      .insertInto('apiToken')
      .values({ name: 'machine', tokenHash: hashToken(machine), prefix: machine.slice(0, 10), scopes: ['dossier:read'], agencyId: null, createdBy: null, expiresAt: new Date(Date.now() + 86_400_000), revokedAt: null, lastUsedAt: null })
      .execute();
    r = await api(t.app, undefined, 'POST', '/api/v1/dossiers', { procedureCode: PROCEDURE }, { authorization: `Bearer ${machine}` });
    assert.equal(r.statusCode, 404);
  });
});

describe('tracking lookups are rate-limited per client address', () => {
  test('past the limit a client gets 429 with Retry-After; another address is still served', async () => {
    const limited = await createTestApp({ seed: false, env: { TRACK_LOOKUPS_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v1/track/000.00.51.H20-000101-0001', remoteAddress: '10.8.0.1' })).statusCode);
      assert.deepEqual(statuses, [404, 404, 404, 429]);
      const pages: number[] = [];
      for (let i = 0; i < 4; i += 1) pages.push((await limited.app.inject({ method: 'GET', url: '/tra-cuu/000.00.51.H20-000101-0001', remoteAddress: '10.8.0.1' })).statusCode);
      assert.deepEqual(pages, [404, 404, 404, 429], 'the tracking page is limited too');
      const refused = await limited.app.inject({ method: 'GET', url: '/api/v1/track/000.00.51.H20-000101-0001', remoteAddress: '10.8.0.1' });
      assert.ok(refused.headers['retry-after']);
      assert.equal(refused.json().status, 429);
      assert.equal((await limited.app.inject({ method: 'GET', url: '/api/v1/track/000.00.51.H20-000101-0001', remoteAddress: '10.8.0.2' })).statusCode, 404);
    } finally {
      await limited.close();
    }
  });
});
