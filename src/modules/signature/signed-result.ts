// Issuing an electronic result (Decree 45/2020/NĐ-CP: the result of an administrative procedure
// done online is returned as an electronic document with the agency's digital signature): the PDF
// is made from its template or taken as uploaded, carries the QR code of its check page, is signed
// with the agency's certificate (a detached CMS signature over its final bytes), stored once under
// its SHA-256, recorded, and put into the applicant's e-repository (art. 11) for later dossiers.
//
// The caller has authorised the act: the workflow's approval step, where the leader who approves
// issues the result, runs this in its own transaction (so the result exists exactly when the
// dossier is done) after its access check.
import { createHash, randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translator } from '../../platform/i18n/i18n.js';
import type { SecretBox } from '../../platform/security/secrets.js';
import { formatDate } from '../../platform/text/vietnam-time.js';
import type { FileStorage } from '../document/document.service.js';
import { signDetached } from './cms.js';
import { loadAgencySigner } from './key-store.js';
import { appendVerificationPage, renderResultPdf, verifyUrl, type ResultIssuer, type ResultTemplateData } from './result-pdf.js';

/** What issuing needs from the app: the dossier module's deps carry the first three. */
export interface SignatureDeps {
  storage: FileStorage;
  /** On the storage's filesystem, so that storing is a rename. */
  tempDir: string;
  publicUrl: string;
  /** Opens the agencies' sealed private keys. */
  secrets: SecretBox;
}

export interface IssueResultInput {
  dossierId?: string | null | undefined;
  agencyId: number;
  /** Shown in the e-repository and on the check page (1–300 characters). */
  title: string;
  /** An uploaded PDF, or the data of the result template. */
  pdf: Buffer | { templateData: ResultTemplateData };
  /** The account of the leader who signs. */
  issuedBy: number;
  /** Whose e-repository receives the result; the dossier's applicant when absent. */
  ownerAccountId?: number | null | undefined;
}

export interface IssuedResult {
  id: string;
  sha256: string;
  size: number;
  signedAt: Date;
  /** The check page, as printed under the QR code. */
  url: string;
  fileName: string;
  /** The e-repository item, when the result went to a citizen's or business's repository. */
  repositoryItemId: string | null;
}

async function issuerOf(trx: Transaction<DB>, agencyId: number): Promise<ResultIssuer> {
  const agency = await trx.selectFrom('agency as a').leftJoin('agency as p', 'p.id', 'a.parentId').select(['a.name', 'p.name as parentName']).where('a.id', '=', agencyId).executeTakeFirst();
  if (!agency) throw new AppError('not_found');
  return { name: agency.name, parentName: agency.parentName ?? undefined };
}

/** The e-repository that receives the result: a citizen's or a business's, never an officer's
 *  (reception enters walk-in dossiers under its own account). */
async function repositoryOwner(trx: Transaction<DB>, input: IssueResultInput): Promise<number | null> {
  const candidate =
    input.ownerAccountId ??
    (input.dossierId ? (await trx.selectFrom('dossier').select('ownerAccountId').where('id', '=', input.dossierId).executeTakeFirst())?.ownerAccountId : undefined);
  if (candidate === undefined || candidate === null) return null;
  const account = await trx.selectFrom('account').select('kind').where('id', '=', candidate).executeTakeFirst();
  return account && (account.kind === 'citizen' || account.kind === 'business') ? candidate : null;
}

