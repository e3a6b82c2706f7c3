// X.509 certificates: made (the demo CA and the agencies' certificates it issues), read (PEM or
// DER, from a real CA too) and described for people. The ASN.1 structures come from PKI.js; every
// cryptographic operation is node:crypto's (OpenSSL), which also reads RSA and EC keys in PEM.
// The profile follows RFC 5280: a CA has basicConstraints cA and keyCertSign; an agency's
// certificate is an end entity for digitalSignature and nonRepudiation (the latter so that the
// signature binds the agency, Decree 130/2018/NĐ-CP on digital signatures).
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** One attribute of a distinguished name, most significant first (C, O, OU, CN). */
export type NamePart = readonly ['C' | 'ST' | 'L' | 'O' | 'OU' | 'CN', string];

const NAME_OIDS: Record<NamePart[0], string> = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };
const NAME_LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** Key usage bits as they sit in the first byte of the BIT STRING (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 } as const;

export class CertificateError extends Error {
  constructor(readonly reason: 'unreadable' | 'key_mismatch' | 'unsupported_key', message: string) {
    super(message);
    this.name = 'CertificateError';
  }
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** Upper-case hex, as certificate viewers print it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
  isCa: boolean;
}

export interface ParsedCertificate {
  der: Buffer;
  /** OpenSSL's view: issuer checks and signature verification. */
  x509: X509Certificate;
  /** PKI.js's view: names, dates and extensions as ASN.1. */
  pki: pkijs.Certificate;
  info: CertificateInfo;
  /** The first byte of the keyUsage extension; undefined when the certificate has none. */
  keyUsage: number | undefined;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** "CN=…, OU=…, O=…, C=VN": most specific first, as people read a certificate's name. */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const value = (tv.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
      return `${NAME_LABELS[tv.type] ?? tv.type}=${typeof value === 'string' ? value : '#'}`;
    })
    .reverse()
    .join(', ');
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const bytes = Buffer.from(der);
  let x509: X509Certificate;
  let pki: pkijs.Certificate;
  try {
    x509 = new X509Certificate(bytes);
    pki = pkijs.Certificate.fromBER(toArrayBuffer(bytes));
  } catch (error) {
    throw new CertificateError('unreadable', `not an X.509 certificate: ${error instanceof Error ? error.message : String(error)}`);
  }
  let keyUsage: number | undefined;
  for (const extension of pki.extensions ?? []) {
    if (extension.extnID !== OID.keyUsage) continue;
    const bits = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result;
    keyUsage = bits instanceof asn1js.BitString ? (bits.valueBlock.valueHexView[0] ?? 0) : 0;
  }
  return {
    der: bytes,
    x509,
    pki,
    keyUsage,
    info: {
      subject: formatName(pki.subject),
      issuer: formatName(pki.issuer),
      serialNumber: x509.serialNumber.toUpperCase(),
      notBefore: pki.notBefore.value,
      notAfter: pki.notAfter.value,
      fingerprint: createHash('sha256').update(bytes).digest('hex'),
      isCa: x509.ca,
    },
  };
}

/** Every block of `label` in a PEM text, as DER. */
export function pemBlocks(pem: string, label = 'CERTIFICATE'): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(pattern)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A new key pair for signing: ECDSA on P-256 (FIPS 186-4), small and fast to make and to use. */
export function generateSigningKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** The hash and the algorithm identifier with which `key` signs. RSA and EC keys are supported. */
export function signatureAlgorithmOf(key: KeyObject, purpose: 'certificate' | 'cms'): { hash: 'sha256' | 'sha384' | 'sha512'; identifier: pkijs.AlgorithmIdentifier } {
  if (key.asymmetricKeyType === 'ec') {
    // A certificate is signed with the hash that matches the curve; CMS uses SHA-256 throughout.
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const hash = purpose === 'cms' || curve === 'prime256v1' ? 'sha256' : curve === 'secp384r1' ? 'sha384' : 'sha512';
    const oid = hash === 'sha256' ? OID.ecdsaWithSha256 : hash === 'sha384' ? OID.ecdsaWithSha384 : OID.ecdsaWithSha512;
    return { hash, identifier: new pkijs.AlgorithmIdentifier({ algorithmId: oid }) };
  }
  if (key.asymmetricKeyType === 'rsa') {
    // In a SignerInfo, RFC 5754 §3.2 allows plain rsaEncryption, which every verifier reads.
    const oid = purpose === 'cms' ? OID.rsaEncryption : OID.sha256WithRsa;
    return { hash: 'sha256', identifier: new pkijs.AlgorithmIdentifier({ algorithmId: oid, algorithmParams: new asn1js.Null() }) };
  }
  throw new CertificateError('unsupported_key', `unsupported key type: ${key.asymmetricKeyType ?? 'unknown'} (RSA or EC keys only)`);
}

