// Level 4 fees paid with the submission (issue #6), on PGlite and on PostgreSQL, against the
// sandbox gateway: a procedure whose fee line is marked `dueAtSubmission` gets its obligation in
// the submitting transaction; the confirmation page offers the payment; the IPN marks it paid and
// the dossier stays where reception finds it (status 1: nothing was paused). A procedure without
// such a line gets no obligation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, birthRegistrationData, signedInCitizen, submitOnline, validAnswers } from '../../../test/helpers/dossier.js';
import { createOfficer, loginOfficer, pageText } from '../../../test/helpers/identity.js';
import { until } from '../../../test/helpers/wait.js';
import { exportCatalog, importCatalog } from '../catalog/catalog.service.js';
import { COMMUNE_A, createPaymentBed, payAtGateway, type PaymentBed } from '../payment/payment-test-kit.js';

let bed: PaymentBed;
let citizen: Awaited<ReturnType<typeof signedInCitizen>>;

before(async () => {
  bed = await createPaymentBed();
  citizen = await signedInCitizen(bed.t as never);
});
after(() => bed?.close());

async function submitted(procedureCode: string) {
  const schema = (await bed.db.selectFrom('procedure').select('formSchema').where('code', '=', procedureCode).where('status', '=', 'published').executeTakeFirstOrThrow()).formSchema;
  const data = procedureCode === '1.001193' ? birthRegistrationData({ applicantEmail: citizen.email }) : await validAnswers(schema);
  return submitOnline(bed.t.app, citizen, { procedureCode, agencyCode: COMMUNE_A, data: { ...data, applicantIdNumber: citizen.idNumber } });
}

describe('fees paid with the submission', () => {
  test('the fee line due at submission becomes an obligation, offered on the confirmation and paid through the gateway', async () => {
    // A new version of 1.001022 whose registration fee is paid when filing.
    const record = (await exportCatalog(bed.db)).find((r) => r.code === '1.001022')!;
    assert.ok(record.fees[0] && record.fees[0].amountVnd > 0);
    const report = await importCatalog(bed.db, JSON.stringify([{ ...record, fees: record.fees.map((f, i) => (i === 0 ? { ...f, dueAtSubmission: true } : f)) }]), 'json');
    assert.equal(report.created, 1, JSON.stringify(report.problems));

    const { id, code } = await submitted('1.001022');
    const obligation = await bed.db.selectFrom('paymentObligation').selectAll().where('dossierId', '=', id).executeTakeFirstOrThrow();
    assert.equal(obligation.status, 'unpaid');
    assert.equal(obligation.reference, code);
    assert.equal(obligation.total, record.fees[0]!.amountVnd);
    assert.equal(obligation.payerIdNumber, citizen.idNumber);

    const confirmation = await citizen.client.get(`/ho-so/${id}/da-nop`);
    assert.ok(pageText(confirmation.body).includes('Thủ tục này thu phí, lệ phí khi nộp hồ sơ'), 'the confirmation offers the payment');
    assert.ok(confirmation.body.includes(`name="obligationId" value="${obligation.id}"`));

    const started = await citizen.client.postForm('/thanh-toan/nop', { obligationId: obligation.id, payerId: citizen.idNumber });
    assert.equal(started.statusCode, 303, started.body);
    await payAtGateway(bed.sandbox, started.headers.location as string);
    await until('the IPN to mark it paid', async () => ((await bed.db.selectFrom('paymentObligation').select('status').where('id', '=', obligation.id).executeTakeFirstOrThrow()).status === 'paid' ? true : undefined));
    const mine = await api(bed.t.app, citizen.client, 'GET', `/api/v1/dossiers/${id}`);
    assert.equal(mine.json().status, 'new', 'paying with the submission pauses and resumes nothing');
    assert.ok(!pageText((await citizen.client.get(`/ho-so/${id}`)).body).includes('Thủ tục này thu phí'), 'nothing more to pay');
    // Reception sees the fee paid when it receives the dossier.
    const officer = await createOfficer(bed.db, { email: 'tiepnhan.phi@dongthap.example.vn', roles: [{ role: 'reception', agencyCode: COMMUNE_A }] });
    const reception = (await loginOfficer(bed.t.app, bed.db, officer)).client;
    const officerPage = pageText((await reception.get(`/quan-tri/ho-so/${encodeURIComponent(code)}`)).body);
    assert.match(officerPage, /Phí, lệ phí\s+15\.000\s₫: đã nộp trực tuyến/);
  });

  test('a procedure whose fees are asked for later gets no obligation at submission', async () => {
    const { id } = await submitted('1.001193');
    assert.equal((await bed.db.selectFrom('paymentObligation').select('id').where('dossierId', '=', id).execute()).length, 0);
  });
});
