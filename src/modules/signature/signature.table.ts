// Tables of the signature module (migration 20261128T1900_signed_result). bytea columns arrive as
// Buffer from node-postgres and as Uint8Array from PGlite; the repository reads both as Buffer.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export interface SigningCertificateTable {
  id: Generated<number>;
  kind: 'ca' | 'agency';
  agencyId: number | null;
  subject: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  fingerprint: string;
  notBefore: Timestamp;
  notAfter: Timestamp;
  /** DER. */
  certificate: Bytes;
  /** The intermediate certificates up to a trusted CA, DER, signer's issuer first. */
  chain: ColumnType<Uint8Array[], Uint8Array[] | undefined, Uint8Array[]>;
  /** The PKCS#8 private key, sealed with the server's secret box; null for a trusted CA from outside. */
  sealedKey: string | null;
  createdAt: Generated<Date>;
  retiredAt: Date | null;
}

export interface SignedResultTable {
  id: string;
  dossierId: string | null;
  agencyId: number;
  title: string;
  source: 'template' | 'upload';
  sha256: string;
  fileName: string;
  size: ColumnType<number, number, number>;
  /** The detached CMS SignedData (DER), as served at /verify/{id}/signature.p7s. */
  signature: Bytes;
  signingCertificateId: number;
  signerCertificate: Bytes;
  signedAt: Timestamp;
  issuedBy: number;
  ownerAccountId: number | null;
  createdAt: Generated<Date>;
}
