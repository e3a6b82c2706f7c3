// The public check of a signed result, as a person reaches it from the QR code: the page and its
// JSON twin, the downloads, a file checked by upload (the original is valid, a tampered copy is
// not), a document changed in storage, the refusals and the rate limit.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { multipart } from '../../../test/helpers/dossier.js';
import { samplePdf } from '../../../test/helpers/files.js';
import { pageText, WebClient, type InjectResponse } from '../../../test/helpers/identity.js';
import { parseCertificate } from './certificates.js';
import { verifyDetached } from './cms.js';
import { loadTrustAnchors } from './key-store.js';
import { dossierResultTemplate, type IssuedResult, type SignatureDeps } from './signed-result.js';
import { agencyIdOf, COMMUNE, issue, leaderId, prepareKeys, signatureDeps, submittedDossier } from './signature-test-fixtures.js';

let t: TestApp;
let deps: SignatureDeps;
let result: IssuedResult;
let original: Buffer;

before(async () => {
  t = await createTestApp();
  ({ deps } = signatureDeps(t));
  await prepareKeys(t);
  const { dossierId } = await submittedDossier(t);
  const { title, templateData } = await dossierResultTemplate(t.database.db, dossierId);
  result = await issue(t, deps, { dossierId, agencyId: await agencyIdOf(t, COMMUNE), title, pdf: { templateData }, issuedBy: await leaderId(t) });
  original = await deps.storage.read(result.sha256);
});
after(() => t?.close());

/** Uploads `content` through the page's own form (multipart, CSRF token in the address). */
async function checkUpload(client: WebClient, id: string, content: Buffer | undefined, filename = 'ket-qua.pdf'): Promise<InjectResponse> {
  const page = await client.get(`/verify/${id}`);
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(action, 'the page has an upload form that works without script');
  const body = multipart({}, content ? { name: 'file', filename, content, type: 'application/pdf' } : undefined);
  return client.request('POST', action, body.payload as unknown as string, { headers: { 'content-type': body.contentType } });
}

