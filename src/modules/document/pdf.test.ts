// The PDFs are checked the way a reader sees them: poppler's pdftotext and pdfinfo read the text
// layer back, so a missing glyph, a wrong tone mark or text outside the page shows up here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { renderOfficialPdf, type OfficialDocument } from './pdf.js';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-pdf-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

before(async () => {
  try {
    await run('pdftotext', ['-v']);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('pdftotext was not found: install poppler-utils (apt-get install poppler-utils) to run the PDF tests');
    }
    // `pdftotext -v` exits non-zero on some versions; being found is enough.
  }
});

let fileCount = 0;
async function written(doc: OfficialDocument): Promise<string> {
  const file = path.join(dir, `doc-${++fileCount}.pdf`);
  fs.writeFileSync(file, await renderOfficialPdf(doc));
  return file;
}

async function textOf(file: string, ...pages: ['-f', string, '-l', string] | []): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', ...pages, file, '-'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.normalize('NFC');
}

async function infoOf(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', file]);
  return Object.fromEntries(stdout.split('\n').flatMap((line) => {
    const at = line.indexOf(':');
    return at > 0 ? [[line.slice(0, at).trim(), line.slice(at + 1).trim()]] : [];
  }));
}

/** Every word on every page with its box, from `pdftotext -bbox`. */
async function wordsOf(file: string): Promise<Array<{ page: number; text: string; xMin: number; xMax: number; yMin: number; yMax: number }>> {
  const { stdout } = await run('pdftotext', ['-bbox', file, '-'], { maxBuffer: 16 * 1024 * 1024 });
  const words: Array<{ page: number; text: string; xMin: number; xMax: number; yMin: number; yMax: number }> = [];
  let page = 0;
  for (const line of stdout.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) words.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5] ?? '' });
  }
  return words;
}

const code = '000.00.51.H20-261128-0001';
const url = `https://dichvucong.dongthap.gov.vn/tra-cuu/${code}`;

function acknowledgement(overrides: Partial<OfficialDocument> = {}): OfficialDocument {
  return {
    parentAgency: 'UBND TỈNH ĐỒNG THÁP',
    issuingAgency: 'UBND PHƯỜNG MỸ THO',
    formNumber: 'Mẫu số 01',
    reference: `Số: ${code}`,
    placeAndDate: 'Mỹ Tho, ngày 28 tháng 11 năm 2026',
    title: 'Giấy xác nhận đã nhận hồ sơ trực tuyến',
    intro: ['Bộ phận Tiếp nhận và Trả kết quả xác nhận đã nhận hồ sơ nộp trực tuyến qua Cổng Dịch vụ công của tỉnh.'],
    fields: [
      { label: 'Mã hồ sơ', value: code },
      { label: 'Người nộp', value: 'Nguyễn Thị Hồng Nhung' },
      { label: 'Thủ tục', value: 'Đăng ký khai sinh' },
    ],
    table: {
      caption: 'Thành phần hồ sơ',
      headers: ['STT', 'Tên giấy tờ', 'Tệp'],
      rows: [
        ['1', 'Tờ khai đăng ký khai sinh', 'to-khai.pdf'],
        ['2', 'Giấy chứng sinh', 'giay-chung-sinh.jpg'],
      ],
    },
    closing: ['Kết quả dự kiến trả trước 17:00 ngày 03/12/2026.'],
    signature: { title: 'Bộ phận Tiếp nhận và Trả kết quả', name: 'Lê Văn Tâm' },
    qr: { url, caption: 'Quét mã để tra cứu hồ sơ' },
    metadata: { title: `Giấy xác nhận đã nhận hồ sơ ${code}`, subject: 'Xác nhận nộp hồ sơ trực tuyến' },
    ...overrides,
  };
}

/** A4 with the margins of Decree 30/2020: left 30 mm, right 15 mm. */
const PAGE_WIDTH = 595.28;
const LEFT = (30 * 72) / 25.4;
const RIGHT = PAGE_WIDTH - (15 * 72) / 25.4;

