// The back office's pages as an officer's browser uses them, without JavaScript, on PGlite and on
// PostgreSQL: the inbox with its tabs and counts, the dossier page, the actions as real forms (the
// dossier version in each), a stale page (409) and a missing reason (422) coming back on the same
// page, the files and forms 01–05 (read back with pdftotext), and another commune's officer, who
// sees nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pdfText as readPdf } from '../../../test/helpers/pdf.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { api, birthRegistrationData, signedInCitizen, submitOnline } from '../../../test/helpers/dossier.js';
import { createOfficer, loginOfficer, pageText, pageTitle, type InjectResponse, type WebClient } from '../../../test/helpers/identity.js';

const A = '000.00.51.H20';
const B = '000.00.52.H20';
const PAGE_BUDGET = 60 * 1024;
const NAME = 'Nguyễn Thị Hồng Nhung';

let t: TestApp;
let citizen: Awaited<ReturnType<typeof signedInCitizen>>;
const officers = {} as Record<'reception' | 'specialist' | 'leader' | 'foreign', { client: WebClient; id: number; name: string }>;

before(async () => {
  t = await createTestApp();
  citizen = await signedInCitizen(t);
  const specs = { reception: ['reception', A, 'Lê Văn Tâm'], specialist: ['specialist', A, 'Trần Minh Khoa'], leader: ['leader', A, 'Phạm Văn Hùng'], foreign: ['reception', B, 'Đỗ Thị Hạnh'] } as const;
  for (const [key, [role, agencyCode, fullName]] of Object.entries(specs)) {
    const officer = await createOfficer(t.database.db, { email: `${key}.pages@dongthap.example.vn`, fullName, roles: [{ role, agencyCode }] });
    officers[key as keyof typeof officers] = { client: (await loginOfficer(t.app, t.database.db, officer)).client, id: officer.id, name: fullName };
  }
});
after(async () => {
  await t?.close();
});

/** A birth registration submitted online by the citizen to commune A, with its documents. */
async function submitted(): Promise<string> {
  return (await submitOnline(t.app, citizen, { procedureCode: '1.001193', agencyCode: A, data: birthRegistrationData({ applicantEmail: citizen.email }) })).code;
}

const href = (code: string) => `/quan-tri/ho-so/${encodeURIComponent(code)}`;

