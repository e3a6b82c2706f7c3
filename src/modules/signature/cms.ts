// Detached CMS signatures (RFC 5652 SignedData, the .p7s of RFC 8551) over a result's exact bytes,
// with the signed attributes CAdES-BES asks for (ETSI EN 319 122-1): content type, signing time,
// message digest and the signer's certificate hash (ESS signing-certificate-v2, RFC 5035), so
// that the certificate cannot be swapped for another with the same key. Decision 009.
//
// Verification answers one reason when it fails, checked in this order: the structure, the
// message digest against the bytes (a tampered copy fails here), the signature over the signed
// attributes with the signer's key, the path from the signer's certificate to a trusted CA, the
// validity of every certificate on that path at the signing time, and the signer's key usage.
// Revocation (CRL, OCSP) is not checked: the demo CA publishes none (decision 009).
import { createHash, verify as verifySignature, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { KEY_USAGE, OID, parseCertificate, signatureAlgorithmOf, type CertificateInfo, type ParsedCertificate } from './certificates.js';

const ATTR = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;
const ID_DATA = '1.2.840.113549.1.7.1';
const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';

const DIGESTS: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  [OID.sha256]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms read: RSA PKCS #1 v1.5 and ECDSA (the hash named, or the digest's for rsaEncryption). */
const SIGNATURE_HASH: Record<string, 'sha256' | 'sha384' | 'sha512' | 'digest'> = {
  [OID.rsaEncryption]: 'digest',
  [OID.sha256WithRsa]: 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
};

export interface Signer {
  certificate: ParsedCertificate;
  /** Intermediate certificates up to a trusted CA, carried in the signature. */
  chain: readonly ParsedCertificate[];
  privateKey: KeyObject;
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** UTCTime up to 2049, GeneralizedTime after (RFC 5652 §11.3). */
function timeValue(at: Date): asn1js.BaseBlock {
  return at.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: at }) : new asn1js.GeneralizedTime({ valueDate: at });
}

/**
 * Signs `content` (the final bytes of a result) and returns the DER of a detached SignedData.
 * `signingTime` is written at whole seconds, as UTCTime holds it.
 */
export function signDetached(content: Uint8Array, signer: Signer, signingTime: Date): Buffer {
  const certificate = signer.certificate.pki;
  const attributes = [
    new pkijs.Attribute({ type: ATTR.contentType, values: [new asn1js.ObjectIdentifier({ value: ID_DATA })] }),
    new pkijs.Attribute({ type: ATTR.signingTime, values: [timeValue(signingTime)] }),
    new pkijs.Attribute({ type: ATTR.messageDigest, values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })] }),
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the
    // default hash (SHA-256) holds only certHash.
    new pkijs.Attribute({
      type: ATTR.signingCertificateV2,
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: createHash('sha256').update(signer.certificate.der).digest() })] })] })] })],
    }),
  ];
  // DER sorts the members of a SET OF by their encodings; what is signed is exactly what is sent.
  const sorted = attributes
    .map((attribute) => ({ attribute, der: Buffer.from(attribute.toSchema().toBER()) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((entry) => entry.attribute);
  const signedAttrs = new asn1js.Set({ value: sorted.map((a) => a.toSchema()) }).toBER();
  const algorithm = signatureAlgorithmOf(signer.privateKey, 'cms');

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    // RFC 5754 §2: SHA-2 identifiers are generated with absent parameters.
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted }),
    signatureAlgorithm: algorithm.identifier,
    signature: new asn1js.OctetString({ valueHex: sign('sha256', Buffer.from(signedAttrs), signer.privateKey) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: ID_DATA }),
    certificates: [certificate, ...signer.chain.map((c) => c.pki)],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: ID_SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER());
}

export type VerificationFailure =
  | 'malformed'
  | 'unsupported'
  | 'digest_mismatch'
  | 'signature_invalid'
  | 'untrusted'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'certificate_usage';

export interface Verification {
  valid: boolean;
  reason?: VerificationFailure;
  /** The signing time the signature carries (signed, so it cannot be changed without the key). */
  signedAt?: Date;
  signer?: CertificateInfo;
  /** From the signer's certificate to the trusted CA, when such a path was found. */
  path: CertificateInfo[];
}

/** The bytes to check, or only their SHA-256 (an upload hashed while it streamed in). */
export type SignedContent = Uint8Array | { sha256: Buffer };

function fail(reason: VerificationFailure, partial: Partial<Verification> = {}): Verification {
  return { valid: false, reason, path: [], ...partial };
}

function attributeValue(signerInfo: pkijs.SignerInfo, type: string): asn1js.BaseBlock | undefined {
  const found = signerInfo.signedAttrs?.attributes.filter((a) => a.type === type) ?? [];
  // RFC 5652 §11: each of these attributes appears once, with one value.
  if (found.length !== 1 || found[0]!.values.length !== 1) return undefined;
  return found[0]!.values[0] as asn1js.BaseBlock;
}

