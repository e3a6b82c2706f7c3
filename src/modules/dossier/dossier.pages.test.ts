// The applying-online pages without JavaScript: real forms and server round trips, as a cheap
// phone with scripts off would use them. Each step saves the draft; errors come back on the same
// page with the summary; the upload form works as a plain multipart form; pages stay small.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { multipart, signedInCitizen } from '../../../test/helpers/dossier.js';
import { sampleExe, samplePdf } from '../../../test/helpers/files.js';
import { pageText, pageTitle, WebClient } from '../../../test/helpers/identity.js';

const PROCEDURE = '1.001193';
const AGENCY = '000.00.51.H20';
const PAGE_BUDGET = 60 * 1024;

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t?.close());

const address = (prefix: string) => ({ [`${prefix}.provinceCode`]: '82', [`${prefix}.communeCode`]: '28261', [`${prefix}.street`]: '12 Lê Lợi' });

/** The upload form's action carries the CSRF token (the body is a stream). */
async function uploadThroughPage(client: WebClient, id: string, slot: number, filename: string, content: Buffer) {
  const page = await client.get(`/ho-so/${id}/giay-to`);
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
  assert.ok(action, 'the documents page has an upload form');
  const body = multipart({ slot: String(slot) }, { name: 'file', filename, content });
  return t.app.inject({ method: 'POST', url: action, headers: { cookie: client.cookieHeader(), 'content-type': body.contentType }, payload: body.payload, remoteAddress: client.ip });
}

