// The reception desk's walk-in page as an officer's browser uses it, without JavaScript, on PGlite
// and on PostgreSQL: a dossier handed in at the desk (or by post) is entered through the form,
// gets its code in status "Mới", and takes its scans on the dossier page through plain multipart
// forms. Every mistake comes back on the same page with its message and leaves nothing stored; an
// officer who does not receive gets 404, and nobody signed in goes to log in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { multipart } from '../../../test/helpers/dossier.js';
import { sampleExe, samplePdf } from '../../../test/helpers/files.js';
import { createOfficer, decodeHtml, loginOfficer, pageText, pageTitle, WebClient, type InjectResponse } from '../../../test/helpers/identity.js';

const A = '000.00.51.H20';
const B = '000.00.52.H20';
/** A provincial department: it receives other procedures than the communes. */
const DEPARTMENT = '000.00.10.H20';
/** Marital status certificate: received by every commune; its declaration form comes on paper. */
const PROCEDURE = '1.004873';
const WALK_IN = '/quan-tri/ho-so/tiep-nhan';
const APPLICANT = { 'applicant.name': 'Võ Thị Lan', 'applicant.idNumber': '087190007788', 'applicant.phone': '0909 123 456', 'applicant.email': 'lan.vo@example.vn' };

let t: TestApp;
const officers = {} as Record<'reception' | 'specialist' | 'foreign' | 'several', { client: WebClient; id: number }>;

before(async () => {
  // A 1 MB upload limit, so that the "too large" case stays small.
  t = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
  const specs = {
    reception: [{ role: 'reception', agencyCode: A }],
    specialist: [{ role: 'specialist', agencyCode: A }],
    foreign: [{ role: 'reception', agencyCode: B }],
    several: [
      { role: 'reception', agencyCode: A },
      { role: 'reception', agencyCode: B },
      { role: 'reception', agencyCode: DEPARTMENT },
    ],
  } as const;
  for (const [key, roles] of Object.entries(specs)) {
    const officer = await createOfficer(t.database.db, { email: `${key}.walkin@dongthap.example.vn`, roles: [...roles] });
    officers[key as keyof typeof officers] = { client: (await loginOfficer(t.app, t.database.db, officer)).client, id: officer.id };
  }
});
after(async () => {
  await t?.close();
});

async function count(table: 'dossier' | 'dossierAttachment' | 'storedFile'): Promise<number> {
  return Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
}

/** Posts the walk-in form as the browser does after reading it (its CSRF field). */
async function receive(client: WebClient, fields: Record<string, string>): Promise<InjectResponse> {
  const { csrf } = await client.getForm(WALK_IN);
  return client.postForm(WALK_IN, fields, { csrf });
}