describe('renderOfficialPdf', () => {
  test('the text layer carries the national header, the agencies, the code, the name with its tone marks and the QR address', async () => {
    const pdf = await renderOfficialPdf(acknowledgement());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const file = path.join(dir, 'acknowledgement.pdf');
    fs.writeFileSync(file, pdf);
    const text = await textOf(file);

    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'UBND TỈNH ĐỒNG THÁP',
      'UBND PHƯỜNG MỸ THO',
      'Mẫu số 01',
      `Số: ${code}`,
      'Mỹ Tho, ngày 28 tháng 11 năm 2026',
      'GIẤY XÁC NHẬN ĐÃ NHẬN HỒ SƠ TRỰC TUYẾN',
      'Nguyễn Thị Hồng Nhung',
      'Cổng Dịch vụ công',
      'Tờ khai đăng ký khai sinh',
      'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ',
      'Lê Văn Tâm',
      'Quét mã để tra cứu hồ sơ',
      url,
    ]) {
      assert.ok(text.includes(expected), `the PDF text contains ${JSON.stringify(expected)}:\n${text}`);
    }
    // Letters with a dot below must not lose it, nor lend it to their base letter.
    assert.doesNotMatch(text, /Dich vu|Thi Hồng|gịấy|khaị|sịnh/);
  });

  test('an A4 page with the document information filled in', async () => {
    const info = await infoOf(await written(acknowledgement()));
    assert.equal(info.Pages, '1');
    assert.match(info['Page size'] ?? '', /^595\.2\d* x 841\.8\d* pts \(A4\)/);
    assert.equal(info.Title, `Giấy xác nhận đã nhận hồ sơ ${code}`);
    assert.equal(info.Subject, 'Xác nhận nộp hồ sơ trực tuyến');
  });

  test('the QR code is drawn as vectors, not embedded as an image', async () => {
    const { stdout } = await run('pdfimages', ['-list', await written(acknowledgement())]);
    assert.equal(stdout.trim().split('\n').length, 2, `no image rows under the header:\n${stdout}`);
  });

  test('a decomposed input (as typed on macOS) prints the same letters', async () => {
    const text = await textOf(await written(acknowledgement({ fields: [{ label: 'Người nộp', value: 'Nguyễn Thị Hồng Nhung'.normalize('NFD') }] })));
    assert.ok(text.includes('Nguyễn Thị Hồng Nhung'), text);
  });

  test('60 table rows flow over several pages, with the header row repeated and pages numbered from 2', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [String(i + 1), `Giấy tờ số ${i + 1}: bản sao có chứng thực từ bản chính`, `tep-${i + 1}.pdf`]);
    const file = await written(acknowledgement({ table: { caption: 'Thành phần hồ sơ', headers: ['STT', 'Tên giấy tờ', 'Tệp'], rows } }));
    const pages = Number((await infoOf(file)).Pages);
    assert.ok(pages > 1, `more than one page, got ${pages}`);

    const all = await textOf(file);
    for (let i = 1; i <= 60; i++) assert.ok(all.includes(`tep-${i}.pdf`), `row ${i} is printed`);
    const second = await textOf(file, '-f', '2', '-l', '2');
    assert.match(second, /Tên giấy tờ/, 'the header row is repeated on page 2');
    assert.match(second.trimStart(), /^2\s/, 'page 2 is numbered at the top');
    const first = await textOf(file, '-f', '1', '-l', '1');
    assert.doesNotMatch(first.trimStart(), /^1\s/, 'the first page is not numbered');
    assert.ok(all.includes(url), 'the foot follows the table');
  });

  test('many fields flow onto new pages and none is lost', async () => {
    const fields = Array.from({ length: 90 }, (_, i) => ({ label: `Thông tin ${i + 1}`, value: `giá trị ${i + 1}` }));
    const file = await written(acknowledgement({ fields, table: undefined }));
    assert.ok(Number((await infoOf(file)).Pages) > 1);
    const text = await textOf(file);
    for (let i = 1; i <= 90; i++) assert.ok(text.includes(`Thông tin ${i}: giá trị ${i}`), `field ${i}`);
  });

  test('long text wraps inside the margins: agency, fields, table cells, signature, address', async () => {
    const long = 'Trung tâm Phục vụ hành chính công phường Mỹ Tho tiếp nhận hồ sơ và trả kết quả giải quyết thủ tục hành chính '.repeat(4);
    const file = await written(
      acknowledgement({
        parentAgency: 'ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP — SỞ TƯ PHÁP VÀ CÁC CƠ QUAN PHỐI HỢP LIÊN THÔNG',
        issuingAgency: 'TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG MỸ THO THUỘC ỦY BAN NHÂN DÂN PHƯỜNG',
        intro: [long],
        fields: [{ label: 'Ghi chú', value: long }],
        table: { headers: ['STT', 'Nội dung', 'Ghi chú'], rows: [['1', long, long], ['2', 'ngắn', 'x'.repeat(200)]] },
        closing: [long],
        signature: { title: 'KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH', name: 'Nguyễn Văn Bình' },
        qr: { url: `${url}?ma-xac-thuc=${'a1b2c3d4'.repeat(8)}`, caption: 'Quét mã để tra cứu hồ sơ' },
      }),
    );
    const words = await wordsOf(file);
    assert.ok(words.length > 100);
    const outside = words.filter((w) => w.xMin < LEFT - 0.5 || w.xMax > RIGHT + 0.5);
    assert.deepEqual(outside, [], 'no word crosses the left or right margin');
    const text = (await textOf(file)).replace(/\s+/g, ' ');
    assert.ok(text.includes('KT. CHỦ TỊCH'), 'the signer block keeps its lines');
    assert.ok(text.includes('Nguyễn Văn Bình'));
  });

  test('a minimal document: no parent agency, form number, table, closing or signature', async () => {
    const file = await written({
      issuingAgency: 'UBND xã Tân Phú',
      placeAndDate: 'Tân Phú, ngày 01 tháng 12 năm 2026',
      title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ',
      fields: [],
      qr: { url: 'https://example.gov.vn/h/1', caption: 'Tra cứu' },
      metadata: { title: 'Phiếu kiểm soát' },
    });
    const text = await textOf(file);
    assert.ok(text.includes('UBND XÃ TÂN PHÚ'), 'the agency in capitals');
    assert.ok(text.includes('PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ'));
    assert.ok(text.includes('https://example.gov.vn/h/1'));
  });

  test('a table row with the wrong number of cells is a programming error', async () => {
    await assert.rejects(
      renderOfficialPdf(acknowledgement({ table: { headers: ['STT', 'Tên'], rows: [['1', 'a', 'thừa']] } })),
      RangeError,
    );
  });
});
