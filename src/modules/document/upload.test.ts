import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, beforeEach, describe, test } from 'node:test';
import { sampleDocx, sampleExe, sampleJpeg, samplePdf, samplePng, sampleXlsx } from '../../../test/helpers/files.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import { ACCEPTED_TYPES } from './content-type.js';
import { noScanner, type FileScanner } from './scan.js';
import { receiveUpload, safeFileName } from './upload.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-upload-'));
const tempDir = path.join(root, 'tmp');
after(() => fs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
  fs.mkdirSync(tempDir);
});

const MB = 1024 * 1024;
const options = { tempDir, maxBytes: 10 * MB, accept: ACCEPTED_TYPES, scanner: noScanner };

/** The content as a request stream would deliver it: in small chunks. */
function streamOf(content: Buffer, chunkSize = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < content.length; at += chunkSize) chunks.push(content.subarray(at, at + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

const tempFiles = () => fs.readdirSync(tempDir);

/** Asserts that `promise` rejects with an AppError of `code` and `messageKey`, and returns it. */
async function refusal(promise: Promise<unknown>, code: string, messageKey: string): Promise<AppError> {
  const error = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, `an AppError, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.equal(error.messageKey, messageKey);
  return error;
}

describe('receiveUpload', () => {
  test('a good upload: streamed to a temp file, hashed, sized and typed by its content', async () => {
    const content = samplePdf('Giay chung sinh');
    const received = await receiveUpload(streamOf(content, 64), options);
    assert.equal(received.sha256, createHash('sha256').update(content).digest('hex'));
    assert.equal(received.size, content.length);
    assert.equal(received.type, 'pdf');
    assert.equal(received.mediaType, 'application/pdf');
    assert.equal(path.dirname(received.tempPath), tempDir);
    assert.deepEqual(fs.readFileSync(received.tempPath), content);
  });

  test('every accepted type gets its media type', async () => {
    const samples = { jpeg: sampleJpeg(), png: samplePng(), docx: sampleDocx(), xlsx: sampleXlsx() } as const;
    for (const [type, content] of Object.entries(samples)) {
      const received = await receiveUpload(streamOf(content), options);
      assert.equal(received.type, type);
      assert.match(received.mediaType, type === 'jpeg' || type === 'png' ? /^image\// : /openxmlformats/);
    }
  });

  test('two uploads never share a temp file', async () => {
    const [a, b] = await Promise.all([receiveUpload(streamOf(samplePdf()), options), receiveUpload(streamOf(samplePdf()), options)]);
    assert.notEqual(a.tempPath, b.tempPath);
    assert.equal(a.sha256, b.sha256);
  });

  test('over the limit: 413 with the limit in MB, stopped early, nothing left behind', async () => {
    // 11 MB offered in 64 KB chunks against a 10 MB limit.
    const chunk = Buffer.concat([samplePdf(), Buffer.alloc(64 * 1024 - samplePdf().length, 0x20)]);
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 176; i++) {
          pulled++;
          yield chunk;
        }
      })(),
    );
    const error = await refusal(receiveUpload(source, options), 'payload_too_large', 'document.tooLarge');
    assert.deepEqual(error.params, { maxMb: 10 });
    assert.equal(error.status, 413);
    assert.ok(pulled < 176, `reading stopped at the limit (${pulled} of 176 chunks read)`);
    assert.ok(source.destroyed, 'the source is released');
    assert.deepEqual(tempFiles(), []);
  });

  test('one byte over is too large, exactly the limit is not', async () => {
    const exact = Buffer.concat([samplePdf(), Buffer.alloc(1 * MB - samplePdf().length, 0x20)]);
    const limit = { ...options, maxBytes: 1 * MB };
    assert.equal((await receiveUpload(streamOf(exact, 65536), limit)).size, 1 * MB);
    const error = await refusal(receiveUpload(streamOf(Buffer.concat([exact, Buffer.from(' ')]), 65536), limit), 'payload_too_large', 'document.tooLarge');
    assert.deepEqual(error.params, { maxMb: 1 });
  });

  test('truncated() (the multipart parser cut the file at its own limit) is too large too', async () => {
    // @fastify/multipart ends a file stream quietly at its limit and sets `truncated`.
    const error = await refusal(receiveUpload(streamOf(samplePdf()), { ...options, truncated: () => true }), 'payload_too_large', 'document.tooLarge');
    assert.deepEqual(error.params, { maxMb: 10 });
    assert.deepEqual(tempFiles(), []);

    let cut = false;
    const source = streamOf(samplePdf(), 100);
    source.on('end', () => (cut = true));
    await refusal(receiveUpload(source, { ...options, truncated: () => cut }), 'payload_too_large', 'document.tooLarge');
    assert.deepEqual(tempFiles(), []);
  });

  test('an executable is refused by content, naming the accepted types; nothing left behind', async () => {
    const error = await refusal(receiveUpload(streamOf(sampleExe()), options), 'unsupported_media_type', 'document.typeNotAllowed');
    assert.equal(error.status, 415);
    assert.deepEqual(error.params, { accepted: 'PDF, JPEG, PNG, DOCX, XLSX' });
    assert.deepEqual(tempFiles(), []);
  });

  test('a type outside `accept` is refused: a PNG where only PDF is accepted', async () => {
    const error = await refusal(receiveUpload(streamOf(samplePng()), { ...options, accept: ['pdf'] }), 'unsupported_media_type', 'document.typeNotAllowed');
    assert.deepEqual(error.params, { accepted: 'PDF' });
    assert.deepEqual(tempFiles(), []);
  });

  test('an empty file is refused', async () => {
    const error = await refusal(receiveUpload(Readable.from([]), options), 'invalid_input', 'document.empty');
    assert.equal(error.status, 400);
    assert.deepEqual(tempFiles(), []);
  });

  test('a file the scanner finds infected is refused; the scanner saw the finished file', async () => {
    const content = samplePdf('EICAR');
    let scanned: Buffer | undefined;
    const scanner: FileScanner = {
      async scan(file) {
        scanned = fs.readFileSync(file);
        return { clean: false, reason: 'Eicar-Test-Signature' };
      },
    };
    const error = await refusal(receiveUpload(streamOf(content), { ...options, scanner }), 'unprocessable', 'document.infected');
    assert.equal(error.status, 422);
    assert.deepEqual(scanned, content);
    assert.equal(error.cause, 'Eicar-Test-Signature', 'the signature is kept for the log');
    assert.deepEqual(error.params, {}, 'but not shown to the citizen');
    assert.deepEqual(tempFiles(), []);
  });

  test('a scanner that fails, or a request that breaks off, leaves nothing behind', async () => {
    const down: FileScanner = { scan: async () => Promise.reject(new Error('clamd unreachable')) };
    await assert.rejects(receiveUpload(streamOf(samplePdf()), { ...options, scanner: down }), /clamd unreachable/);
    assert.deepEqual(tempFiles(), []);

    const aborted = new Readable({
      read() {
        this.push(samplePdf());
        this.destroy(new Error('aborted'));
      },
    });
    await assert.rejects(receiveUpload(aborted, options), /aborted/);
    assert.deepEqual(tempFiles(), []);
  });

  test('a temp dir that cannot be made still releases the request stream', async () => {
    const blocked = path.join(root, 'a-file');
    fs.writeFileSync(blocked, '');
    const source = streamOf(samplePdf());
    await assert.rejects(receiveUpload(source, { ...options, tempDir: path.join(blocked, 'tmp') }));
    assert.ok(source.destroyed);
  });
});

describe('the refusals read clearly', () => {
  test('in Vietnamese and English', () => {
    assert.equal(translate('vi', 'document.tooLarge', { maxMb: 10 }), 'Tệp quá lớn. Dung lượng tối đa là 10 MB.');
    assert.equal(
      translate('vi', 'document.typeNotAllowed', { accepted: 'PDF, JPEG' }),
      'Tệp không đúng định dạng cho phép. Chỉ nhận: PDF, JPEG. Hệ thống kiểm tra nội dung tệp, không dựa vào đuôi tên tệp.',
    );
    assert.match(translate('vi', 'document.empty'), /Tệp không có nội dung/);
    assert.match(translate('vi', 'document.infected'), /mã độc/);
    assert.equal(translate('en', 'document.tooLarge', { maxMb: 10 }), 'The file is too large. The maximum size is 10 MB.');
  });
});

describe('safeFileName', () => {
  const cases: Array<[string, string]> = [
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\a\\scan.pdf', 'scan.pdf'],
    ['..\\..\\windows\\system32\\config', 'config'],
    ['Giấy chứng sinh.pdf', 'Giấy chứng sinh.pdf'],
    ['Sổ hộ khẩu – bản sao (trang 1).jpg', 'Sổ hộ khẩu – bản sao (trang 1).jpg'],
    ['to\u0000khai\u0007.pdf', 'tokhai.pdf'],
    ['ho\nso\r\t.pdf', 'hoso.pdf'],
    ['ho   so   .pdf', 'ho so .pdf'],
    ['a<b>c:d"e|f?g*h.pdf', 'abcdefgh.pdf'],
    ['hoso\u202Efdp.exe', 'hosofdp.exe'],
    ['  ..hidden.pdf. . ', 'hidden.pdf'],
    ['CON.pdf', '_CON.pdf'],
    ['../..', 'tep-dinh-kem'],
    ['', 'tep-dinh-kem'],
    ['???', 'tep-dinh-kem'],
    ['folder/', 'tep-dinh-kem'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(safeFileName(input), expected);
    });
  }

  test('decomposed Vietnamese (as macOS sends it) comes out composed', () => {
    assert.equal(safeFileName('Giấy chứng sinh.pdf'.normalize('NFD')), 'Giấy chứng sinh.pdf');
  });

  test('at most 150 characters, keeping the extension and whole letters', () => {
    const long = `${'Đơn đề nghị cấp bản sao trích lục hộ tịch '.repeat(10)}.docx`;
    const safe = safeFileName(long);
    assert.equal(Array.from(safe).length <= 150, true);
    assert.ok(safe.endsWith('.docx'));
    assert.ok(safe.startsWith('Đơn đề nghị'));
    assert.doesNotMatch(safe, /\s\.docx$/, 'no space before the extension');
    const noExtension = safeFileName('ệ'.repeat(300));
    assert.equal(noExtension, 'ệ'.repeat(150));
  });
});
