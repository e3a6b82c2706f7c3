// The back office through the API, on PGlite and on PostgreSQL: the inbox, reception's three
// outcomes, assignment, processing along the steps, a pause and its resumption, approval, return
// of the result, the one apology, concurrent officers, and another agency's officer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { api, birthRegistrationData, signedInCitizen, uploadAttachment, validAnswers, submitOnline } from '../../../test/helpers/dossier.js';
import { samplePdf } from '../../../test/helpers/files.js';
import { createOfficer, loginOfficer, type WebClient } from '../../../test/helpers/identity.js';
import { loadWorkingDays } from '../calendar/calendar.service.js';
import { settleMs } from '../dossier/dossier-changes.js';

const A = '000.00.51.H20';
const B = '000.00.52.H20';

let t: TestApp;
let citizen: Awaited<ReturnType<typeof signedInCitizen>>;
const officers = {} as Record<'reception' | 'specialist' | 'leader' | 'foreign', { client: WebClient; id: number }>;

before(async () => {
  t = await createTestApp();
  citizen = await signedInCitizen(t);
  const specs = { reception: ['reception', A], specialist: ['specialist', A], leader: ['leader', A], foreign: ['reception', B] } as const;
  for (const [name, [role, agencyCode]] of Object.entries(specs)) {
    const officer = await createOfficer(t.database.db, { email: `${name}.wf@dongthap.example.vn`, roles: [{ role, agencyCode }] });
    officers[name as keyof typeof officers] = { client: (await loginOfficer(t.app, t.database.db, officer)).client, id: officer.id };
  }
});
after(() => t?.close());

/** A dossier submitted online by the citizen to commune A: a birth registration (same-day, no
 *  statutory days), or a procedure with working days, e.g. 1.004873 (3 days). */
async function submitted(procedureCode = '1.001193'): Promise<string> {
  const schema = (await t.database.db.selectFrom('procedure').select('formSchema').where('code', '=', procedureCode).where('status', '=', 'published').executeTakeFirstOrThrow()).formSchema;
  const data = procedureCode === '1.001193' ? birthRegistrationData({ applicantEmail: citizen.email }) : await validAnswers(schema);
  return (await submitOnline(t.app, citizen, { procedureCode, agencyCode: A, data })).code;
}

const act = (who: keyof typeof officers, code: string, action: string, body: Record<string, unknown> = {}) => api(t.app, officers[who].client, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, body);