/** The version in the hidden field of the form that posts this action. */
function formVersion(html: string, code: string, action: string): string {
  const form = new RegExp(`<form method="post" action="${href(code).replace(/[.]/g, '\\.')}/${action}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1];
  assert.ok(form, `the page has a form for ${action}`);
  const version = /<input type="hidden" name="version" value="(\d+)"/.exec(form)?.[1];
  assert.ok(version, `the ${action} form carries the version`);
  return version;
}

async function status(code: string) {
  return t.database.db.selectFrom('dossier').select(['status', 'version']).where('code', '=', code).executeTakeFirstOrThrow();
}

/** The PDF's text laid out as on the page (pdftotext -layout), NFC. */
async function pdfText(response: InjectResponse): Promise<string> {
  assert.equal(response.statusCode, 200, response.body.slice(0, 300));
  assert.match(String(response.headers['content-type']), /^application\/pdf/);
  return readPdf(response.rawPayload);
}

describe('the back office pages', () => {
  test('reception finds the new dossier in its tab with the count, opens it, accepts it with the form; form 01 names the code and the applicant', async () => {
    const code = await submitted();
    const reception = officers.reception.client;
    const newAtA = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('dossier as d')
            .innerJoin('agency as a', 'a.id', 'd.agencyId')
            .where('a.code', '=', A)
            .where('d.status', '=', 'new')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    let r = await reception.get('/quan-tri/ho-so?tab=new');
    assert.equal(r.statusCode, 200);
    const count = await newAtA();
    assert.ok(count >= 1);
    let text = pageText(r.body);
    assert.ok(text.includes(`Mới tiếp nhận (${count})`), `the tab shows its count: ${text.slice(0, 600)}`);
    for (const tab of ['Được giao cho tôi', 'Chờ phê duyệt', 'Sắp đến hạn', 'Quá hạn', 'Tạm dừng', 'Chờ trả kết quả', 'Tất cả']) assert.match(text, new RegExp(`${tab} \\(\\d+\\)`), tab);
    assert.ok(r.body.includes(`<a href="${href(code)}">${code}</a>`), 'the code links to the dossier');
    assert.ok(text.includes(NAME) && text.includes('đăng ký khai sinh'), 'applicant and procedure in the row');
    assert.ok(r.body.length < PAGE_BUDGET, `the inbox is ${r.body.length} bytes`);

    // The procedure filter is kept in the address, and the tabs keep it.
    r = await reception.get('/quan-tri/ho-so?tab=new&procedure=1.001193');
    assert.equal(r.statusCode, 200);
    assert.ok(r.body.includes(`<a href="${href(code)}">`));
    assert.ok(r.body.includes('href="/quan-tri/ho-so?tab=overdue&amp;procedure=1.001193"'), 'tabs keep the filter');
    r = await reception.get('/quan-tri/ho-so?tab=new&procedure=1.004873');
    assert.ok(!r.body.includes(`<a href="${href(code)}">`), 'another procedure hides it');

    // The back-office home links to the inbox.
    assert.ok((await reception.get('/quan-tri')).body.includes('href="/quan-tri/ho-so"'));

    r = await reception.get(href(code));
    assert.equal(r.statusCode, 200);
    assert.ok(pageTitle(r.body).includes(code));
    text = pageText(r.body);
    for (const piece of [NAME, '087090001122', '0912345678', 'Đã nộp, chờ tiếp nhận', 'Trần Minh Khôi', '12 Lê Lợi', 'giay-to-', 'Diễn biến xử lý', 'Nộp hồ sơ', 'Tiếp nhận', 'Yêu cầu bổ sung', 'Từ chối tiếp nhận']) {
      assert.ok(text.includes(piece), `the dossier page shows ${piece}`);
    }
    assert.ok(!r.body.includes('/phieu/01'), 'no form 01 before acceptance');
    const version = formVersion(r.body, code, 'accept');

    r = await reception.postForm(`${href(code)}/accept`, { version });
    assert.equal(r.statusCode, 303, pageText(r.body).slice(0, 400));
    assert.equal(r.headers.location, `${href(code)}?da=accept`);
    r = await reception.get(String(r.headers.location));
    text = pageText(r.body);
    assert.ok(text.includes('Đã tiếp nhận'), 'the new status');
    assert.ok(text.includes('Đã thực hiện “Tiếp nhận”'), 'the banner');
    assert.ok(r.body.includes(`href="${href(code)}/phieu/01"`), 'the form-01 link');
    assert.equal((await status(code)).status, 'accepted');
    assert.equal((await reception.get('/quan-tri/ho-so?tab=new')).body.includes(`<a href="${href(code)}">`), false, 'it left the new tab');

    const pdf = await pdfText(await reception.get(`${href(code)}/phieu/01`));
    assert.ok(pdf.includes(code), pdf);
    assert.ok(pdf.includes(NAME), `the applicant's name with its diacritics:\n${pdf}`);
    assert.ok(pdf.includes('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ') && pdf.includes('Lê Văn Tâm'), 'form 01, signed by who accepted it');

    // Every inbox tab stays under the page budget.
    for (const tab of ['new', 'mine', 'approve', 'due_soon', 'overdue', 'paused', 'done', 'all']) {
      const page = await reception.get(`/quan-tri/ho-so?tab=${tab}`);
      assert.equal(page.statusCode, 200, tab);
      assert.ok(Buffer.byteLength(page.body) < PAGE_BUDGET, `${tab}: ${page.body.length} bytes`);
    }
  });

  test('a stale form answers 409 with the message and the dossier as it stands; a refused action too', async () => {
    const code = await submitted();
    const { reception, leader, specialist } = officers;
    assert.equal((await reception.client.postForm(`${href(code)}/accept`, { version: formVersion((await reception.client.get(href(code))).body, code, 'accept') })).statusCode, 303);
    // The leader's page in two tabs: the first assigns; the second, still showing the old version,
    // assigns again (an assignment that the new status would allow) and is told it is stale.
    const seen = formVersion((await leader.client.get(href(code))).body, code, 'assign');
    assert.equal((await leader.client.postForm(`${href(code)}/assign`, { version: seen, assignee: String(specialist.id) })).statusCode, 303);
    const before = await status(code);
    assert.equal(before.status, 'processing');

    let r = await leader.client.postForm(`${href(code)}/assign`, { version: seen, assignee: String(specialist.id) });
    assert.equal(r.statusCode, 409);
    assert.match(pageTitle(r.body), /^Lỗi: /);
    let text = pageText(r.body);
    assert.ok(text.includes('Hồ sơ vừa được cán bộ khác cập nhật nên thao tác “Phân công” chưa được thực hiện'), text.slice(0, 800));
    assert.ok(text.includes('Đang xử lý') && text.includes('Trần Minh Khoa'), 'the current state, with who holds it');
    assert.deepEqual(await status(code), before, 'nothing changed');
    assert.equal(formVersion(r.body, code, 'assign'), String(before.version), 'the forms carry the current version');
    const assignments = await t.database.db.selectFrom('dossierEvent as e').innerJoin('dossier as d', 'd.id', 'e.dossierId').select('e.action').where('d.code', '=', code).where('e.action', '=', 'assign').execute();
    assert.equal(assignments.length, 1, 'one assignment');

    // With the current version, an action the status does not allow: 409 in words.
    r = await reception.client.postForm(`${href(code)}/refuse`, { version: String(before.version), reason: 'Hồ sơ không thuộc thẩm quyền' });
    assert.equal(r.statusCode, 409);
    text = pageText(r.body);
    assert.ok(text.includes('Không thể thực hiện "Từ chối tiếp nhận" khi hồ sơ đang ở trạng thái Đang xử lý'), text.slice(0, 800));
    assert.deepEqual(await status(code), before);
  });

  test('a refusal without a reason answers 422 with the message and changes nothing; with one, form 03 carries it', async () => {
    const code = await submitted();
    const reception = officers.reception.client;
    const version = formVersion((await reception.get(href(code))).body, code, 'refuse');
    const before = await status(code);

    let r = await reception.postForm(`${href(code)}/refuse`, { version, reason: ' ' });
    assert.equal(r.statusCode, 422);
    assert.match(pageTitle(r.body), /^Lỗi: /);
    assert.ok(pageText(r.body).includes('Nhập lý do (từ 3 ký tự)'));
    assert.ok(r.body.includes('href="#f-refuse-reason"'), 'the summary links to the field');
    assert.ok(/<details open[^>]*><summary>Từ chối tiếp nhận<\/summary>/.test(r.body), 'the refusal form is open');
    assert.deepEqual(await status(code), before, 'nothing changed');
    const events = await t.database.db.selectFrom('dossierEvent as e').innerJoin('dossier as d', 'd.id', 'e.dossierId').select('e.action').where('d.code', '=', code).execute();
    assert.deepEqual(events.map((e) => e.action), ['submit']);

    const reason = 'Người yêu cầu không cư trú tại phường Mỹ Tho';
    r = await reception.postForm(`${href(code)}/refuse`, { version, reason });
    assert.equal(r.statusCode, 303);
    r = await reception.get(href(code));
    assert.ok(pageText(r.body).includes('Không được tiếp nhận'));
    assert.ok(pageText(r.body).includes(reason), 'the reason in the history');
    const pdf = await pdfText(await reception.get(`${href(code)}/phieu/03`));
    assert.ok(pdf.replace(/\s+/g, ' ').includes(reason), pdf);
    assert.equal((await reception.get(`${href(code)}/phieu/01`)).statusCode, 404, 'never accepted: no form 01');
  });

  test('supplementation with items, assignment from the list, forwarding, approval, return by post; forms 02 and 05', async () => {
    const asked = await submitted();
    const { reception, leader, specialist } = officers;
    let version = formVersion((await reception.client.get(href(asked))).body, asked, 'request_supplement');
    let r = await reception.client.postForm(`${href(asked)}/request_supplement`, { version });
    assert.equal(r.statusCode, 422);
    assert.ok(pageText(r.body).includes('Nêu từng giấy tờ cần bổ sung'));
    r = await reception.client.postForm(`${href(asked)}/request_supplement`, { version, 'items.0.item': 'Giấy chứng sinh', 'items.0.reason': 'Bản chụp mờ, không đọc được số' });
    assert.equal(r.statusCode, 303);
    const form02 = await pdfText(await reception.client.get(`${href(asked)}/phieu/02`));
    assert.ok(form02.includes('Giấy chứng sinh') && form02.includes('Bản chụp mờ'), form02);

    const code = await submitted();
    version = formVersion((await reception.client.get(href(code))).body, code, 'accept');
    assert.equal((await reception.client.postForm(`${href(code)}/accept`, { version })).statusCode, 303);
    let page = await leader.client.get(href(code));
    assert.ok(page.body.includes(`<option value="${specialist.id}">${specialist.name}</option>`), 'the specialists to choose from');
    version = formVersion(page.body, code, 'assign');
    assert.equal((await leader.client.postForm(`${href(code)}/assign`, { version })).statusCode, 422);
    assert.equal((await leader.client.postForm(`${href(code)}/assign`, { version, assignee: String(specialist.id) })).statusCode, 303);
    assert.ok((await specialist.client.get('/quan-tri/ho-so?tab=mine')).body.includes(`<a href="${href(code)}">`), 'in the specialist’s own tab');
    page = await specialist.client.get(href(code));
    assert.equal((await specialist.client.postForm(`${href(code)}/forward`, { version: formVersion(page.body, code, 'forward') })).statusCode, 303);
    assert.ok((await leader.client.get('/quan-tri/ho-so?tab=approve')).body.includes(`<a href="${href(code)}">`), 'in the approval tab');
    page = await leader.client.get(href(code));
    assert.equal((await leader.client.postForm(`${href(code)}/approve`, { version: formVersion(page.body, code, 'approve') })).statusCode, 303);
    page = await reception.client.get(href(code));
    assert.ok(page.body.includes('name="delivery" type="radio" value="post"'), 'the return asks how');
    assert.equal((await reception.client.postForm(`${href(code)}/return_result`, { version: formVersion(page.body, code, 'return_result'), delivery: 'post', shipmentReference: 'EB123456789VN' })).statusCode, 303);
    page = await reception.client.get(href(code));
    assert.ok(pageText(page.body).includes('Đã trả kết quả'));
    assert.ok(pageText(page.body).includes('Trả kết quả: Qua dịch vụ bưu chính'));

    const slip = await pdfText(await reception.client.get(`${href(code)}/phieu/05`));
    for (const piece of ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', 'Tiếp nhận hồ sơ', 'Thẩm định, xử lý', 'Phê duyệt, ký', 'Trả kết quả', `Giao: ${NAME}`, 'Nhận: Lê Văn Tâm', 'Giao: Phạm Văn Hùng', 'Nhận: Trần Minh Khoa']) {
      assert.ok(slip.includes(piece), `the slip has ${piece}:\n${slip}`);
    }
    assert.match(slip, /Sớm hạn|Đúng hạn/);
    assert.doesNotMatch(slip, /Đang xử lý/, 'a returned dossier has no pending step');
  });

  test('another commune’s officer, a citizen and an officer without a dossier role get 404; files download for the agency', async () => {
    const code = await submitted();
    const { reception, foreign } = officers;
    const version = formVersion((await reception.client.get(href(code))).body, code, 'accept');
    assert.equal((await reception.client.postForm(`${href(code)}/accept`, { version })).statusCode, 303);
    const attachment = await t.database.db
      .selectFrom('dossierAttachment as a')
      .innerJoin('dossier as d', 'd.id', 'a.dossierId')
      .select(['a.id', 'a.fileName'])
      .where('d.code', '=', code)
      .executeTakeFirstOrThrow();

    const file = await reception.client.get(`${href(code)}/tep/${attachment.id}`);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename\*=UTF-8''/);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.ok(file.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
    assert.ok(pageText((await reception.client.get(href(code))).body).includes(attachment.fileName));

    for (const url of [href(code), `${href(code)}/tep/${attachment.id}`, `${href(code)}/phieu/01`, `${href(code)}/phieu/05`]) {
      assert.equal((await foreign.client.get(url)).statusCode, 404, `foreign ${url}`);
      assert.equal((await citizen.client.get(url)).statusCode, 404, `citizen ${url}`);
    }
    assert.equal((await foreign.client.postForm(`${href(code)}/assign`, { version: '99' })).statusCode, 404);
    assert.ok(!(await foreign.client.get('/quan-tri/ho-so?tab=all')).body.includes(code), 'not in the other commune’s inbox');
    assert.equal((await citizen.client.get('/quan-tri/ho-so')).statusCode, 404);
    assert.equal((await reception.client.get(`${href(code)}/tep/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)).statusCode, 404);
    assert.equal((await reception.client.get(`${href(code)}/phieu/06`)).statusCode, 404);
    assert.equal((await reception.client.get(`${href(code)}/phieu/04`)).statusCode, 404, 'no apology, no form 04');
  });
});
