// The public check of an issued result (/verify/{id}): the stored document is read back, hashed and
// its signature verified against the CAs the platform trusts, every time, so the page says what is
// true now (a file changed in storage shows "Không hợp lệ"). A file a person holds is checked the
// same way against the stored signature, by its SHA-256 alone: it is hashed as it streams in and
// never stored. Results are public by their random id (122 bits): the QR code printed on the
// document is the key, as on paper; the lookups are rate-limited per client address.
import { createHash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { FileStorage } from '../document/document.service.js';
import { parseCertificate, type CertificateInfo } from './certificates.js';
import { verifyDetached, type SignedContent, type VerificationFailure } from './cms.js';
import { loadTrustAnchors } from './key-store.js';

export interface VerifyDeps {
  db: Kysely<DB>;
  storage: FileStorage;
  /** The largest file a person may upload to check it. */
  uploadMaxBytes: number;
}

export type CheckFailure = VerificationFailure | 'file_missing';

export interface SignatureCheck {
  valid: boolean;
  reason: CheckFailure | null;
  /** SHA-256 of what was checked, lower-case hex. */
  sha256: string;
}

export interface ResultRecord {
  id: string;
  title: string;
  agency: { name: string; code: string | null };
  signedAt: Date;
  sha256: string;
  size: number;
  fileName: string;
  source: 'template' | 'upload';
  signer: CertificateInfo;
}

export interface ResultVerification extends ResultRecord {
  check: SignatureCheck;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isResultId(value: string): boolean {
  return UUID.test(value);
}

async function findResult(db: Kysely<DB>, id: string) {
  if (!isResultId(id)) return undefined;
  return db
    .selectFrom('signedResult as r')
    .innerJoin('agency as a', 'a.id', 'r.agencyId')
    .select(['r.id', 'r.title', 'r.signedAt', 'r.sha256', 'r.size', 'r.fileName', 'r.source', 'r.signature', 'r.signerCertificate', 'a.name as agencyName', 'a.code as agencyCode'])
    .where('r.id', '=', id.toLowerCase())
    .executeTakeFirst();
}

type ResultRow = NonNullable<Awaited<ReturnType<typeof findResult>>>;

async function getResult(db: Kysely<DB>, id: string): Promise<ResultRow> {
  const row = await findResult(db, id);
  if (!row) throw new AppError('not_found');
  return row;
}

function recordOf(row: ResultRow): ResultRecord {
  return {
    id: row.id,
    title: row.title,
    agency: { name: row.agencyName, code: row.agencyCode },
    signedAt: new Date(row.signedAt),
    sha256: row.sha256,
    size: Number(row.size),
    fileName: row.fileName,
    source: row.source,
    signer: parseCertificate(row.signerCertificate).info,
  };
}

async function check(db: Kysely<DB>, row: ResultRow, content: SignedContent, sha256: string): Promise<SignatureCheck> {
  const result = verifyDetached(content, row.signature, await loadTrustAnchors(db));
  return { valid: result.valid, reason: result.reason ?? null, sha256 };
}

/** The result and whether its stored document still carries a valid signature. 404 when unknown. */
export async function verifySignedResult(deps: VerifyDeps, id: string): Promise<ResultVerification> {
  const row = await getResult(deps.db, id);
  let bytes: Buffer;
  try {
    bytes = await deps.storage.read(row.sha256);
  } catch {
    return { ...recordOf(row), check: { valid: false, reason: 'file_missing', sha256: row.sha256 } };
  }
  return { ...recordOf(row), check: await check(deps.db, row, bytes, createHash('sha256').update(bytes).digest('hex')) };
}

/** Hashes a streamed upload without keeping it; 413 past the limit, 400 when empty. */
async function hashUpload(stream: NodeJS.ReadableStream, maxBytes: number, truncated?: () => boolean): Promise<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  const tooLarge = () => new AppError('payload_too_large', 'document.tooLarge', { maxMb: Math.round((maxBytes / (1024 * 1024)) * 10) / 10 });
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes || truncated?.()) return done(tooLarge());
      hash.update(chunk);
      done();
    },
  });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  await pipeline(stream, meter, sink);
  if (truncated?.()) throw tooLarge();
  if (size === 0) throw new AppError('invalid_input', 'document.empty');
  return hash.digest();
}

/** Checks a file a person holds against the result's signature: the same bytes are valid, any change is not. */
export async function checkFileAgainstResult(deps: VerifyDeps, id: string, upload: { stream: NodeJS.ReadableStream; truncated?: () => boolean }): Promise<{ result: ResultVerification; upload: SignatureCheck }> {
  const row = await findResult(deps.db, id);
  if (!row) {
    upload.stream.resume();
    throw new AppError('not_found');
  }
  const digest = await hashUpload(upload.stream, deps.uploadMaxBytes, upload.truncated);
  const result = await verifySignedResult(deps, id);
  return { result, upload: await check(deps.db, row, { sha256: digest }, digest.toString('hex')) };
}

/** The same check for a SHA-256 the caller computed (the JSON API's `sha256` parameter). */
export async function checkDigestAgainstResult(deps: VerifyDeps, id: string, sha256Hex: string): Promise<SignatureCheck> {
  const row = await getResult(deps.db, id);
  return check(deps.db, row, { sha256: Buffer.from(sha256Hex.toLowerCase(), 'hex') }, sha256Hex.toLowerCase());
}

/** The signed document, for download. */
export async function openResultDocument(deps: VerifyDeps, id: string): Promise<{ fileName: string; size: number; stream: NodeJS.ReadableStream }> {
  const row = await getResult(deps.db, id);
  if (!(await deps.storage.has(row.sha256))) throw new AppError('not_found');
  return { fileName: row.fileName, size: Number(row.size), stream: deps.storage.createReadStream(row.sha256) };
}

/** The detached signature (DER), for download as .p7s. */
export async function resultSignature(deps: VerifyDeps, id: string): Promise<{ fileName: string; signature: Buffer }> {
  const row = await getResult(deps.db, id);
  return { fileName: row.fileName.replace(/\.pdf$/i, '.p7s'), signature: Buffer.from(row.signature) };
}
