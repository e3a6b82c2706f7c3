// The one-stop forms (Circular 01/2018/TT-VPCP, 01–05) read back the way a reader sees them:
// each is rendered with renderOfficialPdf and its text layer extracted with poppler's pdftotext, so
// a lost tone mark, a date in the wrong time zone or a missing row shows up here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { renderOfficialPdf, type OfficialDocument } from '../document/document.service.js';
import { pdfText } from '../../../test/helpers/pdf.js';
import { apologyLetter, controlSlip, receiptAndAppointment, refusalNotice, supplementationRequest, type FormDossier, type Handover } from './forms.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-forms-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));


/** The text of the rendered form, laid out as on the page (NFC, as the builders write it). */
async function textOf(doc: OfficialDocument): Promise<string> {
  const pdf = await renderOfficialPdf(doc);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  return pdfText(pdf);
}

/** Running text wraps at the margin: compare it with the line breaks folded into spaces. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function assertContains(text: string, expected: readonly string[]): void {
  for (const piece of expected) assert.ok(text.includes(piece), `the PDF text contains ${JSON.stringify(piece)}:\n${text}`);
}

const code = '000.00.51.H20-261128-0001';
const name = 'Nguyễn Thị Hồng Nhung';

function dossier(overrides: Partial<FormDossier> = {}): FormDossier {
  return {
    code,
    procedureName: 'Đăng ký khai sinh',
    agencyName: 'UBND phường Mỹ Tho',
    parentAgencyName: 'UBND tỉnh Đồng Tháp',
    place: 'Mỹ Tho',
    applicant: { name, idNumber: '082190001234', phone: '0912345678', email: 'nhung.nguyen@example.vn', address: 'Số 12, đường Lê Lợi, phường Mỹ Tho, tỉnh Đồng Tháp' },
    // Submitted online at 01:30 on 28/11 in Vietnam, which is still 27/11 in UTC.
    receivedAt: new Date('2026-11-27T18:30:00Z'),
    // 17:00 on 03/12 in Vietnam (10:00 UTC): the due instant of a working day.
    dueAt: new Date('2026-12-03T10:00:00Z'),
    trackingUrl: `https://dichvucong.dongthap.gov.vn/tra-cuu/${code}`,
    documents: [
      { name: 'Tờ khai đăng ký khai sinh', quantity: 1, form: 'Bản chính', files: ['to-khai.pdf'] },
      { name: 'Giấy chứng sinh', quantity: 2, form: 'Bản sao có chứng thực' },
    ],
    officer: { name: 'Lê Văn Tâm' },
    ...overrides,
  };
}

/** What every form carries: the national header, its number, the code, the agency, the QR, the signer. */
function assertCommon(text: string, number: string): void {
  assertContains(text, [
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'UBND TỈNH ĐỒNG THÁP',
    'UBND PHƯỜNG MỸ THO',
    `Mẫu số ${number}`,
    `Mã hồ sơ: ${code}`,
    name,
    'Quét mã để tra cứu hồ sơ',
    `https://dichvucong.dongthap.gov.vn/tra-cuu/${code}`,
    'Lê Văn Tâm',
  ]);
  // Letters with a dot below keep it (and do not lend it to their base letter).
  assert.doesNotMatch(text, /Thi Hồng|Nguyen|Lê Van/);
}