describe('applying online, page by page', () => {
  test('start → steps with an error → documents → check → submit → confirmation → tracking, under the page budget', async () => {
    const me = await signedInCitizen(t);
    const { client } = me;
    // Nobody signed in is sent to log in and brought back.
    const anonymous = await new WebClient(t.app).get(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`);
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, `/dang-nhap?next=${encodeURIComponent(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`)}`);

    const start = await client.get(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`);
    assert.equal(start.statusCode, 200);
    const created = await client.postForm(`/thu-tuc/${PROCEDURE}/nop-truc-tuyen`);
    assert.equal(created.statusCode, 303);
    const id = /\/ho-so\/([0-9a-f-]{36})\/buoc\/1$/.exec(String(created.headers.location))?.[1];
    assert.ok(id, String(created.headers.location));

    // Step 1: the agency. Without a choice, the error comes back on the page.
    let r = await client.postForm(`/ho-so/${id}/buoc/1`, {});
    assert.equal(r.statusCode, 422);
    assert.match(pageTitle(r.body), /^Lỗi: /);
    assert.ok(pageText(r.body).includes('Chọn cơ quan tiếp nhận hồ sơ'));
    r = await client.postForm(`/ho-so/${id}/buoc/1`, { agencyCode: AGENCY });
    assert.equal(r.headers.location, `/ho-so/${id}/buoc/2`);

    // Step 2: the applicant, pre-filled from the profile; a malformed CCCD first.
    r = await client.get(`/ho-so/${id}/buoc/2`);
    assert.ok(r.body.includes(`value="${me.idNumber}"`), 'the CCCD comes from the profile');
    assert.ok(r.body.length < PAGE_BUDGET, `step 2 is ${r.body.length} bytes`);
    const applicant = { 'f.applicantName': 'Nguyễn Thị Hồng Nhung', 'f.applicantIdNumber': '12345', 'f.applicantPhone': me.phone, 'f.applicantEmail': me.email, ...address('f.applicantAddress'), 'f.relationshipToChild': 'me' };
    r = await client.postForm(`/ho-so/${id}/buoc/2`, applicant);
    assert.equal(r.statusCode, 422);
    assert.match(pageTitle(r.body), /^Lỗi: /);
    assert.ok(r.body.includes('href="#f-applicantIdNumber"'), 'the summary links to the field');
    assert.ok(pageText(r.body).includes('Gồm 12 chữ số'));
    // Nothing typed is lost: the draft holds the answers, the wrong one included.
    const saved = await t.database.db.selectFrom('dossier').select('data').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal((saved.data as Record<string, unknown>).applicantIdNumber, '12345');
    r = await client.postForm(`/ho-so/${id}/buoc/2`, { ...applicant, 'f.applicantIdNumber': me.idNumber });
    assert.equal(r.headers.location, `/ho-so/${id}/buoc/3`);
    r = await client.postForm(`/ho-so/${id}/buoc/3`, {
      'f.childFullName': 'Trần Minh Khôi',
      'f.childDateOfBirth.day': '20',
      'f.childDateOfBirth.month': '11',
      'f.childDateOfBirth.year': '2026',
      'f.childSex': 'nam',
      'f.childPlaceOfBirth': 'Bệnh viện Đa khoa tỉnh Đồng Tháp',
      'f.childEthnicity': 'Kinh',
      'f.childNationality': 'Việt Nam',
    });
    assert.equal(r.headers.location, `/ho-so/${id}/buoc/4`);
    r = await client.get(`/ho-so/${id}/buoc/4`);
    assert.ok(r.body.length < PAGE_BUDGET, `step 4 (two address pickers) is ${r.body.length} bytes`);
    r = await client.postForm(`/ho-so/${id}/buoc/4`, {
      'f.motherFullName': 'Nguyễn Thị Hồng Nhung',
      'f.motherDateOfBirth.day': '02',
      'f.motherDateOfBirth.month': '04',
      'f.motherDateOfBirth.year': '1995',
      'f.motherEthnicity': 'Kinh',
      'f.motherNationality': 'Việt Nam',
      'f.motherIdNumber': me.idNumber,
      ...address('f.motherResidence'),
    });
    assert.equal(r.headers.location, `/ho-so/${id}/buoc/5`);
    r = await client.postForm(`/ho-so/${id}/buoc/5`, { 'f.numberOfCopies': '1' });
    assert.equal(r.headers.location, `/ho-so/${id}/giay-to`);

    // The check page names the missing document and links to where it is fixed.
    r = await client.get(`/ho-so/${id}/kiem-tra`);
    assert.ok(r.body.includes(`href="/ho-so/${id}/giay-to#f-slot-1"`), 'the missing document links to its upload field');

    // An upload without the form's token (a forged cross-site form) is refused.
    const forged = multipart({ slot: '1' }, { name: 'file', filename: 'x.pdf', content: samplePdf() });
    r = await t.app.inject({ method: 'POST', url: `/ho-so/${id}/giay-to`, headers: { cookie: client.cookieHeader(), 'content-type': forged.contentType }, payload: forged.payload, remoteAddress: client.ip });
    assert.equal(r.statusCode, 403);
    // Documents: a renamed executable is refused on the page; a PDF is taken.
    r = await uploadThroughPage(client, id, 1, 'giay-chung-sinh.pdf', sampleExe());
    assert.equal(r.statusCode, 415);
    assert.ok(pageText(r.body).includes('Tệp không đúng định dạng cho phép'));
    assert.ok(r.body.includes('href="#f-slot-1"') && r.body.includes('id="f-slot-1"'), 'the error links to the upload field');
    r = await uploadThroughPage(client, id, 1, 'giay-chung-sinh.pdf', samplePdf());
    assert.equal(r.statusCode, 303);
    r = await client.get(`/ho-so/${id}/giay-to`);
    assert.ok(pageText(r.body).includes('giay-chung-sinh.pdf'));

    // Check your answers, then submit (email only).
    r = await client.get(`/ho-so/${id}/kiem-tra`);
    assert.equal(r.statusCode, 200);
    assert.ok(pageText(r.body).includes('Trần Minh Khôi'));
    assert.ok(pageText(r.body).includes('12 Lê Lợi, Phường Mỹ Tho, Tỉnh Đồng Tháp'));
    const submitKey = /name="submitKey" value="([^"]+)"/.exec(r.body)?.[1] ?? '';
    assert.ok(pageText(r.body).includes('Qua dịch vụ bưu chính công ích'), 'the result can be asked for by post');
    // By post: the address is checked as the form's fields are; a missing phone stores nothing.
    const posted = { submitKey, notifyEmail: 'yes', delivery: 'post', 'f.resultPost.recipient': 'Nguyễn Thị Hồng Nhung', ...address('f.resultPost.address') };
    r = await client.postForm(`/ho-so/${id}/nop`, posted);
    assert.equal(r.statusCode, 422);
    assert.ok(r.body.includes('href="#f-resultPost-phone"') && pageText(r.body).includes('Số điện thoại người nhận'), 'the summary names the phone');
    assert.ok(r.body.includes('value="Nguyễn Thị Hồng Nhung"'), 'what was typed is kept');
    let stored = await t.database.db.selectFrom('dossier').select(['status', 'resultDelivery', 'resultPostAddress']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { status: 'draft', resultDelivery: null, resultPostAddress: null });
    r = await client.postForm(`/ho-so/${id}/nop`, { ...posted, 'f.resultPost.phone': '0912345678' });
    assert.equal(r.statusCode, 303);
    stored = await t.database.db.selectFrom('dossier').select(['status', 'resultDelivery', 'resultPostAddress']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { status: 'new', resultDelivery: 'post', resultPostAddress: { recipient: 'Nguyễn Thị Hồng Nhung', phone: '0912345678', provinceCode: '82', communeCode: '28261', street: '12 Lê Lợi' } });
    r = await client.postForm(`/ho-so/${id}/nop`, { submitKey, notifyEmail: 'yes' });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, `/ho-so/${id}/da-nop`);
    // The same form sent again (a double click) makes no second dossier.
    r = await client.postForm(`/ho-so/${id}/nop`, { submitKey, notifyEmail: 'yes' });
    assert.equal(r.headers.location, `/ho-so/${id}/da-nop`);
    assert.equal(Number((await t.database.db.selectFrom('dossier').select((eb) => eb.fn.countAll<string>().as('n')).where('ownerAccountId', '=', me.accountId).executeTakeFirstOrThrow()).n), 1);

    r = await client.get(`/ho-so/${id}/da-nop`);
    const code = /class="dossier-code">([^<]+)</.exec(r.body)?.[1];
    assert.match(code ?? '', /^000\.00\.51\.H20-\d{6}-\d{4}$/);
    assert.ok(r.body.includes(`/ho-so/${id}/xac-nhan.pdf`));
    assert.ok(r.body.length < PAGE_BUDGET);

    // Tracking by anyone: the status in words, no personal data; with the phone, the name.
    const stranger = new WebClient(t.app);
    r = await stranger.get(`/tra-cuu/${code}`);
    assert.equal(r.statusCode, 200);
    assert.ok(pageText(r.body).includes('Đã nộp, chờ tiếp nhận'));
    assert.ok(!pageText(r.body).includes('Nguyễn Thị Hồng Nhung'));
    r = await stranger.postForm(`/tra-cuu/${code}`, { proof: '0900000000' });
    assert.equal(r.statusCode, 400);
    assert.ok(!pageText(r.body).includes('Nguyễn Thị Hồng Nhung'));
    r = await stranger.postForm(`/tra-cuu/${code}`, { proof: me.phone });
    assert.equal(r.statusCode, 200);
    assert.ok(pageText(r.body).includes('Nguyễn Thị Hồng Nhung'));
    r = await stranger.get('/tra-cuu?ma=000.00.51.H20-000101-9999');
    assert.equal(r.statusCode, 303);
    r = await stranger.get(String(r.headers.location));
    assert.equal(r.statusCode, 404);
    assert.ok(pageText(r.body).includes('Không tìm thấy hồ sơ'));

    // My dossiers lists it; withdrawal needs a reason, then works once.
    r = await client.get('/ho-so');
    assert.ok(pageText(r.body).includes(code!));
    r = await client.postForm(`/ho-so/${id}/rut`, { reason: '' });
    assert.equal(r.statusCode, 400);
    assert.ok(pageText(r.body).includes('Nhập lý do rút hồ sơ'));
    r = await client.postForm(`/ho-so/${id}/rut`, { reason: 'Nộp nhầm thủ tục' });
    assert.equal(r.statusCode, 303);
    r = await client.get(`/ho-so/${id}`);
    assert.ok(pageText(r.body).includes('Đã rút hồ sơ'));
  });

  test('a repeating group adds and removes rows with plain buttons, and keeps what was typed', async () => {
    const withGroup = await t.database.db
      .selectFrom('procedure')
      .select(['code', 'formSchema'])
      .where('status', '=', 'published')
      .execute()
      .then((rows) => rows.find((p) => Object.values((p.formSchema as { properties: Record<string, { type?: string }> }).properties).some((f) => f.type === 'array')));
    assert.ok(withGroup, 'the demo catalogue has a form with a repeating group');
    const schema = withGroup.formSchema as { properties: Record<string, { type?: string; items?: { properties: Record<string, { type?: string }> } }>; 'x-steps'?: { fields: string[] }[] };
    const [group, groupSchema] = Object.entries(schema.properties).find(([, f]) => f.type === 'array')!;
    const child = Object.entries(groupSchema.items!.properties).find(([, f]) => f.type === 'string')![0];
    const me = await signedInCitizen(t);
    const created = await me.client.postForm(`/thu-tuc/${withGroup.code}/nop-truc-tuyen`);
    const id = /\/ho-so\/([0-9a-f-]{36})\//.exec(String(created.headers.location))![1]!;
    // Find the page of the group's step.
    let n = 1;
    let page = await me.client.get(`/ho-so/${id}/buoc/${n}`);
    while (!page.body.includes(`name="f.${group}.0.${child}"`) && n < 10) page = await me.client.get(`/ho-so/${id}/buoc/${++n}`);
    assert.ok(page.body.includes(`value="add:${group}"`), 'an add button');
    let r = await me.client.postForm(`/ho-so/${id}/buoc/${n}`, { [`f.${group}.0.${child}`]: 'Dòng một', action: `add:${group}` });
    assert.equal(r.statusCode, 200);
    assert.ok(r.body.includes(`name="f.${group}.1.${child}"`), 'a second row');
    assert.ok(r.body.includes('value="Dòng một"'), 'the first row is kept');
    r = await me.client.postForm(`/ho-so/${id}/buoc/${n}`, { [`f.${group}.0.${child}`]: 'Dòng một', [`f.${group}.1.${child}`]: 'Dòng hai', action: `remove:${group}:0` });
    assert.ok(r.body.includes('value="Dòng hai"') && !r.body.includes('value="Dòng một"'), 'the first row is removed');
  });
});
