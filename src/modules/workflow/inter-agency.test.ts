// One-stop inter-agency handling (một cửa liên thông) through the API, on PGlite and on
// PostgreSQL: procedure 1.013978's demo workflow sends the dossier from the commune to the
// province's land agency for one step and back. The other agency's officers see and act on it only
// while it is there, the commune's officers can read it but not act meanwhile, and the control slip
// (form 05) spans both agencies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { api, signedInCitizen, submitOnline, validAnswers } from '../../../test/helpers/dossier.js';
import { createOfficer, loginOfficer, type WebClient } from '../../../test/helpers/identity.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import { exportCatalog, importCatalog } from '../catalog/catalog.service.js';

const COMMUNE = '000.00.51.H20';
const LAND = '000.00.10.H20';
const OTHER_COMMUNE = '000.00.52.H20';
const PROCEDURE = '1.013978';

let t: TestApp;
let citizen: Awaited<ReturnType<typeof signedInCitizen>>;
type Who = 'reception' | 'specialist' | 'leader' | 'landLeader' | 'landSpecialist' | 'foreign';
const officers = {} as Record<Who, { client: WebClient; id: number }>;

before(async () => {
  t = await createTestApp();
  citizen = await signedInCitizen(t);
  const specs: Record<Who, readonly ['reception' | 'specialist' | 'leader', string]> = {
    reception: ['reception', COMMUNE],
    specialist: ['specialist', COMMUNE],
    leader: ['leader', COMMUNE],
    landLeader: ['leader', LAND],
    landSpecialist: ['specialist', LAND],
    foreign: ['specialist', OTHER_COMMUNE],
  };
  for (const [name, [role, agencyCode]] of Object.entries(specs)) {
    const officer = await createOfficer(t.database.db, { email: `${name}.lt@dongthap.example.vn`, fullName: `Cán bộ ${name}`, roles: [{ role, agencyCode }] });
    officers[name as Who] = { client: (await loginOfficer(t.app, t.database.db, officer)).client, id: officer.id };
  }
});
after(() => t?.close());

async function submitted(): Promise<string> {
  const schema = (await t.database.db.selectFrom('procedure').select('formSchema').where('code', '=', PROCEDURE).where('status', '=', 'published').executeTakeFirstOrThrow()).formSchema;
  return (await submitOnline(t.app, citizen, { procedureCode: PROCEDURE, agencyCode: COMMUNE, data: await validAnswers(schema) })).code;
}

const act = (who: Who, code: string, action: string, body: Record<string, unknown> = {}) => api(t.app, officers[who].client, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, body);
const inboxCodes = async (who: Who, tab = 'all') => ((await api(t.app, officers[who].client, 'GET', `/api/v1/inbox?tab=${tab}`)).json().items as { code: string; handlingAgency: string | null }[]);