describe('one-stop forms (Circular 01/2018/TT-VPCP)', () => {
  test('01 receipt and appointment: applicant, documents with quantities, reception and appointment in Vietnam time', async () => {
    const text = await textOf(receiptAndAppointment(dossier(), 'vi'));
    assertCommon(text, '01');
    assertContains(text, [
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'Mỹ Tho, ngày 28 tháng 11 năm 2026', // the day of reception, in Vietnam
      `Tiếp nhận hồ sơ của: ${name}`,
      'Địa chỉ: Số 12, đường Lê Lợi, phường Mỹ Tho, tỉnh Đồng Tháp',
      'Số điện thoại: 0912345678',
      'nhung.nguyen@example.vn',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh',
      'Thời gian nhận hồ sơ: 01:30 28/11/2026',
      'Thời gian trả kết quả giải quyết hồ sơ: 17:00 03/12/2026',
      'Thành phần hồ sơ nộp gồm:',
      'Tệp: to-khai.pdf',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
    ]);
    assert.match(text, /^\s*1\s+Tờ khai đăng ký khai sinh\s+Bản chính\s+1\s*$/m, 'document 1 with its form and quantity on one row');
    assert.match(text, /^\s*2\s+Giấy chứng sinh\s+Bản sao có chứng thực\s+2\s*$/m, 'document 2 with its form and quantity on one row');
  });

  test('01 without an appointment or optional contact details', async () => {
    const text = await textOf(receiptAndAppointment(dossier({ dueAt: null, applicant: { name, phone: null, email: null, address: null }, documents: [] }), 'vi'));
    assertContains(text, ['Thời gian trả kết quả giải quyết hồ sơ: Theo thời hạn quy định của thủ tục', 'Không có giấy tờ kèm theo']);
    assert.doesNotMatch(text, /Địa chỉ:|Số điện thoại:|Thư điện tử:|Số định danh/);
  });

  test('02 supplementation request: every item with its reason', async () => {
    const items = [
      { item: 'Giấy chứng sinh bản chính', reason: 'Bản đã nộp là bản chụp mờ' },
      { item: 'Chữ ký trên tờ khai', reason: 'Tờ khai chưa có chữ ký' },
    ];
    const text = await textOf(supplementationRequest(dossier(), items, 'vi'));
    assertCommon(text, '02');
    assertContains(text, ['PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ', `Hồ sơ của: ${name}`, 'Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', 'NGƯỜI HƯỚNG DẪN']);
    items.forEach(({ item, reason }, index) => {
      const row = new RegExp(`^\\s*${index + 1}\\s+${item}\\s+${reason}\\s*$`, 'm');
      assert.match(text, row, `item ${index + 1} and its reason on one row`);
    });
    assertContains(flat(text), ['liên hệ với Lê Văn Tâm, UBND phường Mỹ Tho để được hướng dẫn']);
  });

  test('03 refusal: the reason, and the place and date of issue', async () => {
    const reason = 'Việc đăng ký khai sinh cho trẻ sinh tại phường Tân Phú thuộc thẩm quyền của UBND phường Tân Phú.';
    const text = await textOf(refusalNotice(dossier({ issuedAt: new Date('2026-11-28T03:00:00Z') }), reason, 'vi'));
    assertCommon(text, '03');
    assertContains(text, ['PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', `Tiếp nhận hồ sơ của: ${name}`, 'Mỹ Tho, ngày 28 tháng 11 năm 2026', 'NGƯỜI TIẾP NHẬN HỒ SƠ']);
    assertContains(flat(text), [`Lý do từ chối: ${reason}`, 'từ chối tiếp nhận, giải quyết hồ sơ']);
  });

  test('04 apology: the reason for the delay, the former and the new appointment', async () => {
    const reason = 'Cần xác minh thông tin về nơi sinh với cơ sở y tế.';
    // 17:00 on 08/12 in Vietnam.
    const newDueAt = new Date('2026-12-08T10:00:00Z');
    const text = await textOf(apologyLetter(dossier({ issuedAt: new Date('2026-12-03T02:00:00Z') }), reason, newDueAt, 'vi'));
    assertCommon(text, '04');
    assertContains(text, [
      'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      'Mỹ Tho, ngày 03 tháng 12 năm 2026',
      `Kính gửi: ${name}`,
      'Thời hạn trả kết quả đã hẹn: 17:00 03/12/2026',
      'Thời gian hẹn lại trả kết quả: 17:00 08/12/2026',
      'THỦ TRƯỞNG CƠ QUAN',
    ]);
    assertContains(flat(text), [`Lý do chậm trả kết quả: ${reason}`, 'xin lỗi ông/bà và sẽ trả kết quả giải quyết hồ sơ vào ngày 08/12/2026', 'tiếp nhận giải quyết hồ sơ của ông']);
  });

  test('05 control slip: one row per hand-over with its times and whether it was early, on time or late', async () => {
    const handovers: Handover[] = [
      { step: 'Tiếp nhận hồ sơ', giver: name, receiver: 'Lê Văn Tâm', at: new Date('2026-11-28T01:30:00Z'), stepDueAt: new Date('2026-11-28T10:00:00Z'), timeliness: 'early' },
      { step: 'Thẩm định hồ sơ', giver: 'Lê Văn Tâm', receiver: 'Trần Minh Khoa', at: new Date('2026-11-30T02:00:00Z'), stepDueAt: new Date('2026-12-01T10:00:00Z'), timeliness: 'on_time', note: 'Đã xác minh' },
      { step: 'Ký duyệt', giver: 'Trần Minh Khoa', receiver: 'Phạm Văn Hùng', at: new Date('2026-12-02T08:00:00Z'), stepDueAt: new Date('2026-12-02T10:00:00Z'), timeliness: 'late', note: null },
      { step: 'Trả kết quả', giver: 'Phạm Văn Hùng', receiver: 'Bộ phận một cửa', at: new Date('2026-12-03T01:00:00Z'), stepDueAt: null, timeliness: 'pending' },
    ];
    const text = await textOf(controlSlip(dossier(), handovers, 'vi'));
    assertCommon(text, '05');
    assertContains(text, ['PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ', `Kèm theo hồ sơ của: ${name}`, 'Cơ quan (bộ phận) giải quyết hồ sơ: UBND phường Mỹ Tho', 'Mỹ Tho, ngày 28 tháng 11 năm 2026']);
    // Each row starts with its number, step, the time handed over, the step's due time and its result
    // on one line; the date of each time, the giver and the receiver follow on the next.
    const rows: Array<[RegExp, RegExp]> = [
      [/^\s*1\s+Tiếp nhận hồ sơ\s+08:30\s+17:00\s+Sớm hạn\s*$/m, /^\s*Giao: Nguyễn Thị Hồng Nhung\s+28\/11\/2026\s+28\/11\/2026\s*$/m],
      [/^\s*2\s+Thẩm định hồ sơ\s+09:00\s+17:00\s+Đúng hạn\s+Đã xác minh\s*$/m, /^\s*Giao: Lê Văn Tâm\s+30\/11\/2026\s+01\/12\/2026\s*$/m],
      [/^\s*3\s+Ký duyệt\s+15:00\s+17:00\s+Quá hạn\s*$/m, /^\s*Giao: Trần Minh Khoa\s+02\/12\/2026\s+02\/12\/2026\s*$/m],
      [/^\s*4\s+Trả kết quả\s+08:00\s+—\s+Đang xử lý\s*$/m, /^\s*Giao: Phạm Văn Hùng\s+03\/12\/2026\s*$/m],
    ];
    for (const [first, second] of rows) {
      assert.match(text, first);
      assert.match(text, second);
    }
    assertContains(text, ['Nhận: Lê Văn Tâm', 'Nhận: Trần Minh Khoa', 'Nhận: Phạm Văn Hùng', 'Nhận: Bộ phận một cửa', 'NGƯỜI LẬP PHIẾU']);
  });

  test('every form in English: translated labels, no catalogue key or placeholder left', async () => {
    const d = dossier({ issuedAt: new Date('2026-12-03T02:00:00Z') });
    const forms: Array<[OfficialDocument, string]> = [
      [receiptAndAppointment(d, 'en'), 'RECEIPT OF APPLICATION AND APPOINTMENT FOR THE RESULT'],
      [supplementationRequest(d, [{ item: 'Birth certificate', reason: 'Illegible copy' }], 'en'), 'REQUEST TO SUPPLEMENT OR COMPLETE THE APPLICATION'],
      [refusalNotice(d, 'Not within this ward', 'en'), 'NOTICE OF REFUSAL TO ACCEPT THE APPLICATION'],
      [apologyLetter(d, 'Verification with the hospital', new Date('2026-12-08T10:00:00Z'), 'en'), 'LETTER OF APOLOGY AND NEW DATE FOR THE RESULT'],
      [controlSlip(d, [{ step: 'Reception', giver: name, receiver: 'Lê Văn Tâm', at: d.receivedAt, stepDueAt: null, timeliness: 'late' }], 'en'), 'PROCESSING CONTROL SLIP'],
    ];
    for (const [index, [doc, title]] of forms.entries()) {
      const text = await textOf(doc);
      assertContains(text, [title, `Form No. 0${index + 1}`, `Code: ${code}`, name, 'Mỹ Tho, 03/12/2026', 'Scan to track the application']);
      // The national header stays Vietnamese: the document is an official Vietnamese one.
      assertContains(text, ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']);
      assert.doesNotMatch(text, /form\.[a-z]+\.|\{[a-z]+\}/i, 'no untranslated key or placeholder');
    }
  });

  test('the builders fill the document fields the renderer expects', () => {
    const doc = receiptAndAppointment(dossier({ parentAgencyName: undefined, officer: { name: 'Lê Văn Tâm', title: 'Công chức một cửa' } }), 'vi');
    assert.equal(doc.parentAgency, undefined);
    assert.equal(doc.issuingAgency, 'UBND phường Mỹ Tho');
    assert.equal(doc.formNumber, 'Mẫu số 01');
    assert.equal(doc.reference, `Mã hồ sơ: ${code}`);
    assert.deepEqual(doc.signature, { title: 'Công chức một cửa', name: 'Lê Văn Tâm' });
    assert.deepEqual(doc.qr, { url: `https://dichvucong.dongthap.gov.vn/tra-cuu/${code}`, caption: 'Quét mã để tra cứu hồ sơ' });
    assert.equal(doc.metadata.title, `GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ ${code}`);
  });

  test('the builders refuse nonsense: no items, an empty item, an empty reason, a new date that is not later', () => {
    const d = dossier();
    assert.throws(() => supplementationRequest(d, [], 'vi'), Error);
    assert.throws(() => supplementationRequest(d, [{ item: '  ', reason: 'x' }], 'vi'), Error);
    assert.throws(() => refusalNotice(d, '', 'vi'), Error);
    assert.throws(() => refusalNotice(d, ' \n ', 'vi'), Error);
    assert.throws(() => apologyLetter(d, '', new Date('2026-12-08T10:00:00Z'), 'vi'), Error);
    assert.throws(() => apologyLetter(d, '   ', new Date('2026-12-08T10:00:00Z'), 'vi'), Error);
    assert.throws(() => apologyLetter(d, 'Cần xác minh', new Date('2026-12-02T10:00:00Z'), 'vi'), Error, 'before the former appointment');
    assert.throws(() => apologyLetter(d, 'Cần xác minh', new Date('invalid'), 'vi'), Error);
  });
});