function findSigner(signerInfo: pkijs.SignerInfo, certificates: ParsedCertificate[]): ParsedCertificate | undefined {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.pki.issuer.isEqual(sid.issuer) && c.pki.serialNumber.isEqual(sid.serialNumber));
  }
  // subjectKeyIdentifier [0]: the SHA-1 of the key (RFC 5280 method 1), as this platform writes it.
  const block = sid as asn1js.Constructed & asn1js.Primitive;
  const keyId = Buffer.from(block.idBlock.isConstructed ? (block.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView : block.valueBlock.valueHexView);
  return certificates.find((c) => createHash('sha1').update(c.pki.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest().equals(keyId));
}

function issuedBy(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!issuer.info.isCa || !child.x509.checkIssued(issuer.x509)) return false;
  try {
    return child.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

function pathLength(certificate: ParsedCertificate): number | undefined {
  const extension = certificate.pki.extensions?.find((e) => e.extnID === OID.basicConstraints);
  const value = (extension?.parsedValue as pkijs.BasicConstraints | undefined)?.pathLenConstraint;
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : value.valueBlock.valueDec;
}

/** From the signer to a trusted CA through the intermediates the signature carries (at most 8 deep). */
function buildPath(signer: ParsedCertificate, intermediates: ParsedCertificate[], anchors: readonly ParsedCertificate[]): ParsedCertificate[] | undefined {
  const path = [signer];
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (anchors.some((a) => a.info.fingerprint === current.info.fingerprint)) return path;
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) return [...path, anchor];
    const next = intermediates.find((c) => !path.includes(c) && issuedBy(current, c));
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
  return undefined;
}

/** RFC 5280 §4.2.1.9: a CA's pathLenConstraint caps the intermediate CAs below it. */
function pathLengthsHold(path: ParsedCertificate[]): boolean {
  return path.every((certificate, index) => {
    const limit = index === 0 ? undefined : pathLength(certificate);
    return limit === undefined || index - 1 <= limit;
  });
}

/** Checks a detached signature over `content` against the trusted CAs. Never throws for bad input. */
export function verifyDetached(content: SignedContent, signature: Uint8Array, anchors: readonly ParsedCertificate[]): Verification {
  let signedData: pkijs.SignedData;
  let certificates: ParsedCertificate[];
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(arrayBuffer(signature));
    if (contentInfo.contentType !== ID_SIGNED_DATA) return fail('malformed');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map((c) => parseCertificate(new Uint8Array(c.toSchema().toBER())));
  } catch {
    return fail('malformed');
  }
  // One signer, over detached content of type data, with signed attributes.
  const signerInfo = signedData.signerInfos[0];
  if (signedData.signerInfos.length !== 1 || !signerInfo || signedData.encapContentInfo.eContent || signedData.encapContentInfo.eContentType !== ID_DATA || !signerInfo.signedAttrs) return fail('malformed');
  const signer = findSigner(signerInfo, certificates);
  if (!signer) return fail('malformed');
  const found = { signer: signer.info };

  const contentType = attributeValue(signerInfo, ATTR.contentType);
  const digestValue = attributeValue(signerInfo, ATTR.messageDigest);
  const timeValue = attributeValue(signerInfo, ATTR.signingTime);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== ID_DATA || !(digestValue instanceof asn1js.OctetString)) return fail('malformed', found);
  // Validity "at signing time" needs the signing time: a signature without one is not accepted.
  if (!(timeValue instanceof asn1js.UTCTime || timeValue instanceof asn1js.GeneralizedTime)) return fail('malformed', found);
  const signedAt = timeValue.toDate();
  const withTime = { ...found, signedAt };

  const digestName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  const signatureHash = SIGNATURE_HASH[signerInfo.signatureAlgorithm.algorithmId];
  if (!digestName || !signatureHash) return fail('unsupported', withTime);
  let digest: Buffer;
  if (content instanceof Uint8Array) digest = createHash(digestName).update(content).digest();
  else if (digestName === 'sha256') digest = content.sha256;
  else return fail('unsupported', withTime);
  if (!digest.equals(Buffer.from(digestValue.valueBlock.valueHexView))) return fail('digest_mismatch', withTime);

  let signatureOk: boolean;
  try {
    // The signature covers the DER of the signed attributes as a SET (RFC 5652 §5.4), as received.
    signatureOk = verifySignature(signatureHash === 'digest' ? digestName : signatureHash, Buffer.from(signerInfo.signedAttrs.encodedValue), signer.x509.publicKey, Buffer.from(signerInfo.signature.valueBlock.valueHexView));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return fail('signature_invalid', withTime);
  const essHash = signingCertificateHash(signerInfo);
  if (essHash && !essHash.equals(createHash('sha256').update(signer.der).digest())) return fail('signature_invalid', withTime);

  const intermediates = certificates.filter((c) => c !== signer);
  const path = buildPath(signer, intermediates, anchors);
  if (!path || !pathLengthsHold(path)) return fail('untrusted', withTime);
  const pathInfo = path.map((c) => c.info);
  for (const certificate of path) {
    if (signedAt.getTime() < certificate.info.notBefore.getTime()) return fail('certificate_not_yet_valid', { ...withTime, path: pathInfo });
    if (signedAt.getTime() > certificate.info.notAfter.getTime()) return fail('certificate_expired', { ...withTime, path: pathInfo });
  }
  const usage = signer.keyUsage;
  if (signer.info.isCa || (usage !== undefined && (usage & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)) === 0)) return fail('certificate_usage', { ...withTime, path: pathInfo });
  return { valid: true, ...withTime, path: pathInfo };
}

/** The certHash of the first ESSCertIDv2 when it uses the default hash (SHA-256); undefined otherwise. */
function signingCertificateHash(signerInfo: pkijs.SignerInfo): Buffer | undefined {
  const value = attributeValue(signerInfo, ATTR.signingCertificateV2);
  if (!(value instanceof asn1js.Sequence)) return undefined;
  const certs = value.valueBlock.value[0];
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  const certHash = first instanceof asn1js.Sequence ? first.valueBlock.value[0] : undefined;
  return certHash instanceof asn1js.OctetString ? Buffer.from(certHash.valueBlock.valueHexView) : undefined;
}