describe('một cửa liên thông: a step done by another agency', () => {
  test('the dossier goes to the province land agency for its step and comes back; the slip spans both', async () => {
    const code = await submitted();
    assert.equal((await act('reception', code, 'accept')).statusCode, 200);
    assert.equal((await act('leader', code, 'assign', { assignee: officers.specialist.id })).json().status, 'processing');
    // The land agency sees nothing yet.
    assert.equal((await api(t.app, officers.landLeader.client, 'GET', `/api/v1/dossiers/${code}`)).statusCode, 404);
    assert.ok(!(await inboxCodes('landLeader')).some((i) => i.code === code));

    // Forwarding into the step declared at 000.00.10.H20 sends it there.
    let r = await act('specialist', code, 'forward');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().step, 'cadastre');
    assert.deepEqual(r.json().allowed, [], 'the commune specialist has no role where the dossier now is');
    const away = await t.database.db.selectFrom('dossier as d').innerJoin('agency as h', 'h.id', 'd.handlingAgencyId').select(['h.code', 'd.assigneeAccountId']).where('d.code', '=', code).executeTakeFirstOrThrow();
    assert.deepEqual(away, { code: LAND, assigneeAccountId: null });

    // The land agency's officers now see it, with where it comes from, and act on it.
    const landInbox = await inboxCodes('landLeader');
    assert.equal(landInbox.find((i) => i.code === code)?.handlingAgency, 'Sở Tài nguyên và Môi trường tỉnh Đồng Tháp');
    r = await api(t.app, officers.landLeader.client, 'GET', `/api/v1/dossiers/${code}`);
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().agency.code, COMMUNE);
    assert.equal(r.json().handlingAgency.code, LAND);
    assert.ok(r.json().allowed.includes('assign'));

    // The commune can still read it, but not act; another commune still gets 404.
    r = await api(t.app, officers.leader.client, 'GET', `/api/v1/dossiers/${code}`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().allowed, []);
    r = await act('leader', code, 'approve');
    assert.equal(r.statusCode, 409);
    assert.equal((await api(t.app, officers.foreign.client, 'GET', `/api/v1/dossiers/${code}`)).statusCode, 404);

    // Only the land agency's own specialists can be assigned there.
    r = await act('landLeader', code, 'assign', { assignee: officers.specialist.id });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'assignee');
    r = await act('landLeader', code, 'assign', { assignee: officers.landSpecialist.id });
    assert.equal(r.statusCode, 200, r.body);
    assert.ok((await inboxCodes('landSpecialist', 'mine')).some((i) => i.code === code));
    assert.equal((await act('landSpecialist', code, 'process', { reason: 'Đã đo đạc, cập nhật bản đồ địa chính' })).statusCode, 200);

    // Forwarding to the approval step brings it home.
    r = await act('landSpecialist', code, 'forward');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().step, 'approval');
    assert.deepEqual(r.json().allowed, []);
    const home = await t.database.db.selectFrom('dossier').select(['handlingAgencyId']).where('code', '=', code).executeTakeFirstOrThrow();
    assert.equal(home.handlingAgencyId, null);
    assert.equal((await api(t.app, officers.landSpecialist.client, 'GET', `/api/v1/dossiers/${code}`)).statusCode, 404, 'gone from the land agency');
    assert.ok(!(await inboxCodes('landLeader')).some((i) => i.code === code));

    assert.equal((await act('leader', code, 'approve')).json().status, 'done');
    assert.equal((await act('reception', code, 'return_result', { delivery: 'in_person' })).json().status, 'returned');

    // The events record where the dossier was; the hand-overs name both agencies.
    const events = await t.database.db
      .selectFrom('dossierEvent as e')
      .innerJoin('dossier as d', 'd.id', 'e.dossierId')
      .innerJoin('agency as a', 'a.id', 'e.agencyId')
      .select(['e.action', 'a.code', 'e.details'])
      .where('d.code', '=', code)
      .orderBy('e.id')
      .execute();
    assert.deepEqual(
      events.map((e) => `${e.action}@${e.code}`),
      ['submit@' + COMMUNE, 'accept@' + COMMUNE, 'assign@' + COMMUNE, 'forward@' + LAND, 'assign@' + LAND, 'process@' + LAND, 'forward@' + COMMUNE, 'approve@' + COMMUNE, 'return_result@' + COMMUNE],
    );
    assert.deepEqual(events[3]!.details, { transfer: { from: 'Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp', to: 'Sở Tài nguyên và Môi trường tỉnh Đồng Tháp' } });
    assert.deepEqual(events[6]!.details, { transfer: { from: 'Sở Tài nguyên và Môi trường tỉnh Đồng Tháp', to: 'Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp' } });
    const audit = await t.database.db.selectFrom('auditLog').select('details').where('action', '=', 'dossier.forward').execute();
    assert.equal(audit.filter((a) => JSON.stringify(a.details).includes('"transfer"') && JSON.stringify(a.details).includes(code)).length, 2);

    // The public timeline names the agency of each step.
    const track = await t.app.inject({ url: `/api/v1/track/${code}`, remoteAddress: '10.7.0.9' });
    assert.ok((track.json().events as { agency: string | null }[]).some((e) => e.agency === 'Sở Tài nguyên và Môi trường tỉnh Đồng Tháp'), track.body);

    // Form 05: every hand-over, across both agencies, with the agency beside each person.
    const slip = await officers.reception.client.get(`/quan-tri/ho-so/${code}/phieu/05`);
    assert.equal(slip.statusCode, 200);
    const text = (await pdfText(slip.rawPayload)).replace(/\s+/g, ' ');
    assert.match(text, /Đo đạc, cập nhật hồ sơ địa chính/);
    assert.match(text, /Cán bộ landSpecialist \(Sở Tài nguyên và Môi trường/);
    assert.match(text, /Cán bộ specialist \(Ủy ban nhân dân phường Mỹ Tho/);
  });
});

describe('a workflow that names another agency, at import', () => {
  test('an unknown agency, or one at reception, is refused and nothing is stored', async () => {
    const record = (await exportCatalog(t.database.db)).find((r) => r.code === PROCEDURE && r.status === 'published')!;
    assert.ok(record.workflow, 'the demo workflow is exported');
    const steps = (record.workflow as { steps: Record<string, unknown>[] }).steps;
    const versionsBefore = await t.database.db.selectFrom('procedure').select('id').where('code', '=', PROCEDURE).execute();

    const unknown = { ...record, workflow: { steps: steps.map((s) => (s.id === 'cadastre' ? { ...s, agency: '000.00.99.H20' } : s)) } };
    let report = await importCatalog(t.database.db, JSON.stringify([unknown]), 'json');
    assert.equal(report.ok, false);
    assert.ok(report.problems.some((p) => p.message === 'workflow.steps.2.agency: cơ quan "000.00.99.H20" không tồn tại'), JSON.stringify(report.problems));

    const atReception = { ...record, workflow: { steps: steps.map((s) => (s.id === 'reception' ? { ...s, agency: LAND } : s)) } };
    report = await importCatalog(t.database.db, JSON.stringify([atReception]), 'json');
    assert.equal(report.ok, false);
    assert.ok(report.problems.some((p) => p.message.startsWith('workflow.steps.0.agency')), JSON.stringify(report.problems));

    const versionsAfter = await t.database.db.selectFrom('procedure').select('id').where('code', '=', PROCEDURE).execute();
    assert.equal(versionsAfter.length, versionsBefore.length, 'nothing stored');
  });
});
