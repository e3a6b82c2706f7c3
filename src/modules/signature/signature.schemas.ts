// TypeBox schemas of the public verification API (GET /api/v1/verify/{id}).
import { Type, type Static } from 'typebox';

const Time = Type.String({ format: 'date-time' });

export const VerifyParamsSchema = Type.Object({ id: Type.String({ format: 'uuid', description: 'The code printed under the QR code of the result' }) });
export const VerifyQuerySchema = Type.Object({
  sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'The SHA-256 (64 hex characters) of a file you hold: the answer says whether that file is the signed document' })),
});

const CheckSchema = Type.Object({
  status: Type.Union([Type.Literal('valid'), Type.Literal('invalid')]),
  /** Why not valid: a stable code for machines. */
  reason: Type.Union([
    Type.Literal('malformed'),
    Type.Literal('unsupported'),
    Type.Literal('digest_mismatch'),
    Type.Literal('signature_invalid'),
    Type.Literal('untrusted'),
    Type.Literal('certificate_expired'),
    Type.Literal('certificate_not_yet_valid'),
    Type.Literal('certificate_usage'),
    Type.Literal('file_missing'),
    Type.Null(),
  ]),
  /** "Hợp lệ" / "Không hợp lệ: …", in the caller's language. */
  message: Type.String(),
  sha256: Type.String(),
});

export const CertificateSchema = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  serialNumber: Type.String(),
  notBefore: Time,
  notAfter: Time,
  fingerprint: Type.String({ description: 'SHA-256 of the certificate (DER), hex' }),
});

export const VerifyResponseSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  issuer: Type.Object({ name: Type.String(), code: Type.Union([Type.String(), Type.Null()]) }),
  signedAt: Time,
  sha256: Type.String({ description: 'SHA-256 of the signed document, hex' }),
  size: Type.Integer(),
  source: Type.Union([Type.Literal('template'), Type.Literal('upload')]),
  signer: CertificateSchema,
  signature: CheckSchema,
  /** Present when ?sha256= was given: whether that file is the signed document. */
  file: Type.Optional(CheckSchema),
  links: Type.Object({ page: Type.String(), document: Type.String(), signature: Type.String() }),
});

export type VerifyResponse = Static<typeof VerifyResponseSchema>;
