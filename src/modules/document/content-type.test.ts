import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileTypeFromBuffer } from 'file-type';
import {
  sampleDocx,
  sampleExe,
  sampleGif,
  sampleJpeg,
  samplePdf,
  samplePng,
  sampleText,
  sampleXlsx,
  zipArchive,
} from '../../../test/helpers/files.js';
import { ACCEPTED_TYPES, acceptedTypesLabel, detectFileType, MEDIA_TYPES } from './content-type.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-content-type-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, content: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('the sample-file builders', () => {
  // The builders stand in for real files only if file-type sees them as it sees real files.
  const expected = [
    ['samplePdf', samplePdf(), 'pdf', 'application/pdf'],
    ['samplePng', samplePng(), 'png', 'image/png'],
    ['sampleJpeg', sampleJpeg(), 'jpg', 'image/jpeg'],
    ['sampleDocx', sampleDocx(), 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['sampleXlsx', sampleXlsx(), 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['sampleExe', sampleExe(), 'exe', 'application/x-msdownload'],
    ['sampleGif', sampleGif(), 'gif', 'image/gif'],
    ['zipArchive', zipArchive([{ name: 'ghi-chu.txt', data: 'không phải văn bản Office' }]), 'zip', 'application/zip'],
  ] as const;
  for (const [builder, content, ext, mime] of expected) {
    test(`${builder}() is detected by file-type as ${ext}`, async () => {
      assert.deepEqual(await fileTypeFromBuffer(content), { ext, mime });
    });
  }

  test('sampleText() has no signature file-type knows', async () => {
    assert.equal(await fileTypeFromBuffer(sampleText()), undefined);
  });

  test('the zip writer writes the layout the format asks for', () => {
    const zip = zipArchive([{ name: 'a.txt', data: 'abc' }]);
    assert.equal(zip.readUInt32LE(0), 0x04034b50, 'local file header first');
    assert.equal(zip.readUInt32LE(14), 0x352441c2, 'CRC-32 of "abc"');
    assert.equal(zip.readUInt32LE(zip.length - 22), 0x06054b50, 'end of central directory last');
    assert.equal(zip.readUInt32LE(zip.length - 6), 30 + 5 + 3, 'the central directory starts right after the one entry');
  });
});

describe('detectFileType', () => {
  test('each accepted type is recognised by its content', async () => {
    assert.equal(await detectFileType(fileOf('a.pdf', samplePdf())), 'pdf');
    assert.equal(await detectFileType(fileOf('a.jpg', sampleJpeg())), 'jpeg');
    assert.equal(await detectFileType(fileOf('a.png', samplePng())), 'png');
    assert.equal(await detectFileType(fileOf('a.docx', sampleDocx())), 'docx');
    assert.equal(await detectFileType(fileOf('a.xlsx', sampleXlsx())), 'xlsx');
  });

  test('the name does not count: an executable renamed scan.pdf is refused, a PDF named anh.png is a PDF', async () => {
    assert.equal(await detectFileType(fileOf('scan.pdf', sampleExe())), undefined);
    assert.equal(await detectFileType(fileOf('anh.png', samplePdf())), 'pdf');
  });

  test('a Word document and a workbook are told apart whatever they are called', async () => {
    assert.equal(await detectFileType(fileOf('bang-ke.xlsx', sampleDocx())), 'docx');
    assert.equal(await detectFileType(fileOf('to-khai.docx', sampleXlsx())), 'xlsx');
  });

  test('GIF, plain text, a plain zip and a broken zip are not accepted types', async () => {
    assert.equal(await detectFileType(fileOf('a.gif', sampleGif())), undefined);
    assert.equal(await detectFileType(fileOf('a.txt', sampleText())), undefined);
    assert.equal(await detectFileType(fileOf('a.zip', zipArchive([{ name: 'x.txt', data: 'x' }]))), undefined);
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 0xff)]);
    assert.equal(await detectFileType(fileOf('broken.docx', broken)), undefined);
  });

  test('a missing file is an error, not "unknown type"', async () => {
    await assert.rejects(detectFileType(path.join(dir, 'khong-co.pdf')), { code: 'ENOENT' });
  });
});

describe('accepted types', () => {
  test('all five, with their media types, labelled for a message', () => {
    assert.deepEqual([...ACCEPTED_TYPES], ['pdf', 'jpeg', 'png', 'docx', 'xlsx']);
    assert.equal(MEDIA_TYPES.pdf, 'application/pdf');
    assert.equal(MEDIA_TYPES.jpeg, 'image/jpeg');
    assert.equal(MEDIA_TYPES.png, 'image/png');
    assert.equal(MEDIA_TYPES.docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    assert.equal(MEDIA_TYPES.xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(acceptedTypesLabel(ACCEPTED_TYPES), 'PDF, JPEG, PNG, DOCX, XLSX');
    assert.equal(acceptedTypesLabel(['pdf']), 'PDF');
  });
});
