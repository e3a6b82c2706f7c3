import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { after, describe, test } from 'node:test';
import { samplePdf, samplePng } from '../../../test/helpers/files.js';
import { createDiskStorage, storageTempDir } from './storage.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-storage-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** A finished temp file, as receiveUpload leaves it. */
function tempFileOf(content: Buffer, name: string): string {
  const file = path.join(storageTempDir(root), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('disk storage', () => {
  const storage = createDiskStorage(root);

  test('storageTempDir is root/tmp and exists', () => {
    const dir = storageTempDir(path.join(root, 'fresh'));
    assert.equal(dir, path.join(root, 'fresh', 'tmp'));
    assert.ok(fs.statSync(dir).isDirectory());
  });

  test('a file put under its hash is read back, from root/ab/cd/<hash>', async () => {
    const content = samplePdf('put and read');
    const hash = sha256(content);
    const temp = tempFileOf(content, 'a.upload');
    assert.equal(await storage.has(hash), false);

    assert.deepEqual(await storage.putFile(hash, temp), { stored: true });
    assert.equal(fs.existsSync(temp), false, 'the temp file was moved, not copied');
    assert.ok(fs.existsSync(path.join(root, hash.slice(0, 2), hash.slice(2, 4), hash)));
    assert.equal(await storage.has(hash), true);
    assert.deepEqual(await storage.read(hash), content);
    assert.equal(await text(storage.createReadStream(hash)), content.toString());
  });

  test('the same content twice is stored once: the second put deletes its temp file', async () => {
    const content = samplePng([200, 30, 30]);
    const hash = sha256(content);
    assert.deepEqual(await storage.putFile(hash, tempFileOf(content, 'first.upload')), { stored: true });
    const second = tempFileOf(content, 'second.upload');
    assert.deepEqual(await storage.putFile(hash, second), { stored: false });
    assert.equal(fs.existsSync(second), false);
    assert.deepEqual(fs.readdirSync(path.join(root, hash.slice(0, 2), hash.slice(2, 4))), [hash]);
    assert.deepEqual(await storage.read(hash), content);
  });

  test('a temp file outside the storage root is moved in as well', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-storage-outside-'));
    try {
      const content = samplePdf('from elsewhere');
      const temp = path.join(outside, 'x.upload');
      fs.writeFileSync(temp, content);
      assert.deepEqual(await storage.putFile(sha256(content), temp), { stored: true });
      assert.equal(fs.existsSync(temp), false);
      assert.deepEqual(await storage.read(sha256(content)), content);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('anything but 64 lower-case hex characters is refused before it reaches a path', async () => {
    const temp = tempFileOf(samplePdf('not moved'), 'kept.upload');
    const bad = ['../x', '../../etc/passwd', '', 'a'.repeat(63), 'a'.repeat(65), 'A'.repeat(64), `${'a'.repeat(62)}/x`, `${'g'.repeat(64)}`];
    for (const hash of bad) {
      await assert.rejects(storage.has(hash), TypeError, `has(${hash})`);
      await assert.rejects(storage.putFile(hash, temp), TypeError, `putFile(${hash})`);
      await assert.rejects(storage.read(hash), TypeError, `read(${hash})`);
      assert.throws(() => storage.createReadStream(hash), TypeError, `createReadStream(${hash})`);
    }
    assert.ok(fs.existsSync(temp), 'a refused put leaves the temp file alone');
  });

  test('reading a hash that is not stored fails', async () => {
    await assert.rejects(storage.read('0'.repeat(64)), { code: 'ENOENT' });
  });
});