/** "Kết quả giải quyết hồ sơ 000.00.51.H20-261128-0001" → "ket-qua-giai-quyet-ho-so-000.00.51.h20-261128-0001.pdf". */
function fileNameOf(title: string, id: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || `ket-qua-${id.slice(0, 8)}`}.pdf`;
}

async function store(deps: SignatureDeps, bytes: Buffer, sha256: string): Promise<void> {
  const temp = path.join(deps.tempDir, `${randomUUID()}.result`);
  try {
    await writeFile(temp, bytes, { flag: 'wx', mode: 0o600 });
    await deps.storage.putFile(sha256, temp);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Issues, signs and stores one result inside the caller's transaction. Refused before anything
 * is stored when the agency has no certificate valid now, the title is empty, or an uploaded file
 * is not a readable, unencrypted PDF.
 */
export async function issueSignedResult(trx: Transaction<DB>, deps: SignatureDeps, input: IssueResultInput): Promise<IssuedResult> {
  const title = input.title.normalize('NFC').trim();
  if (title.length < 1 || title.length > 300) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'title', message: { key: 'signature.error.titleRequired' } }]);
  const issuer = await issuerOf(trx, input.agencyId);
  // UTCTime in the signature holds whole seconds; the row keeps the same instant.
  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const { id: certificateId, signer } = await loadAgencySigner(trx, deps.secrets, input.agencyId, signedAt);

  const id = randomUUID();
  const url = verifyUrl(deps.publicUrl, id);
  const upload = Buffer.isBuffer(input.pdf);
  const bytes = Buffer.isBuffer(input.pdf)
    ? await appendVerificationPage(input.pdf, { issuer, title, id, url, signedAt })
    : await renderResultPdf({ issuer, title, template: input.pdf.templateData, url, signedAt });
  const signature = signDetached(bytes, signer, signedAt);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileName = fileNameOf(title, id);

  // The file is in place before any row points at it; a rolled-back issue leaves only an
  // unreferenced file under its hash, as an abandoned upload does.
  await store(deps, bytes, sha256);
  await trx.insertInto('storedFile').values({ sha256, size: bytes.length, mediaType: 'application/pdf' }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  const owner = await repositoryOwner(trx, input);
  await trx
    .insertInto('signedResult')
    .values({
      id,
      dossierId: input.dossierId ?? null,
      agencyId: input.agencyId,
      title,
      source: upload ? 'upload' : 'template',
      sha256,
      fileName,
      size: bytes.length,
      signature,
      signingCertificateId: certificateId,
      signerCertificate: signer.certificate.der,
      signedAt,
      issuedBy: input.issuedBy,
      ownerAccountId: owner,
    })
    .execute();
  let repositoryItemId: string | null = null;
  if (owner !== null) {
    // Decree 45/2020 art. 11: the electronic result is kept in the applicant's e-repository.
    repositoryItemId = randomUUID();
    await trx.insertInto('repositoryItem').values({ id: repositoryItemId, accountId: owner, kind: 'result', sha256, fileName, mediaType: 'application/pdf', size: bytes.length, title }).execute();
  }
  await appendAudit(trx, {
    actorType: 'officer',
    actorId: String(input.issuedBy),
    action: 'result.sign',
    objectType: 'signed_result',
    objectId: id,
    details: { dossierId: input.dossierId ?? null, agencyId: input.agencyId, sha256, certificate: signer.certificate.info.fingerprint, source: upload ? 'upload' : 'template' },
  });
  return { id, sha256, size: bytes.length, signedAt, url, fileName, repositoryItemId };
}

/**
 * The generic result template for a dossier (until a procedure carries its own layout): the
 * dossier code as the number, the procedure, the applicant and the result the procedure gives.
 */
export async function dossierResultTemplate(db: Kysely<DB> | Transaction<DB>, dossierId: string, decidedAt = new Date()): Promise<{ title: string; templateData: ResultTemplateData }> {
  const row = await db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedureId')
    .innerJoin('agency as a', 'a.id', 'd.agencyId')
    .select(['d.code', 'd.applicantName', 'd.submittedAt', 'p.name as procedureName', 'p.resultType', 'a.name as agencyName'])
    .where('d.id', '=', dossierId)
    .executeTakeFirst();
  if (!row?.code) throw new AppError('not_found');
  const t = translator('vi');
  return {
    title: t('signature.template.resultTitle', { code: row.code }),
    templateData: {
      reference: t('signature.template.reference', { code: row.code }),
      heading: t('signature.template.title'),
      intro: [t('signature.template.intro', { agency: row.agencyName })],
      fields: [
        { label: t('signature.template.code'), value: row.code },
        { label: t('signature.template.procedure'), value: row.procedureName },
        { label: t('signature.template.applicant'), value: row.applicantName ?? '—' },
        { label: t('signature.template.result'), value: row.resultType ?? t('signature.template.resultApproved') },
        ...(row.submittedAt ? [{ label: t('signature.template.submittedAt'), value: formatDate('vi', new Date(row.submittedAt)) }] : []),
        { label: t('signature.template.decidedAt'), value: formatDate('vi', decidedAt) },
      ],
      closing: [t('signature.template.closing')],
    },
  };
}
