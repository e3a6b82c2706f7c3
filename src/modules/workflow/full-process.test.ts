// A procedure done entirely online (toàn trình, level 4) through the API and the pages, on PGlite
// and on PostgreSQL, against the real sandbox gateway over HTTP on 127.0.0.1: submit → the
// specialist asks for the fee (status 6) → the citizen pays at the gateway → the IPN resumes the
// dossier with its clock → the leader approves and the result is signed with the agency's
// certificate → /verify says valid (and invalid for a tampered copy) → the result is in the
// citizen's e-repository and is reused in a later dossier.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { api, birthRegistrationData, signedInCitizen, uploadAttachment } from '../../../test/helpers/dossier.js';
import { samplePdf } from '../../../test/helpers/files.js';
import { createOfficer, loginOfficer, type WebClient } from '../../../test/helpers/identity.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import { createSecretBox } from '../../platform/security/secrets.js';
import { COMMUNE_A, createPaymentBed, payAtGateway, type PaymentBed } from '../payment/payment-test-kit.js';
import { ensureDemoSigningKeys } from '../signature/signature.service.js';
import { until } from '../../../test/helpers/wait.js';

let bed: PaymentBed;
let citizen: Awaited<ReturnType<typeof signedInCitizen>>;
const officers = {} as Record<'reception' | 'specialist' | 'leader', { client: WebClient; id: number }>;

before(async () => {
  bed = await createPaymentBed();
  citizen = await signedInCitizen(bed.t as never);
  for (const role of ['reception', 'specialist', 'leader'] as const) {
    const officer = await createOfficer(bed.db, { email: `${role}.tt@dongthap.example.vn`, fullName: `Cán bộ ${role}`, roles: [{ role, agencyCode: COMMUNE_A }] });
    officers[role] = { client: (await loginOfficer(bed.t.app, bed.db, officer)).client, id: officer.id };
  }
  // The demo CA and the agencies' certificates, sealed with the app's own key.
  await ensureDemoSigningKeys(bed.db, createSecretBox(bed.t.secretKey));
});
after(() => bed?.close());

const act = (who: keyof typeof officers, code: string, action: string, body: Record<string, unknown> = {}) => api(bed.t.app, officers[who].client, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, body);