describe('the back office through the API', () => {
  test('reception accepts, the leader assigns, the specialist processes and forwards, the leader approves, reception returns the result', async () => {
    const code = await submitted();
    let r = await api(t.app, officers.reception.client, 'GET', '/api/v1/inbox?tab=new');
    assert.equal(r.statusCode, 200);
    assert.ok((r.json().items as { code: string }[]).some((i) => i.code === code), 'in reception’s new tab');
    assert.ok(r.json().counts.new >= 1);

    r = await api(t.app, officers.reception.client, 'GET', `/api/v1/dossiers/${code}`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().allowed.sort(), ['accept', 'refuse', 'request_supplement']);
    assert.equal(r.json().applicant.name, 'Nguyễn Thị Hồng Nhung');

    // Not allowed in this state: 409 with what is.
    r = await act('reception', code, 'return_result', { delivery: 'online' });
    assert.equal(r.statusCode, 409);
    assert.match(r.json().detail, /accept/);

    r = await act('reception', code, 'accept');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'accepted');
    assert.equal(r.json().statusText, 'Đã tiếp nhận');
    assert.ok(r.json().allowed.includes('assign'));
    const mails = await t.database.db.selectFrom('outboxJob').select('payload').where('type', '=', 'notify.email').execute();
    assert.ok(mails.some((m) => JSON.stringify(m.payload).includes('Đã tiếp nhận') && JSON.stringify(m.payload).includes(code)), 'the citizen is told');

    r = await act('leader', code, 'assign', {});
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'assignee');
    r = await act('leader', code, 'assign', { assignee: officers.leader.id });
    assert.equal(r.statusCode, 422, 'only a specialist of the agency can be assigned');
    r = await act('leader', code, 'assign', { assignee: officers.specialist.id });
    assert.equal(r.json().status, 'processing');
    r = await api(t.app, officers.specialist.client, 'GET', '/api/v1/inbox?tab=mine');
    assert.ok((r.json().items as { code: string }[]).some((i) => i.code === code), 'in the specialist’s own tab');

    assert.equal((await act('specialist', code, 'process', { reason: 'Đã đối chiếu giấy chứng sinh' })).statusCode, 200);
    r = await act('specialist', code, 'forward');
    assert.equal(r.json().step, 'approval');
    r = await api(t.app, officers.leader.client, 'GET', '/api/v1/inbox?tab=approve');
    assert.ok((r.json().items as { code: string }[]).some((i) => i.code === code), 'in the leader’s approval tab');
    r = await act('leader', code, 'approve');
    assert.equal(r.json().status, 'done');
    r = await act('reception', code, 'return_result', {});
    assert.equal(r.statusCode, 422);
    r = await act('reception', code, 'return_result', { delivery: 'online' });
    assert.equal(r.json().status, 'returned');

    // The citizen rates the handling (Decision 766): every criterion, once.
    const id = (await t.database.db.selectFrom('dossier').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    assert.ok((await citizen.client.get(`/ho-so/${id}`)).body.includes('Đánh giá mức độ hài lòng'));
    let rated = await citizen.client.postForm(`/ho-so/${id}/danh-gia`, { 'rating.guidance': '2', 'rating.attitude': '2' });
    assert.equal(rated.statusCode, 422);
    assert.ok(rated.body.includes('Chọn mức độ hài lòng: Thời gian giải quyết so với giấy hẹn'));
    assert.equal(await t.database.db.selectFrom('dossierRating').select('dossierId').where('dossierId', '=', id).executeTakeFirst(), undefined, 'nothing stored');
    rated = await citizen.client.postForm(`/ho-so/${id}/danh-gia`, { 'rating.guidance': '2', 'rating.attitude': '2', 'rating.timeliness': '0', 'rating.result': '2', comment: 'Chờ hơi lâu' });
    assert.equal(rated.statusCode, 303);
    const stored = await t.database.db.selectFrom('dossierRating').selectAll().where('dossierId', '=', id).executeTakeFirstOrThrow();
    assert.equal(stored.dissatisfied, true);
    assert.equal(stored.criteriaVersion, 'QD766-2022');
    assert.equal((await citizen.client.postForm(`/ho-so/${id}/danh-gia`, { 'rating.guidance': '2', 'rating.attitude': '2', 'rating.timeliness': '2', 'rating.result': '2' })).statusCode, 409);

    const track = await t.app.inject({ url: `/api/v1/track/${code}`, remoteAddress: '10.7.0.1' });
    assert.equal(track.json().statusCode, 10);
    assert.deepEqual(
      (track.json().events as { status: string }[]).map((e) => e.status),
      ['new', 'accepted', 'processing', 'processing', 'processing', 'done', 'returned'],
    );
    // The timeline says what each event did, so the three in processing read apart.
    const said = (track.json().events as { actionText: string }[]).map((e) => e.actionText);
    assert.equal(said[0], 'Nộp hồ sơ trực tuyến');
    assert.equal(new Set(said).size, said.length, said.join(' | '));
    const trackPage = await t.app.inject({ url: `/tra-cuu/${code}`, remoteAddress: '10.7.0.1' });
    assert.ok(trackPage.body.includes('Giao cán bộ xử lý') && trackPage.body.includes('Trạng thái: Đang xử lý'), 'the page shows the action and the status it left');
    const audit = await t.database.db.selectFrom('auditLog').select('action').where('objectType', '=', 'dossier').execute();
    for (const action of ['dossier.accept', 'dossier.assign', 'dossier.forward', 'dossier.approve', 'dossier.return_result']) assert.ok(audit.some((a) => a.action === action), action);
  });

  test('reception asks for more (items required) or refuses (reason required); the pause stops the clock and resuming pushes the date', async () => {
    const asked = await submitted();
    let r = await act('reception', asked, 'request_supplement', { items: [] });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'items');
    r = await act('reception', asked, 'request_supplement', { items: [{ item: 'Giấy chứng sinh', reason: 'Bản chụp mờ, không đọc được số' }] });
    assert.equal(r.json().status, 'supplementation');
    assert.equal(r.json().statusText, 'Cần bổ sung hồ sơ');

    // The citizen sees the request beside the form, replaces the scan and resubmits: back to 1.
    const draftId = (await t.database.db.selectFrom('dossier').select('id').where('code', '=', asked).executeTakeFirstOrThrow()).id;
    let mine = await api(t.app, citizen.client, 'GET', `/api/v1/dossiers/${draftId}`);
    assert.equal(mine.json().status, 'supplementation');
    const page = await citizen.client.get(`/ho-so/${draftId}`);
    assert.ok(page.body.includes('Bản chụp mờ, không đọc được số'), 'the request is shown to the citizen');
    assert.equal((await uploadAttachment(t.app, citizen.client, draftId, 1, 'giay-chung-sinh-ro.pdf', samplePdf('ro net'))).statusCode, 201);
    r = await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${draftId}/resubmit`, undefined, { 'idempotency-key': 'bo-sung-1' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'new');
    r = await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${draftId}/resubmit`, undefined, { 'idempotency-key': 'bo-sung-1' });
    assert.equal(r.statusCode, 200, 'a repeat changes nothing');
    r = await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${draftId}/resubmit`, undefined, { 'idempotency-key': 'bo-sung-2' });
    assert.equal(r.statusCode, 409);
    mine = await api(t.app, citizen.client, 'GET', `/api/v1/dossiers/${draftId}`);
    assert.deepEqual((mine.json().events as { action: string }[]).map((e) => e.action), ['submit', 'request_supplement', 'resubmit']);
    assert.equal((await act('reception', asked, 'accept')).json().status, 'accepted');

    const refused = await submitted();
    r = await act('reception', refused, 'refuse', { reason: '' });
    assert.equal(r.statusCode, 422);
    assert.equal((await api(t.app, officers.reception.client, 'GET', `/api/v1/dossiers/${refused}`)).json().status, 'new', 'nothing changed');
    r = await act('reception', refused, 'refuse', { reason: 'Không thuộc thẩm quyền của UBND phường' });
    assert.equal(r.json().status, 'refused');

    // A financial-obligation pause: back to processing with the appointment moved by the pause.
    const paid = await submitted('1.001022');
    await act('reception', paid, 'accept');
    await act('leader', paid, 'assign', { assignee: officers.specialist.id });
    const stepDueBefore = (await t.database.db.selectFrom('dossier').select('stepDueAt').where('code', '=', paid).executeTakeFirstOrThrow()).stepDueAt!;
    r = await act('specialist', paid, 'request_payment', { reason: 'Lệ phí đăng ký nhận cha, mẹ, con', fees: [0] });
    assert.equal(r.json().status, 'financial');
    // Pretend it was accepted a week ago and the pause began three days ago.
    const acceptedAt = new Date(Date.now() - 7 * 86_400_000);
    const pausedAt = new Date(Date.now() - 3 * 86_400_000);
    await t.database.db.updateTable('dossier').set({ acceptedAt }).where('code', '=', paid).execute();
    await t.database.db.updateTable('dossierEvent').set({ at: pausedAt }).where('action', '=', 'request_payment').execute();
    r = await act('specialist', paid, 'confirm_payment');
    assert.equal(r.json().status, 'processing');
    const year = acceptedAt.getUTCFullYear();
    const calendar = await loadWorkingDays(t.database.db, year - 1, year + 1);
    const unpaused = calendar.addWorkingDays(acceptedAt, 3);
    const due = new Date(r.json().dueAt);
    assert.ok(due > unpaused, `the appointment moved past ${unpaused.toISOString()}: ${due.toISOString()}`);
    // The step's own due instant moves by the same pause, and the resume event records it.
    const stepDueAfter = (await t.database.db.selectFrom('dossier').select('stepDueAt').where('code', '=', paid).executeTakeFirstOrThrow()).stepDueAt!;
    const pauseMinutes = calendar.officeMinutesBetween(pausedAt, new Date());
    assert.ok(pauseMinutes > 0);
    const expected = calendar.addOfficeTime(new Date(stepDueBefore), pauseMinutes).getTime();
    // The test reads the clock a moment after the action did: within office hours that moment counts.
    assert.ok(Math.abs(new Date(stepDueAfter).getTime() - expected) < 2 * 60_000, `step due ${new Date(stepDueAfter).toISOString()} ≈ ${new Date(expected).toISOString()}`);
    assert.ok(new Date(stepDueAfter) > new Date(stepDueBefore));
  });

  test('the specialist asks for more during processing: the citizen resubmits, processing resumes, the step is due later by the pause', async () => {
    const code = await submitted('1.004873');
    await act('reception', code, 'accept');
    await act('leader', code, 'assign', { assignee: officers.specialist.id });
    const dossierId = (await t.database.db.selectFrom('dossier').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    const stepDueBefore = (await t.database.db.selectFrom('dossier').select('stepDueAt').where('id', '=', dossierId).executeTakeFirstOrThrow()).stepDueAt!;
    let r = await act('specialist', code, 'request_supplement', { items: [{ item: 'Tờ khai', reason: 'Thiếu chữ ký của người yêu cầu' }] });
    assert.equal(r.json().status, 'supplementation', r.body);
    // The pause began two weeks ago (longer than any run of days off, Tết included).
    const pausedAt = new Date(Date.now() - 14 * 86_400_000);
    await t.database.db.updateTable('dossierEvent').set({ at: pausedAt }).where('dossierId', '=', dossierId).where('action', '=', 'request_supplement').execute();
    r = await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${dossierId}/resubmit`, undefined, { 'idempotency-key': `bo-sung-${dossierId}` });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'processing', 'back to the step it left');
    const stepDueAfter = (await t.database.db.selectFrom('dossier').select('stepDueAt').where('id', '=', dossierId).executeTakeFirstOrThrow()).stepDueAt!;
    const year = pausedAt.getUTCFullYear();
    const calendar = await loadWorkingDays(t.database.db, year - 1, year + 1);
    const expected = calendar.addOfficeTime(new Date(stepDueBefore), calendar.officeMinutesBetween(pausedAt, new Date())).getTime();
    assert.ok(Math.abs(new Date(stepDueAfter).getTime() - expected) < 2 * 60_000, `step due ${new Date(stepDueAfter).toISOString()} ≈ ${new Date(expected).toISOString()}`);
    assert.ok(new Date(stepDueAfter) > new Date(stepDueBefore), 'two weeks of pause hold office time');
  });

  test('one apology with a new later date; two officers acting at once: one wins, the other gets 409', async () => {
    const code = await submitted('1.004873');
    await act('reception', code, 'accept');
    const view = (await api(t.app, officers.leader.client, 'GET', `/api/v1/dossiers/${code}`)).json();
    let r = await act('leader', code, 'apologize', { reason: 'Cần xác minh thêm', newDueDate: '2000-01-01' });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'newDueDate');
    r = await act('leader', code, 'apologize', { reason: 'Cần xác minh thêm nơi sinh', newDueDate: '2027-03-15' });
    assert.equal(r.statusCode, 200, r.body);
    const apology = await t.database.db.selectFrom('outboxJob').select('payload').where('type', '=', 'notify.email').execute();
    assert.ok(apology.some((j) => JSON.stringify(j.payload).includes('dossier.apology') && JSON.stringify(j.payload).includes('15/03/2027')), 'the apology with its new date reaches the citizen');
    r = await act('leader', code, 'apologize', { reason: 'Lần nữa', newDueDate: '2027-04-15' });
    assert.equal(r.statusCode, 409);

    // Both officers saw the same version; only the first assignment stands.
    const [first, second] = await Promise.all([
      act('leader', code, 'assign', { assignee: officers.specialist.id, version: view.version + 1 }),
      act('leader', code, 'assign', { assignee: officers.specialist.id, version: view.version + 1 }),
    ]);
    assert.deepEqual([first.statusCode, second.statusCode].sort(), [200, 409]);
  });

  test('the ledger (form 06) lists the period’s dossiers of the officer’s agencies, as CSV and XLSX; a bad period is a clear 400', async () => {
    const code = await submitted();
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    let r = await api(t.app, officers.reception.client, 'GET', `/api/v1/ledger?from=${today}&to=${today}`);
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/csv/);
    assert.ok(r.body.startsWith('\ufeff'), 'a BOM, so that spreadsheets read UTF-8');
    assert.ok(r.body.includes('Mã hồ sơ') && r.body.includes(code) && r.body.includes('Nguyễn Thị Hồng Nhung') && r.body.includes('Trực tuyến'));
    r = await api(t.app, officers.reception.client, 'GET', `/api/v1/ledger?from=${today}&to=${today}&format=xlsx`);
    assert.equal(r.statusCode, 200);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as never);
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String);
    assert.ok(cells.includes(code), 'the code is in the workbook');
    r = await api(t.app, officers.reception.client, 'GET', `/api/v1/ledger?from=2026-13-01&to=${today}`);
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().errors[0].name, 'from');
    r = await api(t.app, officers.reception.client, 'GET', '/api/v1/ledger?from=2025-01-01&to=2026-06-01');
    assert.equal(r.statusCode, 400);
    r = await api(t.app, officers.foreign.client, 'GET', `/api/v1/ledger?from=${today}&to=${today}`);
    assert.ok(!r.body.includes(code), 'another commune’s ledger does not list it');
  });

  test('reception enters a walk-in dossier with its scans; it then follows the online path', async () => {
    const body = { procedureCode: '1.004873', agencyCode: A, channel: 1, applicant: { name: 'Võ Thị Lan', phone: '0909123456', idNumber: '087190007788' } };
    const dossiers = Number((await t.database.db.selectFrom('dossier').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    let r = await api(t.app, officers.reception.client, 'POST', '/api/v1/dossiers', { ...body, applicant: { name: 'Võ Thị Lan', phone: '12345' } });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'applicant.phone');
    assert.equal(Number((await t.database.db.selectFrom('dossier').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n), dossiers, 'nothing stored');
    assert.equal((await api(t.app, officers.foreign.client, 'POST', '/api/v1/dossiers', body)).statusCode, 404, 'not at another commune');
    assert.equal((await api(t.app, officers.specialist.client, 'POST', '/api/v1/dossiers', body)).statusCode, 404, 'a specialist does not receive');
    r = await api(t.app, officers.reception.client, 'POST', '/api/v1/dossiers', body);
    assert.equal(r.statusCode, 201, r.body);
    const code = r.json().code as string;
    assert.match(code, /^000\.00\.51\.H20-\d{6}-\d{4}$/);
    const scan = await uploadAttachment(t.app, officers.reception.client, code, 0, 'to-khai-scan.pdf', samplePdf('to khai'));
    assert.equal(scan.statusCode, 201, scan.body);
    assert.equal((await uploadAttachment(t.app, officers.foreign.client, code, 0, 'x.pdf', samplePdf())).statusCode, 404);
    const view = (await api(t.app, officers.reception.client, 'GET', `/api/v1/dossiers/${code}`)).json();
    assert.equal(view.channel, 1);
    assert.equal(view.status, 'new');
    assert.equal((await act('reception', code, 'accept')).json().status, 'accepted');
    const track = await t.app.inject({ url: `/api/v1/track/${code}?phone=0909123456`, remoteAddress: '10.7.0.9' });
    assert.equal(track.json().applicant.name, 'Võ Thị Lan');
  });

  test('the tab counts are kept a few seconds and follow every action at once', async () => {
    const code = await submitted();
    // Past the moment the submission may still be committing, the counts are kept…
    await new Promise((resolve) => setTimeout(resolve, settleMs + 100));
    const before = (await api(t.app, officers.reception.client, 'GET', '/api/v1/inbox?tab=new')).json().counts;
    // …so a change made behind the use cases' back (none is, in the product) is not seen yet;
    await t.database.db.updateTable('dossier').set({ dueAt: new Date(Date.now() - 86_400_000) }).where('code', '=', code).execute();
    let counts = (await api(t.app, officers.reception.client, 'GET', '/api/v1/inbox?tab=new')).json().counts;
    assert.deepEqual(counts, before, 'the kept counts served');
    // but an officer's action is, at once.
    assert.equal((await act('reception', code, 'accept')).statusCode, 200);
    counts = (await api(t.app, officers.reception.client, 'GET', '/api/v1/inbox?tab=new')).json().counts;
    assert.equal(counts.new, before.new - 1, 'the accepted dossier left the new tab’s count');
    assert.equal(counts.all, before.all);
  });

  test('an officer of another agency sees nothing: not in the inbox, 404 on the dossier and its actions', async () => {
    const code = await submitted();
    const inbox = await api(t.app, officers.foreign.client, 'GET', '/api/v1/inbox?tab=all');
    assert.ok(!(inbox.json().items as { code: string }[]).some((i) => i.code === code));
    assert.equal((await api(t.app, officers.foreign.client, 'GET', `/api/v1/dossiers/${code}`)).statusCode, 404);
    assert.equal((await act('foreign', code, 'accept')).statusCode, 404);
    assert.equal((await api(t.app, citizen.client, 'GET', '/api/v1/inbox')).statusCode, 404, 'a citizen has no inbox');
    assert.equal((await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${code}/actions/accept`, {})).statusCode, 404);
  });
});
