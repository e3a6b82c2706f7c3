// Issuing a signed result: from the template or an uploaded PDF, with the QR address readable in
// the PDF, signed so that it verifies, stored once, put into the applicant's e-repository and
// reusable in the next dossier; and every refusal says why and stores nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { api } from '../../../test/helpers/dossier.js';
import { samplePdf, samplePng } from '../../../test/helpers/files.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import { createSecretBox } from '../../platform/security/secrets.js';
import { issueAgencyCertificate } from './key-store.js';
import { dossierResultTemplate, type SignatureDeps } from './signed-result.js';
import { agencyIdOf, COMMUNE, issue, leaderId, OTHER_COMMUNE, prepareKeys, signatureDeps, submittedDossier } from './signature-test-fixtures.js';
import { verifySignedResult, type VerifyDeps } from './verification.js';

let t: TestApp;
let deps: SignatureDeps;
let verify: VerifyDeps;
let leader: number;
let commune: number;

before(async () => {
  t = await createTestApp();
  ({ deps, verify } = signatureDeps(t));
  await prepareKeys(t);
  leader = await leaderId(t);
  commune = await agencyIdOf(t, COMMUNE);
});
after(() => t?.close());

async function counts() {
  const db = t.database.db;
  const count = async (table: 'signedResult' | 'repositoryItem' | 'auditLog') => Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { results: await count('signedResult'), repository: await count('repositoryItem'), audit: await count('auditLog') };
}

/** Runs `act`, expects the AppError with `key`, and shows that nothing was stored. */
async function refused(act: () => Promise<unknown>, key: string, expectedText: RegExp): Promise<void> {
  const before = await counts();
  await assert.rejects(act, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    const messageKey = error.problems.length ? (error.problems[0]!.message as { key: string }).key : error.messageKey;
    assert.equal(messageKey, key);
    assert.match(translate('vi', messageKey as never, error.params), expectedText);
    return true;
  });
  assert.deepEqual(await counts(), before, 'nothing was stored');
}