describe('toàn trình: apply, pay, receive a signed result, verify it, reuse it', () => {
  test('the whole journey of a birth registration with its fee', async () => {
    const app = bed.t.app;
    // 1. Submit online.
    const draft = await api(app, citizen.client, 'POST', '/api/v1/dossiers', { procedureCode: '1.001193', agencyCode: COMMUNE_A, data: birthRegistrationData({ applicantEmail: citizen.email, applicantIdNumber: citizen.idNumber }) });
    assert.equal(draft.statusCode, 201, draft.body);
    const id = draft.json().id as string;
    assert.equal((await uploadAttachment(app, citizen.client, id, 1, 'giay-chung-sinh.pdf', samplePdf('chung sinh'))).statusCode, 201);
    const submitted = await api(app, citizen.client, 'POST', `/api/v1/dossiers/${id}/submit`, undefined, { 'idempotency-key': `tt-${id}` });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const code = submitted.json().code as string;
    assert.equal((await act('reception', code, 'accept')).statusCode, 200);
    assert.equal((await act('leader', code, 'assign', { assignee: officers.specialist.id })).statusCode, 200);

    // 2. The fee: no line chosen → 422 and nothing stored; then the 8,000 đ registration fee.
    let r = await act('specialist', code, 'request_payment', { reason: 'Lệ phí đăng ký khai sinh', fees: [] });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'fees');
    assert.equal((await bed.db.selectFrom('paymentObligation').select('id').where('dossierId', '=', id).execute()).length, 0, 'nothing stored');
    r = await act('specialist', code, 'request_payment', { reason: 'Lệ phí đăng ký khai sinh', fees: [0] });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'financial');
    const obligation = await bed.db.selectFrom('paymentObligation').selectAll().where('dossierId', '=', id).executeTakeFirstOrThrow();
    assert.equal(obligation.total, 8000);
    assert.equal(obligation.reference, code);

    // 3. The citizen sees what to pay on the dossier page and pays at the gateway.
    const page = await citizen.client.get(`/ho-so/${id}`);
    assert.match(page.body, /Hồ sơ đang chờ nộp phí, lệ phí/);
    assert.match(page.body, /8\.000\u00a0₫/);
    const started = await citizen.client.postForm('/thanh-toan/nop', { obligationId: obligation.id, payerId: citizen.idNumber });
    assert.equal(started.statusCode, 303, started.body);
    const back = await payAtGateway(bed.sandbox, started.headers.location as string);
    assert.match(back, /^\/thanh-toan\/ket-qua\?/);

    // 4. The IPN (the source of truth) marks it paid and resumes the dossier in one transaction.
    const resumed = await until('the dossier to resume', async () => {
      const d = await bed.db.selectFrom('dossier').select(['status', 'pausedFrom']).where('id', '=', id).executeTakeFirstOrThrow();
      return d.status === 'processing' ? d : undefined;
    });
    assert.equal(resumed.pausedFrom, null);
    assert.equal((await bed.db.selectFrom('paymentObligation').select('status').where('id', '=', obligation.id).executeTakeFirstOrThrow()).status, 'paid');
    const confirm = await bed.db.selectFrom('dossierEvent').select(['actorType', 'fromStatus', 'toStatus']).where('dossierId', '=', id).where('action', '=', 'confirm_payment').execute();
    assert.deepEqual(confirm, [{ actorType: 'system', fromStatus: 'financial', toStatus: 'processing' }]);
    const mails = await bed.db.selectFrom('outboxJob').select('payload').where('type', '=', 'notify.email').execute();
    assert.ok(mails.some((m) => JSON.stringify(m.payload).includes(code) && JSON.stringify(m.payload).includes('specialist.tt@dongthap.example.vn')), 'the officer holding it is told');

    // 5–6. Processing goes on; the leader approves and the result is signed.
    assert.equal((await act('specialist', code, 'forward')).statusCode, 200);
    r = await act('leader', code, 'approve');
    assert.equal(r.json().status, 'done');
    const result = await bed.db.selectFrom('signedResult').selectAll().where('dossierId', '=', id).executeTakeFirstOrThrow();

    // 7. Verify: valid for the document, invalid for a tampered copy.
    const verified = await app.inject({ url: `/api/v1/verify/${result.id}`, remoteAddress: '10.8.0.1' });
    assert.equal(verified.statusCode, 200, verified.body);
    assert.equal(verified.json().signature.status, 'valid');
    assert.equal(verified.json().issuer.code, COMMUNE_A);
    const document = await app.inject({ url: verified.json().links.document, remoteAddress: '10.8.0.1' });
    assert.equal(document.statusCode, 200);
    assert.match(await pdfText(document.rawPayload), new RegExp(`/verify/${result.id}`));
    const tampered = Buffer.from(document.rawPayload);
    const at = tampered.length - 20;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal((await app.inject({ url: `/api/v1/verify/${result.id}?sha256=${sha(document.rawPayload)}`, remoteAddress: '10.8.0.1' })).json().file.status, 'valid');
    assert.equal((await app.inject({ url: `/api/v1/verify/${result.id}?sha256=${sha(tampered)}`, remoteAddress: '10.8.0.1' })).json().file.status, 'invalid');

    // Returned by public post: the shipment's reference is required, and recorded.
    r = await act('reception', code, 'return_result', { delivery: 'post' });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().errors[0].name, 'shipmentReference');
    assert.equal((await bed.db.selectFrom('dossier').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'done', 'nothing changed');
    r = await act('reception', code, 'return_result', { delivery: 'post', shipmentReference: 'eb123456789vn' });
    assert.equal(r.json().status, 'returned');
    assert.equal((await bed.db.selectFrom('dossier').select('resultShipmentRef').where('id', '=', id).executeTakeFirstOrThrow()).resultShipmentRef, 'EB123456789VN');

    // 8. The result is in the citizen's e-repository and is reused in a later dossier.
    const repository = await api(app, citizen.client, 'GET', '/api/v1/repository');
    const item = (repository.json().items as { id: string; sha256: string }[]).find((i) => i.sha256 === result.sha256);
    assert.ok(item, repository.body);
    const next = await api(app, citizen.client, 'POST', '/api/v1/dossiers', { procedureCode: '1.001193', agencyCode: COMMUNE_A, data: {} });
    const reused = await api(app, citizen.client, 'POST', `/api/v1/dossiers/${next.json().id}/attachments/from-repository`, { slot: 1, itemId: item!.id });
    assert.equal(reused.statusCode, 201, reused.body);
    const attached = await bed.db.selectFrom('dossierAttachment').select('sha256').where('dossierId', '=', next.json().id).executeTakeFirstOrThrow();
    assert.equal(attached.sha256, result.sha256);
  });
});
