// Detached CMS signatures: what verification accepts and each reason it refuses, and OpenSSL's
// own `cms -verify` reading the same .p7s (so that any standard tool can check a result).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createCertificate, generateSigningKey, parseCertificate, toPem, type NamePart, type ParsedCertificate } from './certificates.js';
import { signDetached, verifyDetached, type Signer } from './cms.js';

const DAY = 86_400_000;
const now = new Date();

function makeCa(name: string, options: { pathLength?: number; notBefore?: Date; notAfter?: Date } = {}) {
  const keys = generateSigningKey();
  const der = createCertificate({
    subject: [['C', 'VN'], ['O', 'Kiểm thử'], ['CN', name]],
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    ca: true,
    ...(options.pathLength !== undefined ? { pathLength: options.pathLength } : {}),
    notBefore: options.notBefore ?? new Date(now.getTime() - 1000 * DAY),
    notAfter: options.notAfter ?? new Date(now.getTime() + 3650 * DAY),
  });
  return { certificate: parseCertificate(der), privateKey: keys.privateKey };
}

type Ca = ReturnType<typeof makeCa>;

function makeSigner(ca: Ca, options: { notBefore?: Date; notAfter?: Date; rsa?: boolean; subject?: NamePart[]; chain?: ParsedCertificate[] } = {}): Signer {
  const keys = options.rsa ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateSigningKey();
  const der = createCertificate({
    subject: options.subject ?? [['C', 'VN'], ['OU', '000.00.51.H20'], ['CN', 'UBND phường Mỹ Tho, tỉnh Đồng Tháp']],
    publicKey: keys.publicKey,
    issuer: ca,
    ca: false,
    notBefore: options.notBefore ?? new Date(now.getTime() - DAY),
    notAfter: options.notAfter ?? new Date(now.getTime() + 700 * DAY),
  });
  return { certificate: parseCertificate(der), chain: options.chain ?? [], privateKey: keys.privateKey };
}

const pdf = Buffer.from('%PDF-1.7\n% Giấy khai sinh — bản điện tử\n1 0 obj << >> endobj\n%%EOF\n', 'utf8');
const tampered = Buffer.from(pdf);
tampered[20] = tampered[20]! ^ 0x01;