function tamper(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  // One character of the visible text stream area, far from the header: still a PDF.
  const at = Math.floor(copy.length / 2);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

function storedCount(): Promise<number> {
  return t.database.db
    .selectFrom('storedFile')
    .select(t.database.db.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

describe('/verify/{id}', () => {
  test('the page shows the issuer, the date, the hash, the signer’s certificate and "Hợp lệ"', async () => {
    const client = new WebClient(t.app);
    const r = await client.get(`/verify/${result.id}`);
    assert.equal(r.statusCode, 200);
    const text = pageText(r.body);
    assert.match(text, /Tình trạng chữ ký số\s+Hợp lệ Chữ ký số hợp lệ: văn bản do Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp ký/);
    assert.ok(text.includes(`Mã băm SHA-256 của văn bản ${result.sha256}`));
    assert.ok(text.includes('Cơ quan ban hành Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp'));
    assert.ok(text.includes('Chủ thể CN=Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp, OU=000.00.51.H20, C=VN'));
    assert.ok(text.includes('Tổ chức cấp CN=MộtCửa Demo CA (chỉ dùng thử nghiệm), O=MộtCửa, C=VN'));
    assert.match(text, /Thời điểm ký \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/);
    assert.match(text, /Thời hạn từ .+ đến .+/);
    assert.ok(r.body.includes(`href="/verify/${result.id}/document.pdf"`) && r.body.includes(`href="/verify/${result.id}/signature.p7s"`));
    assert.doesNotMatch(r.body, /<script/i, 'no script: the page works without JavaScript');
    const english = await client.get(`/verify/${result.id}?lang=en`);
    assert.match(pageText(english.body), /Digital signature\s+Valid The digital signature is valid/);
  });

  test('the downloads are the signed PDF and its detached signature, which verify together', async () => {
    const client = new WebClient(t.app);
    const pdf = await client.get(`/verify/${result.id}/document.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="ket-qua-giai-quyet-ho-so-.+\.pdf"$/);
    assert.equal(createHash('sha256').update(pdf.rawPayload).digest('hex'), result.sha256);
    const p7s = await client.get(`/verify/${result.id}/signature.p7s`);
    assert.equal(p7s.statusCode, 200);
    assert.equal(p7s.headers['content-type'], 'application/pkcs7-signature');
    assert.match(String(p7s.headers['content-disposition']), /\.p7s"$/);
    const verified = verifyDetached(pdf.rawPayload, p7s.rawPayload, await loadTrustAnchors(t.database.db));
    assert.equal(verified.valid, true, verified.reason);
    assert.equal(verified.signer?.fingerprint, parseCertificate((await t.database.db.selectFrom('signedResult').select('signerCertificate').where('id', '=', result.id).executeTakeFirstOrThrow()).signerCertificate).info.fingerprint);
  });

  test('the same file uploaded is "Hợp lệ"; a tampered copy is "Không hợp lệ" because the hash differs; nothing is kept', async () => {
    const client = new WebClient(t.app);
    const stored = await storedCount();
    const same = await checkUpload(client, result.id, original, 'giay-khai-sinh.pdf');
    assert.equal(same.statusCode, 200, same.body);
    const sameText = pageText(same.body);
    assert.match(sameText, /Kết quả kiểm tra tệp giay-khai-sinh\.pdf Hợp lệ Tệp này đúng là văn bản đã được ký số\./);
    assert.ok(sameText.includes(`Mã băm SHA-256 của tệp ${result.sha256}`));

    const copy = tamper(original);
    const changed = await checkUpload(client, result.id, copy, 'ban-sua.pdf');
    assert.equal(changed.statusCode, 200);
    const changedText = pageText(changed.body);
    assert.match(changedText, /Kết quả kiểm tra tệp ban-sua\.pdf Không hợp lệ Nội dung tệp khác với văn bản đã được ký \(mã băm SHA-256 không khớp\)\./);
    assert.ok(changedText.includes(createHash('sha256').update(copy).digest('hex')));
    // The stored document itself is untouched and still valid.
    assert.match(changedText, /Tình trạng chữ ký số\s+Hợp lệ/);
    assert.equal(await storedCount(), stored, 'an uploaded file is hashed, never stored');
  });

  test('an upload without a file, or too large, is answered on the page with the reason', async () => {
    const client = new WebClient(t.app);
    const none = await checkUpload(client, result.id, undefined);
    assert.equal(none.statusCode, 400);
    assert.match(pageText(none.body), /Có lỗi cần sửa Chọn tệp cần kiểm tra\./);
    assert.match(none.body, /<title>Lỗi: /);
    const empty = await checkUpload(client, result.id, Buffer.alloc(0), 'rong.pdf');
    assert.equal(empty.statusCode, 400);
    assert.match(pageText(empty.body), /Tệp không có nội dung \(0 byte\)/);
    const large = await checkUpload(client, result.id, Buffer.alloc(t.config.uploadMaxMb * 1024 * 1024 + 10, 0x25), 'lon.pdf');
    assert.equal(large.statusCode, 413);
    assert.match(pageText(large.body), /Tệp quá lớn\. Dung lượng tối đa là 10 MB\./);
    // Without the form's token the upload is refused before it is read.
    const body = multipart({}, { name: 'file', filename: 'x.pdf', content: original });
    const forged = await client.request('POST', `/verify/${result.id}`, body.payload as unknown as string, { headers: { 'content-type': body.contentType } });
    assert.equal(forged.statusCode, 403);
  });

  test('the JSON API says the same, and checks a file by its SHA-256', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/verify/${result.id}`, remoteAddress: '10.9.0.1' });
    assert.equal(r.statusCode, 200);
    const body = r.json();
    assert.equal(body.signature.status, 'valid');
    assert.equal(body.signature.message, 'Hợp lệ');
    assert.equal(body.sha256, result.sha256);
    assert.equal(body.issuer.code, COMMUNE);
    assert.equal(body.signer.subject, 'CN=Ủy ban nhân dân phường Mỹ Tho, tỉnh Đồng Tháp, OU=000.00.51.H20, C=VN');
    assert.deepEqual(body.links, { page: `/verify/${result.id}`, document: `/verify/${result.id}/document.pdf`, signature: `/verify/${result.id}/signature.p7s` });
    assert.equal(body.file, undefined);

    const same = (await t.app.inject({ method: 'GET', url: `/api/v1/verify/${result.id}?sha256=${result.sha256.toUpperCase()}`, remoteAddress: '10.9.0.1' })).json();
    assert.equal(same.file.status, 'valid');
    const other = createHash('sha256').update(tamper(original)).digest('hex');
    const changed = (await t.app.inject({ method: 'GET', url: `/api/v1/verify/${result.id}?sha256=${other}`, remoteAddress: '10.9.0.1', headers: { 'accept-language': 'en' } })).json();
    assert.equal(changed.file.status, 'invalid');
    assert.equal(changed.file.reason, 'digest_mismatch');
    assert.match(changed.file.message, /^Không hợp lệ: Nội dung tệp khác với văn bản đã được ký/);

    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/verify/${result.id}?sha256=abc`, remoteAddress: '10.9.0.1' })).statusCode, 400);
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc', remoteAddress: '10.9.0.1' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
    const openapi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(openapi.paths['/api/v1/verify/{id}'], 'the route is in the OpenAPI document');
  });

  test('unknown codes answer 404; the search form sends a code to its page', async () => {
    const client = new WebClient(t.app);
    assert.equal((await client.get('/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc')).statusCode, 404);
    assert.equal((await client.get('/verify/khong-phai-ma')).statusCode, 404);
    assert.equal((await client.get('/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc/document.pdf')).statusCode, 404);
    const form = await client.get('/verify');
    assert.equal(form.statusCode, 200);
    assert.match(pageText(form.body), /Mã văn bản/);
    const found = await client.get(`/verify?ma=${result.id.toUpperCase()}`);
    assert.equal(found.statusCode, 303);
    assert.equal(found.headers.location, `/verify/${result.id}`);
    const bad = await client.get('/verify?ma=abc');
    assert.equal(bad.statusCode, 400);
    assert.match(pageText(bad.body), /Mã văn bản không đúng dạng/);
  });

  test('a document changed or lost in storage shows "Không hợp lệ" with the reason', async () => {
    const { dossierId } = await submittedDossier(t);
    const issued = await issue(t, deps, { dossierId, agencyId: await agencyIdOf(t, COMMUNE), title: 'Kết quả để thử sửa', pdf: samplePdf('to be altered'), issuedBy: await leaderId(t) });
    const file = path.join(t.config.dataDir, 'files', issued.sha256.slice(0, 2), issued.sha256.slice(2, 4), issued.sha256);
    const bytes = fs.readFileSync(file);
    const client = new WebClient(t.app);
    try {
      fs.writeFileSync(file, tamper(bytes));
      const changed = await client.get(`/verify/${issued.id}`);
      assert.match(pageText(changed.body), /Tình trạng chữ ký số\s+Không hợp lệ Nội dung tệp khác với văn bản đã được ký/);
      fs.rmSync(file);
      const lost = await client.get(`/verify/${issued.id}`);
      assert.match(pageText(lost.body), /Không hợp lệ Không tìm thấy văn bản đã ký trong kho lưu trữ\./);
      assert.equal((await client.get(`/verify/${issued.id}/document.pdf`)).statusCode, 404);
    } finally {
      fs.writeFileSync(file, bytes);
    }
    assert.match(pageText((await client.get(`/verify/${issued.id}`)).body), /Tình trạng chữ ký số\s+Hợp lệ/);
  });
});

describe('verification look-ups are rate-limited per client address', () => {
  test('past the limit a client gets 429; another address is still served', async () => {
    const limited = await createTestApp({ seed: false, env: { TRACK_LOOKUPS_PER_MINUTE: '2' } });
    try {
      const url = '/verify/0b8f6c3e-1d2a-4c5b-9e7f-123456789abc';
      const pages: number[] = [];
      for (let i = 0; i < 3; i += 1) pages.push((await limited.app.inject({ method: 'GET', url, remoteAddress: '10.8.1.1' })).statusCode);
      assert.deepEqual(pages, [404, 404, 429]);
      const api: number[] = [];
      for (let i = 0; i < 3; i += 1) api.push((await limited.app.inject({ method: 'GET', url: `/api/v1${url}`, remoteAddress: '10.8.1.1' })).statusCode);
      assert.deepEqual(api, [404, 404, 429]);
      assert.equal((await limited.app.inject({ method: 'GET', url, remoteAddress: '10.8.1.2' })).statusCode, 404);
    } finally {
      await limited.close();
    }
  });
});