/** The code the successful form redirected to; the redirect lands on the scans. */
function codeOf(response: InjectResponse): string {
  assert.equal(response.statusCode, 303, pageText(response.body).slice(0, 400));
  const m = /^\/quan-tri\/ho-so\/([^?#]+)\?da=tiep-nhan#ban-quet$/.exec(String(response.headers.location));
  assert.ok(m, `redirected to the dossier page: ${response.headers.location}`);
  return decodeURIComponent(m[1]!);
}

const dossierPath = (code: string) => `/quan-tri/ho-so/${encodeURIComponent(code)}`;

/** Uploads through the dossier page's form for a slot (its action carries the CSRF token). */
async function uploadScan(client: WebClient, code: string, slot: number, file: { filename: string; content: Buffer } | null): Promise<InjectResponse> {
  const page = await client.get(dossierPath(code));
  assert.equal(page.statusCode, 200);
  const forms = [...page.body.matchAll(/<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="slot" value="(\d+)"/g)];
  const action = forms.find((m) => m[2] === String(slot))?.[1];
  assert.ok(action, `the dossier page has a scan form for slot ${slot}`);
  // A browser sends an empty file part when nothing was chosen.
  const body = multipart({ slot: String(slot) }, file ? { name: 'file', filename: file.filename, content: file.content, type: 'application/pdf' } : { name: 'file', filename: '', content: Buffer.alloc(0) });
  return t.app.inject({ method: 'POST', url: decodeHtml(action), headers: { cookie: client.cookieHeader(), 'content-type': body.contentType }, payload: body.payload, remoteAddress: client.ip });
}

async function attachmentsOf(code: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('dossierAttachment as f')
    .innerJoin('dossier as d', 'd.id', 'f.dossierId')
    .where('d.code', '=', code)
    .select('f.fileName')
    .execute();
  return rows.map((r) => r.fileName);
}

describe('the walk-in reception page', () => {
  test('reception enters a postal dossier through the form; it has its code in status "Mới"; a scanned PDF is added and listed', async () => {
    const reception = officers.reception.client;
    // Reached from the inbox and from the back-office home.
    assert.ok((await reception.get('/quan-tri/ho-so')).body.includes(`href="${WALK_IN}"`), 'the inbox links to the walk-in page');
    assert.ok((await reception.get('/quan-tri')).body.includes(`href="${WALK_IN}"`), 'the home links to the walk-in page');

    const form = await reception.get(WALK_IN);
    assert.equal(form.statusCode, 200);
    assert.equal(pageTitle(form.body), 'Tiếp nhận hồ sơ trực tiếp – MộtCửa');
    assert.ok(form.body.includes(`<option value="${PROCEDURE}"`), 'the procedure is offered');
    assert.ok(!form.body.includes('<option value="1.013831"') && !form.body.includes('<option value="DT.005"'), 'a department’s own procedures are not offered at a commune');
    assert.ok(/<optgroup label="[^"]+"/.test(form.body), 'procedures are grouped by field');
    assert.ok(!form.body.includes('name="agencyCode"'), 'one agency: nothing to choose');
    assert.match(form.body, /<input class="radios__input" id="f-channel" name="channel" type="radio" value="1" checked/);
    assert.ok(pageText(form.body).includes('Qua dịch vụ bưu chính công ích'));
    assert.ok(!/<script/i.test(form.body), 'no script');

    const dossiers = await count('dossier');
    const code = codeOf(await receive(reception, { procedureCode: PROCEDURE, channel: '3', ...APPLICANT }));
    assert.match(code, /^000\.00\.51\.H20-\d{6}-\d{4}$/);
    assert.equal(await count('dossier'), dossiers + 1);
    const row = await t.database.db
      .selectFrom('dossier')
      .select(['status', 'channel', 'applicantName', 'applicantPhone', 'applicantIdNumber', 'receivedBy'])
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'new', channel: 3, applicantName: 'Võ Thị Lan', applicantPhone: '0909123456', applicantIdNumber: '087190007788', receivedBy: officers.reception.id });

    let page = await reception.get(`${dossierPath(code)}?da=tiep-nhan`);
    assert.equal(page.statusCode, 200);
    let text = pageText(page.body);
    assert.ok(text.includes(code), 'the code');
    // Status 1 ("new"), in the words the product uses for it.
    assert.match(page.body, /<dt>Trạng thái<\/dt><dd><strong class="tag[^"]*">Đã nộp, chờ tiếp nhận<\/strong><\/dd>/, 'the status');
    assert.ok(text.includes(`Đã nhập hồ sơ ${code} (trạng thái: Đã nộp, chờ tiếp nhận)`), 'the banner');
    assert.ok(text.includes('Qua bưu chính'), 'the channel');
    assert.ok(text.includes('Võ Thị Lan'));
    assert.ok(page.body.includes('id="ban-quet"') && text.includes('Thêm bản quét'));
    assert.ok(text.includes('Tờ khai cấp Giấy xác nhận tình trạng hôn nhân'), 'the declaration form has a slot: it came on paper');

    const r = await uploadScan(reception, code, 0, { filename: 'to-khai-scan.pdf', content: samplePdf('to khai') });
    assert.equal(r.statusCode, 303, pageText(r.body).slice(0, 400));
    assert.equal(r.headers.location, `${dossierPath(code)}?da=ban-quet#ban-quet`);
    assert.deepEqual(await attachmentsOf(code), ['to-khai-scan.pdf']);
    page = await reception.get(`${dossierPath(code)}?da=ban-quet`);
    text = pageText(page.body);
    assert.ok(text.includes('to-khai-scan.pdf'), 'the scan is listed');
    assert.ok(text.includes('Đã thêm bản quét vào hồ sơ.'));
  });

  test('a renamed executable (415), a file too large (413) and no file (400) come back on the dossier page with the message; nothing is stored', async () => {
    const reception = officers.reception.client;
    const code = codeOf(await receive(reception, { procedureCode: PROCEDURE, channel: '1', 'applicant.name': 'Trần Văn Bình' }));
    const files = await count('storedFile');
    const attachments = await count('dossierAttachment');

    let r = await uploadScan(reception, code, 0, { filename: 'to-khai.pdf', content: sampleExe() });
    assert.equal(r.statusCode, 415);
    assert.match(pageTitle(r.body), /^Lỗi: /);
    let text = pageText(r.body);
    assert.ok(text.includes('Tệp không đúng định dạng cho phép. Chỉ nhận: PDF, JPEG, PNG, DOCX, XLSX.'), text.slice(0, 600));
    assert.ok(r.body.includes('href="#f-scan-0"') && r.body.includes('id="f-scan-0"'), 'the summary links to the slot’s upload field');
    assert.ok(text.includes(code) && text.includes('Trần Văn Bình'), 'the dossier page itself');

    r = await uploadScan(reception, code, 0, { filename: 'to-khai.pdf', content: Buffer.concat([samplePdf(), Buffer.alloc(1024 * 1024 + 10, 32)]) });
    assert.equal(r.statusCode, 413);
    assert.ok(pageText(r.body).includes('Tệp quá lớn. Dung lượng tối đa là 1 MB.'));

    r = await uploadScan(reception, code, 1, null);
    assert.equal(r.statusCode, 400);
    text = pageText(r.body);
    assert.ok(text.includes('Chọn tệp để tải lên'));
    assert.ok(r.body.includes('href="#f-scan-1"'));

    assert.equal(await count('storedFile'), files);
    assert.equal(await count('dossierAttachment'), attachments);
    assert.deepEqual(await attachmentsOf(code), []);
  });

  test('a missing name, a bad phone and a bad CCCD → 422 with each message beside its field; no dossier is created', async () => {
    const reception = officers.reception.client;
    const dossiers = await count('dossier');
    let r = await receive(reception, { procedureCode: PROCEDURE, channel: '1', 'applicant.name': '', 'applicant.phone': '12345', 'applicant.idNumber': '0871900077', 'applicant.email': 'lan@' });
    assert.equal(r.statusCode, 422);
    assert.match(pageTitle(r.body), /^Lỗi: Tiếp nhận hồ sơ trực tiếp/);
    const text = pageText(r.body);
    for (const message of ['Nhập họ và tên người nộp (3–200 ký tự)', 'Số điện thoại gồm 10 chữ số, bắt đầu bằng 0', 'Số CCCD gồm 12 chữ số', 'Nhập địa chỉ thư điện tử đúng dạng']) {
      assert.ok(text.includes(message), message);
    }
    assert.ok(r.body.includes('class="error-summary"'));
    for (const field of ['applicant-name', 'applicant-phone', 'applicant-idNumber', 'applicant-email']) {
      assert.ok(r.body.includes(`href="#f-${field}"`) && r.body.includes(`id="f-${field}-error"`), field);
    }
    assert.ok(r.body.includes('value="12345"') && r.body.includes(`<option value="${PROCEDURE}" selected`), 'what was typed is kept');

    // No procedure, or one the commune does not receive.
    r = await receive(reception, { channel: '1', ...APPLICANT });
    assert.equal(r.statusCode, 422);
    assert.ok(pageText(r.body).includes('Chọn thủ tục hành chính của hồ sơ'));
    r = await receive(reception, { procedureCode: 'DT.005', channel: '1', ...APPLICANT });
    assert.equal(r.statusCode, 422);
    assert.ok(pageText(r.body).includes('Bạn không tiếp nhận thủ tục này'));
    r = await receive(reception, { procedureCode: PROCEDURE, channel: '2', ...APPLICANT });
    assert.equal(r.statusCode, 422, 'online is not a desk channel');
    assert.ok(pageText(r.body).includes('Chọn hình thức nộp hồ sơ'));
    assert.equal(await count('dossier'), dossiers, 'nothing stored');
  });

  test('an officer covering several agencies chooses the receiving one; a pair that does not fit is refused; one that fits alone is taken', async () => {
    const several = officers.several.client;
    const form = await several.get(WALK_IN);
    assert.ok(form.body.includes('name="agencyCode"'), 'several agencies: the officer chooses');
    for (const code of [A, B, DEPARTMENT]) assert.ok(form.body.includes(`<option value="${code}"`), code);
    assert.ok(!form.body.includes('<option value="DT.005"'), 'DT.005 is another department’s');
    assert.ok(form.body.includes('<option value="1.013831"'), 'the department’s procedure');

    const dossiers = await count('dossier');
    let r = await receive(several, { procedureCode: PROCEDURE, channel: '1', ...APPLICANT });
    assert.equal(r.statusCode, 422);
    assert.ok(pageText(r.body).includes('Thủ tục này do nhiều cơ quan bạn phụ trách tiếp nhận'));
    r = await receive(several, { procedureCode: PROCEDURE, agencyCode: DEPARTMENT, channel: '1', ...APPLICANT, 'applicant.phone': '0' });
    assert.equal(r.statusCode, 422);
    const text = pageText(r.body);
    assert.ok(text.includes('Cơ quan đã chọn không tiếp nhận thủ tục này') && text.includes('Số điện thoại gồm 10 chữ số'), 'every problem at once');
    assert.equal(await count('dossier'), dossiers, 'nothing stored');

    assert.match(codeOf(await receive(several, { procedureCode: PROCEDURE, agencyCode: B, channel: '1', ...APPLICANT })), /^000\.00\.52\.H20-/);
    assert.match(codeOf(await receive(several, { procedureCode: '1.013831', channel: '3', ...APPLICANT })), /^000\.00\.10\.H20-/, 'only the department receives it');
  });

  test('a specialist (no dossier.receive) gets 404; another commune’s reception cannot add scans; nobody signed in goes to log in', async () => {
    const reception = officers.reception.client;
    const code = codeOf(await receive(reception, { procedureCode: PROCEDURE, channel: '1', ...APPLICANT }));
    const specialist = officers.specialist.client;
    const dossiers = await count('dossier');
    assert.equal((await specialist.get(WALK_IN)).statusCode, 404);
    assert.equal((await specialist.postForm(WALK_IN, { procedureCode: PROCEDURE, channel: '1', ...APPLICANT })).statusCode, 404);
    assert.equal(await count('dossier'), dossiers);
    assert.ok(!(await specialist.get('/quan-tri/ho-so')).body.includes(`href="${WALK_IN}"`), 'no link for those who do not receive');
    const page = await specialist.get(dossierPath(code));
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('id="ban-quet"'), 'no scan form for a specialist');

    // The scan route itself, with a valid token from the specialist's own session.
    const csrf = await specialist.ensureCsrf();
    const body = multipart({ slot: '0' }, { name: 'file', filename: 'x.pdf', content: samplePdf() });
    const post = (client: WebClient, token: string) =>
      t.app.inject({ method: 'POST', url: `${dossierPath(code)}/ban-quet?_csrf=${encodeURIComponent(token)}`, headers: { cookie: client.cookieHeader(), 'content-type': body.contentType }, payload: body.payload, remoteAddress: client.ip });
    assert.equal((await post(specialist, csrf)).statusCode, 404);
    const foreign = officers.foreign.client;
    assert.equal((await post(foreign, await foreign.ensureCsrf())).statusCode, 404, 'another commune’s dossier');
    assert.deepEqual(await attachmentsOf(code), []);

    const anonymous = new WebClient(t.app);
    const r = await anonymous.get(WALK_IN);
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/dang-nhap');
    assert.equal((await anonymous.postForm(WALK_IN, { procedureCode: PROCEDURE, channel: '1', ...APPLICANT })).headers.location, '/dang-nhap');
    assert.equal(await count('dossier'), dossiers);
  });

  test('in English, the page and its messages are translated', async () => {
    const reception = officers.reception.client;
    const r = await reception.get(`${WALK_IN}?lang=en`);
    assert.equal(r.statusCode, 200);
    const text = pageText(r.body);
    assert.ok(text.includes('Receive a dossier at the desk') && text.includes('By public post'), text.slice(0, 300));
  });
});