describe('issuing a signed result', () => {
  test('from the template: the QR address is printed, the signature verifies, and the applicant gets it in the e-repository', async () => {
    const { dossierId, code, citizen } = await submittedDossier(t);
    const { title, templateData } = await dossierResultTemplate(t.database.db, dossierId);
    const issued = await issue(t, deps, { dossierId, agencyId: commune, title, pdf: { templateData }, issuedBy: leader });

    assert.equal(issued.url, `http://localhost:3000/verify/${issued.id}`);
    const pdf = await deps.storage.read(issued.sha256);
    assert.equal(pdf.length, issued.size);
    const text = await pdfText(pdf);
    assert.ok(text.includes(issued.url), 'the address of the check page is printed under the QR code');
    assert.ok(text.includes('THÔNG BÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH'));
    assert.ok(text.includes(code) && text.includes('Thủ tục đăng ký khai sinh') && text.includes('Nguyễn Thị Hồng Nhung'));
    assert.ok(text.includes('ĐÃ KÝ SỐ'));

    const row = await t.database.db.selectFrom('signedResult').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    assert.equal(row.dossierId, dossierId);
    assert.equal(row.source, 'template');
    assert.equal(row.issuedBy, leader);
    assert.equal(new Date(row.signedAt).getTime(), issued.signedAt.getTime());
    const checked = await verifySignedResult(verify, issued.id);
    assert.equal(checked.check.valid, true, checked.check.reason ?? '');
    assert.equal(checked.agency.name, 'Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp');
    assert.equal(checked.signer.subject, 'CN=Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp, OU=000.00.51.H20, C=VN');

    // In the citizen's e-repository, as a result, and reusable in the next dossier (Decree 45/2020 art. 11).
    const repository = (await api(t.app, citizen.client, 'GET', '/api/v1/repository')).json().items as { id: string; kind: string; sha256: string; title: string | null }[];
    const item = repository.find((i) => i.sha256 === issued.sha256);
    assert.ok(item, 'the result is in the repository');
    assert.equal(item.kind, 'result');
    assert.equal(item.id, issued.repositoryItemId);
    assert.equal(item.title, title);
    const draft = await api(t.app, citizen.client, 'POST', '/api/v1/dossiers', { procedureCode: '1.001193', agencyCode: COMMUNE });
    assert.equal(draft.statusCode, 201, draft.body);
    const slots = (await api(t.app, citizen.client, 'GET', `/api/v1/dossiers/${draft.json().id}`)).json().slots as { index: number }[];
    const reused = await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${draft.json().id}/attachments/from-repository`, { slot: slots[0]!.index, itemId: item.id });
    assert.equal(reused.statusCode, 201, reused.body);
    const attached = await t.database.db.selectFrom('dossierAttachment').select(['sha256', 'mediaType']).where('id', '=', reused.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(attached, { sha256: issued.sha256, mediaType: 'application/pdf' });

    const audit = await t.database.db.selectFrom('auditLog').select(['actorType', 'actorId', 'details']).where('action', '=', 'result.sign').where('objectId', '=', issued.id).executeTakeFirstOrThrow();
    assert.equal(audit.actorType, 'officer');
    assert.equal(audit.actorId, String(leader));
  });

  test('an uploaded PDF gets a verification page at the end with the QR address; its own pages are kept', async () => {
    const { dossierId } = await submittedDossier(t);
    const issued = await issue(t, deps, { dossierId, agencyId: commune, title: 'Giấy khai sinh (bản điện tử)', pdf: samplePdf('Original result page'), issuedBy: leader });
    const pdf = await deps.storage.read(issued.sha256);
    const document = await PDFDocument.load(pdf);
    assert.equal(document.getPageCount(), 2, 'the original page and the verification page');
    const pages = (await pdfText(pdf)).split('\f');
    assert.ok(pages[0]!.includes('Original result page'));
    assert.ok(pages[1]!.includes('TRANG XÁC THỰC VĂN BẢN ĐIỆN TỬ'));
    assert.ok(pages[1]!.includes(issued.url), 'the address is printed on the appended page');
    assert.ok(pages[1]!.includes(issued.id));
    assert.equal(issued.fileName, 'giay-khai-sinh-ban-dien-tu.pdf');
    const row = await t.database.db.selectFrom('signedResult').select('source').where('id', '=', issued.id).executeTakeFirstOrThrow();
    assert.equal(row.source, 'upload');
    assert.equal((await verifySignedResult(verify, issued.id)).check.valid, true);
  });

  test('a walk-in dossier’s result does not land in the receiving officer’s repository', async () => {
    const reception = await leaderId(t);
    const issued = await issue(t, deps, { agencyId: commune, title: 'Kết quả không qua mạng', pdf: samplePdf('walk-in'), issuedBy: leader, ownerAccountId: reception });
    assert.equal(issued.repositoryItemId, null);
    assert.equal(await t.database.db.selectFrom('repositoryItem').select('id').where('sha256', '=', issued.sha256).executeTakeFirst(), undefined);
  });

  test('refusals say why and store nothing', async () => {
    const { dossierId } = await submittedDossier(t);
    const other = await agencyIdOf(t, OTHER_COMMUNE);
    await refused(() => issue(t, deps, { dossierId, agencyId: other, title: 'Kết quả', pdf: samplePdf(), issuedBy: leader }), 'signature.error.noCertificate', /^Ủy ban nhân dân phường Gò Công, tỉnh Đồng Tháp chưa có chứng thư số để ký kết quả điện tử/);
    await refused(() => issue(t, deps, { dossierId, agencyId: commune, title: 'Ảnh chụp', pdf: samplePng(), issuedBy: leader }), 'signature.error.notPdf', /phải là tệp PDF/);
    const broken = Buffer.from('%PDF-1.7\nnot really a PDF\n');
    await refused(() => issue(t, deps, { dossierId, agencyId: commune, title: 'Tệp hỏng', pdf: broken, issuedBy: leader }), 'signature.error.pdfUnreadable', /Không đọc được tệp PDF/);
    const encrypted = Buffer.from(samplePdf().toString('latin1').replace('/Root 1 0 R >>', '/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -4 >> >>'), 'latin1');
    await refused(() => issue(t, deps, { dossierId, agencyId: commune, title: 'Có mật khẩu', pdf: encrypted, issuedBy: leader }), 'signature.error.pdfEncrypted', /đặt mật khẩu hoặc mã hóa/);
    await refused(() => issue(t, deps, { dossierId, agencyId: commune, title: '   ', pdf: samplePdf(), issuedBy: leader }), 'signature.error.titleRequired', /từ 1 đến 300 ký tự/);
    await refused(() => issue(t, deps, { dossierId, agencyId: commune, title: 'x'.repeat(301), pdf: samplePdf(), issuedBy: leader }), 'signature.error.titleRequired', /từ 1 đến 300 ký tự/);
  });

  test('a certificate no longer valid is refused before anything is signed; a new one signs again', async () => {
    const secrets = createSecretBox(t.secretKey);
    const yearsAgo = new Date(Date.now() - 3 * 365 * 86_400_000);
    await issueAgencyCertificate(t.database.db, secrets, OTHER_COMMUNE, { now: yearsAgo, days: 365 });
    const other = await agencyIdOf(t, OTHER_COMMUNE);
    await refused(() => issue(t, deps, { agencyId: other, title: 'Kết quả', pdf: samplePdf(), issuedBy: leader }), 'signature.error.certificateNotValid', /^Chứng thư số của Ủy ban nhân dân phường Gò Công, tỉnh Đồng Tháp không có hiệu lực vào lúc này/);
    await issueAgencyCertificate(t.database.db, secrets, OTHER_COMMUNE);
    const issued = await issue(t, deps, { agencyId: other, title: 'Kết quả', pdf: samplePdf(), issuedBy: leader });
    assert.equal((await verifySignedResult(verify, issued.id)).check.valid, true);
  });
});