describe('detached CMS signatures', () => {
  const ca = makeCa('MộtCửa Demo CA');
  const signer = makeSigner(ca);

  test('a signature over the exact bytes verifies, with its signer and signing time', () => {
    const signature = signDetached(pdf, signer, now);
    const result = verifyDetached(pdf, signature, [ca.certificate]);
    assert.equal(result.valid, true, result.reason);
    assert.equal(result.reason, undefined);
    assert.equal(result.signer?.subject, 'CN=UBND phường Mỹ Tho, tỉnh Đồng Tháp, OU=000.00.51.H20, C=VN');
    assert.equal(result.signer?.issuer, 'CN=MộtCửa Demo CA, O=Kiểm thử, C=VN');
    assert.equal(result.signedAt?.getTime(), Math.floor(now.getTime() / 1000) * 1000, 'UTCTime keeps whole seconds');
    assert.deepEqual(result.path.map((c) => c.fingerprint), [signer.certificate.info.fingerprint, ca.certificate.info.fingerprint]);
    // Only the SHA-256 of the bytes (an upload hashed as it streamed) gives the same answer.
    assert.equal(verifyDetached({ sha256: createHash('sha256').update(pdf).digest() }, signature, [ca.certificate]).valid, true);
  });

  test('a copy with one bit changed is refused: the message digest differs', () => {
    const signature = signDetached(pdf, signer, now);
    const result = verifyDetached(tampered, signature, [ca.certificate]);
    assert.equal(result.valid, false);
    assert.equal(result.reason, 'digest_mismatch');
    assert.equal(verifyDetached({ sha256: createHash('sha256').update(tampered).digest() }, signature, [ca.certificate]).reason, 'digest_mismatch');
  });

  test('a signature whose bytes were altered, or that is not CMS at all, is refused', () => {
    const signature = signDetached(pdf, signer, now);
    const broken = Buffer.from(signature);
    broken[broken.length - 5] = broken[broken.length - 5]! ^ 0x40; // inside the signature value, the last field
    assert.equal(verifyDetached(pdf, broken, [ca.certificate]).reason, 'signature_invalid');
    assert.equal(verifyDetached(pdf, Buffer.from('not a signature'), [ca.certificate]).reason, 'malformed');
    assert.equal(verifyDetached(pdf, Buffer.alloc(0), [ca.certificate]).reason, 'malformed');
  });

  test('a certificate from another CA is not trusted', () => {
    const stranger = makeCa('CA lạ');
    const signature = signDetached(pdf, makeSigner(stranger), now);
    const result = verifyDetached(pdf, signature, [ca.certificate]);
    assert.equal(result.reason, 'untrusted');
    assert.equal(result.valid, false);
    assert.equal(verifyDetached(pdf, signature, [ca.certificate, stranger.certificate]).valid, true, 'trusted once its CA is');
    assert.equal(verifyDetached(pdf, signature, []).reason, 'untrusted');
  });

  test('a certificate expired (or not yet valid) at the signing time is refused; one valid then stays valid', () => {
    const expired = makeSigner(ca, { notBefore: new Date(now.getTime() - 400 * DAY), notAfter: new Date(now.getTime() - DAY) });
    assert.equal(verifyDetached(pdf, signDetached(pdf, expired, now), [ca.certificate]).reason, 'certificate_expired');
    const future = makeSigner(ca, { notBefore: new Date(now.getTime() + DAY), notAfter: new Date(now.getTime() + 400 * DAY) });
    assert.equal(verifyDetached(pdf, signDetached(pdf, future, now), [ca.certificate]).reason, 'certificate_not_yet_valid');
    // Signed while the certificate was valid: still valid after it expired (the time is signed).
    const lastYear = new Date(now.getTime() - 200 * DAY);
    assert.equal(verifyDetached(pdf, signDetached(pdf, expired, lastYear), [ca.certificate]).valid, true);
  });

  test('a CA certificate is no signer; an RSA key and an intermediate CA are accepted', () => {
    const asCa: Signer = { certificate: ca.certificate, chain: [], privateKey: ca.privateKey };
    assert.equal(verifyDetached(pdf, signDetached(pdf, asCa, now), [ca.certificate]).reason, 'certificate_usage');

    const rsa = makeSigner(ca, { rsa: true });
    assert.equal(verifyDetached(pdf, signDetached(pdf, rsa, now), [ca.certificate]).valid, true);

    const root = makeCa('Root CA quốc gia (kiểm thử)', { pathLength: 1 });
    const intermediateKeys = generateSigningKey();
    const intermediate = {
      certificate: parseCertificate(createCertificate({ subject: [['C', 'VN'], ['CN', 'CA chuyên dùng (kiểm thử)']], publicKey: intermediateKeys.publicKey, issuer: root, ca: true, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 1000 * DAY) })),
      privateKey: intermediateKeys.privateKey,
    };
    const leaf = makeSigner(intermediate, { chain: [intermediate.certificate] });
    const result = verifyDetached(pdf, signDetached(pdf, leaf, now), [root.certificate]);
    assert.equal(result.valid, true, result.reason);
    assert.equal(result.path.length, 3);
    // Without the intermediate in the signature there is no path to the root.
    assert.equal(verifyDetached(pdf, signDetached(pdf, { ...leaf, chain: [] }, now), [root.certificate]).reason, 'untrusted');
    // A root that allows no intermediate CA below it (pathLen 0) does not vouch for this path.
    const strictRoot = makeCa('Root CA chặt', { pathLength: 0 });
    const strictKeys = generateSigningKey();
    const strictIntermediate = { certificate: parseCertificate(createCertificate({ subject: [['CN', 'CA trung gian']], publicKey: strictKeys.publicKey, issuer: strictRoot, ca: true, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 1000 * DAY) })), privateKey: strictKeys.privateKey };
    const strictLeaf = makeSigner(strictIntermediate, { chain: [strictIntermediate.certificate] });
    assert.equal(verifyDetached(pdf, signDetached(pdf, strictLeaf, now), [strictRoot.certificate]).reason, 'untrusted');
  });

  test('OpenSSL verifies the same .p7s against the CA, and refuses the tampered copy', (t) => {
    if (spawnSync('openssl', ['version']).error) {
      assert.fail('openssl was not found: install it (apt-get install openssl) to cross-check signatures');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-cms-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, toPem(ca.certificate.der));
    for (const [name, who] of [['ec', signer], ['rsa', makeSigner(ca, { rsa: true })]] as const) {
      const p7s = path.join(dir, `${name}.p7s`);
      fs.writeFileSync(p7s, signDetached(pdf, who, now));
      fs.writeFileSync(path.join(dir, 'good.pdf'), pdf);
      fs.writeFileSync(path.join(dir, 'bad.pdf'), tampered);
      const args = (file: string) => ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', path.join(dir, file), '-CAfile', caFile, '-purpose', 'any', '-out', os.devNull];
      const good = spawnSync('openssl', args('good.pdf'), { encoding: 'utf8' });
      assert.equal(good.status, 0, `${name}: ${good.stderr}`);
      assert.match(good.stderr, /Verification successful/);
      const bad = spawnSync('openssl', args('bad.pdf'), { encoding: 'utf8' });
      assert.notEqual(bad.status, 0, `${name}: OpenSSL accepted a tampered copy`);
    }
    // The signed attributes are the ones CAdES-BES asks for.
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(dir, 'ec.p7s')], { encoding: 'utf8' });
    for (const attribute of ['contentType', 'signingTime', 'messageDigest', 'id-smime-aa-signingCertificateV2']) assert.ok(printed.includes(attribute), attribute);
    assert.match(printed, /eContent: <ABSENT>/, 'detached: the document is not inside the signature');
  });
});