function distinguishedName(parts: readonly NamePart[]): pkijs.RelativeDistinguishedNames {
  // One attribute per RDN, as every CA writes names (PKI.js would put them all in one set).
  const sequence = new asn1js.Sequence({
    value: parts.map(
      ([type, value]) =>
        new asn1js.Set({
          value: [
            new asn1js.Sequence({
              value: [new asn1js.ObjectIdentifier({ value: NAME_OIDS[type] }), type === 'C' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value: value.normalize('NFC') })],
            }),
          ],
        }),
    ),
  });
  return pkijs.RelativeDistinguishedNames.fromBER(sequence.toBER());
}

function publicKeyInfo(key: KeyObject): pkijs.PublicKeyInfo {
  const publicKey = key.type === 'public' ? key : createPublicKey(key);
  return pkijs.PublicKeyInfo.fromBER(toArrayBuffer(publicKey.export({ type: 'spki', format: 'der' })));
}

/** RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(info: pkijs.PublicKeyInfo): Buffer {
  return createHash('sha1').update(info.subjectPublicKey.valueBlock.valueHexView).digest();
}

function extension(oid: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID: oid, critical, extnValue: value.toBER(false) });
}

export interface CertificateRequest {
  subject: readonly NamePart[];
  /** The subject's public key. */
  publicKey: KeyObject;
  /** The issuing CA; absent for a self-signed root, which signs with `privateKey`. */
  issuer?: { certificate: ParsedCertificate; privateKey: KeyObject };
  privateKey?: KeyObject;
  ca: boolean;
  /** For a CA: how many intermediate CAs may stand below it (0 by default: it issues end entities only). */
  pathLength?: number;
  notBefore: Date;
  notAfter: Date;
}

/** Makes and signs a certificate; returns its DER. */
export function createCertificate(request: CertificateRequest): Buffer {
  const signingKey = request.issuer?.privateKey ?? request.privateKey;
  if (!signingKey) throw new Error('a self-signed certificate needs its private key');
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  // 16 random bytes, the first below 0x80 so that the INTEGER stays positive (RFC 5280 §4.1.2.2).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject = distinguishedName(request.subject);
  certificate.issuer = request.issuer ? request.issuer.certificate.pki.subject : certificate.subject;
  certificate.notBefore.value = request.notBefore;
  certificate.notAfter.value = request.notAfter;
  certificate.subjectPublicKeyInfo = publicKeyInfo(request.publicKey);

  const basicConstraints = new pkijs.BasicConstraints(request.ca ? { cA: true, pathLenConstraint: request.pathLength ?? 0 } : {});
  const usage = request.ca ? KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign : KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation;
  const issuerKeyId = request.issuer ? keyIdentifier(request.issuer.certificate.pki.subjectPublicKeyInfo) : keyIdentifier(certificate.subjectPublicKeyInfo);
  certificate.extensions = [
    extension(OID.basicConstraints, true, basicConstraints.toSchema()),
    // DER drops trailing zero bits: keyCertSign|cRLSign leaves 1 unused bit, the two signing bits 6.
    extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: Uint8Array.from([usage]), unusedBits: request.ca ? 1 : 6 })),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: keyIdentifier(certificate.subjectPublicKeyInfo) })),
    extension(OID.authorityKeyIdentifier, false, new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: issuerKeyId })] })),
  ];

  const algorithm = signatureAlgorithmOf(signingKey, 'certificate');
  certificate.signature = algorithm.identifier;
  certificate.signatureAlgorithm = algorithm.identifier;
  const tbs = certificate.encodeTBS().toBER();
  certificate.tbsView = new Uint8Array(tbs);
  certificate.signatureValue = new asn1js.BitString({ valueHex: sign(algorithm.hash, Buffer.from(tbs), signingKey) });
  return Buffer.from(certificate.toSchema(true).toBER());
}

/** Whether `privateKey` is the key of `certificate` (an import must not pair a key with another's certificate). */
export function keyMatches(certificate: ParsedCertificate, privateKey: KeyObject): boolean {
  try {
    return certificate.x509.checkPrivateKey(privateKey);
  } catch {
    return false;
  }
}
