// The key store: the demo CA and the agencies' certificates, keys sealed at rest, replacements that
// keep old signatures verifiable, imports checked before they are stored, and every change audited.
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import { createSecretBox, type SecretBox } from '../../platform/security/secrets.js';
import { createCertificate, generateSigningKey, parseCertificate, toPem } from './certificates.js';
import { signDetached, verifyDetached } from './cms.js';
import { runKeysCommand } from './keys-cli.js';
import { ensureDemoCa, ensureDemoSigningKeys, importAgencyCertificate, issueAgencyCertificate, listCertificates, loadAgencySigner, loadTrustAnchors } from './key-store.js';

let t: TestApp;
let secrets: SecretBox;
const DAY = 86_400_000;

before(async () => {
  t = await createTestApp();
  secrets = createSecretBox(t.secretKey);
});
after(() => t?.close());

async function certificateRows(): Promise<number> {
  return Number((await t.database.db.selectFrom('signingCertificate').select(t.database.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

async function refusedWith(act: () => Promise<unknown>, key: string, text: RegExp): Promise<void> {
  const rows = await certificateRows();
  await assert.rejects(act, (error: unknown) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.messageKey, key);
    assert.match(translate('vi', error.messageKey, error.params), text);
    return true;
  });
  assert.equal(await certificateRows(), rows, 'nothing was stored');
}

describe('the key store', () => {
  test('no certificate can be issued before there is a CA', async () => {
    await refusedWith(() => issueAgencyCertificate(t.database.db, secrets, '000.00.51.H20'), 'signature.keys.noCa', /chạy "keys demo-ca" trước/);
  });

  test('the demo: the CA once, then a certificate for every agency that handles procedures; a second run adds nothing', async () => {
    const first = await ensureDemoSigningKeys(t.database.db, secrets);
    assert.equal(first.caCreated, true);
    const handling = await t.database.db
      .selectFrom('agency as a')
      .select('a.id')
      .distinct()
      .innerJoin('procedureAgency as p', 'p.agencyId', 'a.id')
      .where('a.code', 'is not', null)
      .where('a.validTo', 'is', null)
      .execute();
    assert.ok(handling.length > 10);
    assert.equal(first.issued, handling.length);
    assert.deepEqual(await ensureDemoSigningKeys(t.database.db, secrets), { caCreated: false, issued: 0 });
    const { created } = await ensureDemoCa(t.database.db, secrets);
    assert.equal(created, false);

    const rows = await listCertificates(t.database.db);
    assert.equal(rows.filter((r) => r.kind === 'ca').length, 1);
    assert.equal(rows.filter((r) => r.kind === 'agency').length, handling.length);
    const audit = await t.database.db.selectFrom('auditLog').select('action').where('action', 'like', 'signature.%').execute();
    assert.equal(audit.filter((a) => a.action === 'signature.ca_create').length, 1);
    assert.equal(audit.filter((a) => a.action === 'signature.certificate_issue').length, handling.length);
  });

  test('private keys are sealed at rest, and open with the server key only', async () => {
    const row = await t.database.db.selectFrom('signingCertificate').select('sealedKey').where('kind', '=', 'agency').executeTakeFirstOrThrow();
    assert.match(row.sealedKey!, /^v1\./);
    assert.doesNotMatch(row.sealedKey!, /PRIVATE KEY/);
    const agency = (await t.database.db.selectFrom('agency').select('id').where('code', '=', '000.00.51.H20').executeTakeFirstOrThrow()).id;
    await assert.rejects(loadAgencySigner(t.database.db, createSecretBox(Buffer.alloc(32, 7)), agency, new Date()));
    const { signer } = await loadAgencySigner(t.database.db, secrets, agency, new Date());
    assert.equal(signer.certificate.info.isCa, false);
  });

  test('a replaced certificate is retired, and what it signed still verifies', async () => {
    const agency = (await t.database.db.selectFrom('agency').select('id').where('code', '=', '000.00.51.H20').executeTakeFirstOrThrow()).id;
    const before = await loadAgencySigner(t.database.db, secrets, agency, new Date());
    const content = Buffer.from('%PDF-1.7 kết quả cũ');
    const signature = signDetached(content, before.signer, new Date());
    await issueAgencyCertificate(t.database.db, secrets, '000.00.51.H20');
    const after = await loadAgencySigner(t.database.db, secrets, agency, new Date());
    assert.notEqual(after.id, before.id);
    const retired = await t.database.db.selectFrom('signingCertificate').select('retiredAt').where('id', '=', before.id).executeTakeFirstOrThrow();
    assert.ok(retired.retiredAt);
    assert.equal(verifyDetached(content, signature, await loadTrustAnchors(t.database.db)).valid, true);
  });

  test('an import from another CA: refused until its root is trusted, refused with another key, stored once both are right', async () => {
    const now = new Date();
    const rootKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const root = { certificate: parseCertificate(createCertificate({ subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ (thử)'], ['CN', 'CA gốc thử nghiệm']], publicKey: rootKeys.publicKey, privateKey: rootKeys.privateKey, ca: true, pathLength: 1, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY) })), privateKey: rootKeys.privateKey };
    const subKeys = generateSigningKey();
    const sub = { certificate: parseCertificate(createCertificate({ subject: [['C', 'VN'], ['CN', 'CA chuyên dùng thử nghiệm']], publicKey: subKeys.publicKey, issuer: root, ca: true, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3000 * DAY) })), privateKey: subKeys.privateKey };
    const leafKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const leaf = createCertificate({ subject: [['C', 'VN'], ['CN', 'UBND phường Gò Công']], publicKey: leafKeys.publicKey, issuer: sub, ca: false, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 700 * DAY) });
    const certificatePem = toPem(leaf) + toPem(sub.certificate.der);
    const keyPem = leafKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;

    await refusedWith(() => importAgencyCertificate(t.database.db, secrets, '000.00.52.H20', { certificatePem, keyPem }), 'signature.keys.importRefused', /^Chứng thư không dùng được để ký: Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp\.$/);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await refusedWith(() => importAgencyCertificate(t.database.db, secrets, '000.00.52.H20', { certificatePem, keyPem: otherKey, caPem: toPem(root.certificate.der) }), 'signature.keys.keyMismatch', /không khớp/);
    await refusedWith(() => importAgencyCertificate(t.database.db, secrets, '000.00.52.H20', { certificatePem: 'không phải PEM', keyPem }), 'signature.keys.certificateUnreadable', /Không đọc được chứng thư số/);
    await refusedWith(() => importAgencyCertificate(t.database.db, secrets, '000.00.52.H20', { certificatePem, keyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), 'signature.keys.keyUnreadable', /Không đọc được khóa bí mật/);
    await refusedWith(() => importAgencyCertificate(t.database.db, secrets, '000.00.52.H20', { certificatePem, keyPem, caPem: certificatePem }), 'signature.keys.notCa', /phải chứa chứng thư của CA/);
    await refusedWith(() => importAgencyCertificate(t.database.db, secrets, '999.99.99.H99', { certificatePem, keyPem, caPem: toPem(root.certificate.der) }), 'signature.keys.agencyUnknown', /Không có cơ quan nào mang mã 999\.99\.99\.H99/);

    const info = await importAgencyCertificate(t.database.db, secrets, '000.00.52.H20', { certificatePem, keyPem, caPem: toPem(root.certificate.der) });
    assert.equal(info.subject, 'CN=UBND phường Gò Công, C=VN');
    const agency = (await t.database.db.selectFrom('agency').select('id').where('code', '=', '000.00.52.H20').executeTakeFirstOrThrow()).id;
    const { signer } = await loadAgencySigner(t.database.db, secrets, agency, new Date());
    assert.equal(signer.chain.length, 1, 'the intermediate is kept and sent with each signature');
    const content = Buffer.from('%PDF-1.7 kết quả ký bằng chứng thư thật');
    const verified = verifyDetached(content, signDetached(content, signer, new Date()), await loadTrustAnchors(t.database.db));
    assert.equal(verified.valid, true, verified.reason);
    assert.equal(verified.path.length, 3);
    const rows = await listCertificates(t.database.db);
    assert.ok(rows.some((r) => r.kind === 'ca' && !r.hasKey && r.subject === 'CN=CA gốc thử nghiệm, O=Ban Cơ yếu Chính phủ (thử), C=VN'), 'the root is trusted, without a key');
  });
});

describe('the keys command (in process; the command-line test runs the real binary)', () => {
  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runKeysCommand(t.database.db, secrets, args, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { status, out: out.join('\n'), err: err.join('\n') };
  }

  test('usage mistakes print the usage and exit 2', async () => {
    for (const args of [[], ['issue'], ['issue', '000.00.51.H20', '--days', '0'], ['issue', '000.00.51.H20', '--days', 'mười'], ['issue', 'a', 'b'], ['list', 'extra'], ['import', '000.00.52.H20', '--cert', 'x.pem'], ['issue', '000.00.51.H20', '--color']]) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.err, /^Cách dùng: keys demo-ca \| keys issue <mã cơ quan> \[--days N\] \| keys list \| keys import/);
    }
  });

  test('demo-ca keeps the existing CA; a wrong key or a missing file is refused and stores nothing', async () => {
    const again = await run('demo-ca');
    assert.equal(again.status, 0);
    assert.match(again.out, /^CA đã có sẵn: CN=MộtCửa Demo CA \(chỉ dùng thử nghiệm\), O=MộtCửa, C=VN \(SHA-256 [0-9a-f]{64}\)\.$/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-keys-'));
    try {
      const ca = await ensureDemoCa(t.database.db, secrets);
      assert.equal(ca.created, false);
      const keys = generateSigningKey();
      const anchors = await loadTrustAnchors(t.database.db);
      const demoCa = anchors.find((a) => a.info.fingerprint === ca.info.fingerprint)!;
      const row = await t.database.db.selectFrom('signingCertificate').select('sealedKey').where('fingerprint', '=', demoCa.info.fingerprint).executeTakeFirstOrThrow();
      const issuer = { certificate: demoCa, privateKey: createPrivateKey(secrets.open(row.sealedKey!)) };
      const now = Date.now();
      fs.writeFileSync(path.join(dir, 'cert.pem'), toPem(createCertificate({ subject: [['CN', 'Thử khóa']], publicKey: keys.publicKey, issuer, ca: false, notBefore: new Date(now - DAY), notAfter: new Date(now + DAY) })));
      fs.writeFileSync(path.join(dir, 'other.key'), generateSigningKey().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      const rows = await certificateRows();
      const mismatch = await run('import', '000.00.53.H20', '--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'other.key'));
      assert.equal(mismatch.status, 1);
      assert.equal(mismatch.err, 'Khóa bí mật không khớp với chứng thư số.');
      const missing = await run('import', '000.00.53.H20', '--cert', path.join(dir, 'khong-co.pem'), '--key', path.join(dir, 'other.key'));
      assert.equal(missing.status, 1);
      assert.equal(missing.err, `Không đọc được tệp ${path.join(dir, 'khong-co.pem')}.`);
      assert.equal(await certificateRows(), rows);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
