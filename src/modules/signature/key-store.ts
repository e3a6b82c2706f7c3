// The agencies' signing keys and certificates, and the CAs the platform trusts (decision 009).
// Everything lives in the database (table signing_certificate) so that every node of a cluster
// signs and verifies alike and a backup carries it; private keys are PKCS #8 sealed with the
// server's secret box (AES-256-GCM under SECRET_KEY or DATA_DIR/keys/secret.key), so the
// database alone never reveals one. Nothing here is ever written to the repository.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translate } from '../../platform/i18n/i18n.js';
import type { SecretBox } from '../../platform/security/secrets.js';
import { createCertificate, generateSigningKey, keyMatches, KEY_USAGE, parseCertificate, pemBlocks, type CertificateInfo, type ParsedCertificate } from './certificates.js';
import { signDetached, verifyDetached, type Signer } from './cms.js';

const DAY = 86_400_000;
/** The demo CA lives ten years; an agency's certificate two, like the government CA's (renewed before). */
const CA_DAYS = 3650;
export const AGENCY_CERTIFICATE_DAYS = 730;
/** Certificates start a little in the past, so that a clock slightly behind still accepts them. */
const BACKDATE_MS = 10 * 60_000;

export const DEMO_CA_NAME = 'MộtCửa Demo CA (chỉ dùng thử nghiệm)';

type Db = Kysely<DB> | Transaction<DB>;

function sealKey(secrets: SecretBox, key: KeyObject): string {
  return secrets.seal(key.export({ type: 'pkcs8', format: 'pem' }) as string);
}

function openKey(secrets: SecretBox, sealed: string): KeyObject {
  return createPrivateKey(secrets.open(sealed));
}

function rowValues(certificate: ParsedCertificate) {
  const { info } = certificate;
  return { subject: info.subject, issuer: info.issuer, serialNumber: info.serialNumber, fingerprint: info.fingerprint, notBefore: info.notBefore, notAfter: info.notAfter, certificate: certificate.der };
}

/** The CA that issues the agencies' certificates (the demo CA unless another was made). */
async function issuingCa(db: Db, secrets: SecretBox): Promise<{ certificate: ParsedCertificate; privateKey: KeyObject } | undefined> {
  const row = await db.selectFrom('signingCertificate').select(['certificate', 'sealedKey']).where('kind', '=', 'ca').where('sealedKey', 'is not', null).where('retiredAt', 'is', null).executeTakeFirst();
  if (!row?.sealedKey) return undefined;
  return { certificate: parseCertificate(row.certificate), privateKey: openKey(secrets, row.sealedKey) };
}

/** Creates the demo CA unless an issuing CA exists. */
export async function ensureDemoCa(db: Kysely<DB>, secrets: SecretBox, now = new Date()): Promise<{ created: boolean; info: CertificateInfo }> {
  return db.transaction().execute(async (trx) => {
    // Two processes starting at once: the second waits here and then finds the first one's CA.
    await sql`lock table signing_certificate in share row exclusive mode`.execute(trx);
    const existing = await issuingCa(trx, secrets);
    if (existing) return { created: false, info: existing.certificate.info };
    const keys = generateSigningKey();
    const der = createCertificate({
      subject: [['C', 'VN'], ['O', 'MộtCửa'], ['CN', DEMO_CA_NAME]],
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      ca: true,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + CA_DAYS * DAY),
    });
    const certificate = parseCertificate(der);
    await trx.insertInto('signingCertificate').values({ kind: 'ca', agencyId: null, ...rowValues(certificate), sealedKey: sealKey(secrets, keys.privateKey), retiredAt: null }).execute();
    await auditKey(trx, 'signature.ca_create', certificate, null);
    return { created: true, info: certificate.info };
  });
}

/** Key management is audited: which certificate, for which agency, until when. The operator runs the CLI as the system. */
async function auditKey(trx: Transaction<DB>, action: string, certificate: ParsedCertificate, agencyCode: string | null): Promise<void> {
  await appendAudit(trx, {
    actorType: 'system',
    action,
    objectType: 'signing_certificate',
    objectId: certificate.info.fingerprint,
    details: { agency: agencyCode, subject: certificate.info.subject, notAfter: certificate.info.notAfter.toISOString() },
  });
}

async function findAgency(db: Db, code: string): Promise<{ id: number; code: string; name: string }> {
  const agency = await db.selectFrom('agency').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!agency?.code) throw new AppError('not_found', 'signature.keys.agencyUnknown', { code: code.slice(0, 40) });
  return { id: agency.id, code: agency.code, name: agency.name };
}

async function replaceAgencyCertificate(trx: Transaction<DB>, agencyId: number, certificate: ParsedCertificate, chain: ParsedCertificate[], sealedKey: string): Promise<void> {
  // The certificate it replaces stays (retired) for the signatures it made.
  await trx.updateTable('signingCertificate').set({ retiredAt: new Date() }).where('kind', '=', 'agency').where('agencyId', '=', agencyId).where('retiredAt', 'is', null).execute();
  await trx.insertInto('signingCertificate').values({ kind: 'agency', agencyId, ...rowValues(certificate), chain: chain.map((c) => c.der), sealedKey, retiredAt: null }).execute();
}

type IssuingCa = NonNullable<Awaited<ReturnType<typeof issuingCa>>>;

/** A new key and certificate for an agency, issued by the issuing CA; the agency's previous one is retired. */
export async function issueAgencyCertificate(db: Kysely<DB>, secrets: SecretBox, agencyCode: string, options: { days?: number; now?: Date } = {}): Promise<CertificateInfo> {
  return db.transaction().execute(async (trx) => {
    const agency = await findAgency(trx, agencyCode);
    const ca = await issuingCa(trx, secrets);
    if (!ca) throw new AppError('conflict', 'signature.keys.noCa');
    return issueWithin(trx, secrets, ca, agency, options);
  });
}

async function issueWithin(trx: Transaction<DB>, secrets: SecretBox, ca: IssuingCa, agency: { id: number; code: string; name: string }, options: { days?: number; now?: Date }): Promise<CertificateInfo> {
  const now = options.now ?? new Date();
  const keys = generateSigningKey();
  // Never beyond the CA's own end: a certificate outliving its issuer would not verify then.
  const notAfter = new Date(Math.min(now.getTime() + (options.days ?? AGENCY_CERTIFICATE_DAYS) * DAY, ca.certificate.info.notAfter.getTime()));
  const der = createCertificate({
    subject: [['C', 'VN'], ['OU', agency.code], ['CN', agency.name]],
    publicKey: keys.publicKey,
    issuer: ca,
    ca: false,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
  });
  const certificate = parseCertificate(der);
  await replaceAgencyCertificate(trx, agency.id, certificate, [], sealKey(secrets, keys.privateKey));
  await auditKey(trx, 'signature.certificate_issue', certificate, agency.code);
  return certificate.info;
}

/** Reads a PEM input; whatever OpenSSL or PKI.js says about a bad file, the operator gets one clear message. */
function readPem<T>(read: () => T, key: 'signature.keys.certificateUnreadable' | 'signature.keys.keyUnreadable'): T {
  try {
    return read();
  } catch {
    throw new AppError('invalid_input', key);
  }
}

/**
 * A certificate from a real CA and its key, for an agency. The certificate file may carry the
 * intermediates after the agency's certificate; `caPem` adds root CAs to the trusted ones. The
 * pair is tried once (a signature made and verified) before it is stored.
 */
export async function importAgencyCertificate(
  db: Kysely<DB>,
  secrets: SecretBox,
  agencyCode: string,
  input: { certificatePem: string; keyPem: string; caPem?: string | undefined },
  now = new Date(),
): Promise<CertificateInfo> {
  const blocks = pemBlocks(input.certificatePem);
  if (blocks.length === 0) throw new AppError('invalid_input', 'signature.keys.certificateUnreadable');
  const [certificate, ...chain] = readPem(() => blocks.map((der) => parseCertificate(der)), 'signature.keys.certificateUnreadable');
  const privateKey = readPem(() => createPrivateKey(input.keyPem), 'signature.keys.keyUnreadable');
  if (privateKey.type !== 'private') throw new AppError('invalid_input', 'signature.keys.keyUnreadable');
  if (!keyMatches(certificate!, privateKey)) throw new AppError('invalid_input', 'signature.keys.keyMismatch');
  const roots = input.caPem ? readPem(() => pemBlocks(input.caPem!).map((der) => parseCertificate(der)), 'signature.keys.certificateUnreadable') : [];
  if (input.caPem && roots.length === 0) throw new AppError('invalid_input', 'signature.keys.certificateUnreadable');
  if (roots.some((root) => !root.info.isCa || (root.keyUsage !== undefined && (root.keyUsage & KEY_USAGE.keyCertSign) === 0))) throw new AppError('invalid_input', 'signature.keys.notCa');

  return db.transaction().execute(async (trx) => {
    const agency = await findAgency(trx, agencyCode);
    for (const root of roots) {
      await trx.insertInto('signingCertificate').values({ kind: 'ca', agencyId: null, ...rowValues(root), sealedKey: null, retiredAt: null }).onConflict((oc) => oc.column('fingerprint').doNothing()).execute();
    }
    const signer: Signer = { certificate: certificate!, chain, privateKey };
    const probe = Buffer.from(`MộtCửa: thử khóa của ${agency.code}`);
    const check = verifyDetached(probe, signDetached(probe, signer, now), await loadTrustAnchors(trx));
    if (!check.valid) throw new AppError('unprocessable', 'signature.keys.importRefused', { reason: translate('vi', `signature.reason.${check.reason ?? 'malformed'}`) });
    await replaceAgencyCertificate(trx, agency.id, certificate!, chain, sealKey(secrets, privateKey));
    await auditKey(trx, 'signature.certificate_import', certificate!, agency.code);
    return certificate!.info;
  });
}

/** Every CA certificate the platform trusts: verification accepts a path to any of them. */
export async function loadTrustAnchors(db: Db): Promise<ParsedCertificate[]> {
  const rows = await db.selectFrom('signingCertificate').select('certificate').where('kind', '=', 'ca').orderBy('id').execute();
  return rows.map((r) => parseCertificate(r.certificate));
}

export interface CertificateListing {
  id: number;
  kind: 'ca' | 'agency';
  agencyCode: string | null;
  subject: string;
  issuer: string;
  serialNumber: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  hasKey: boolean;
  retiredAt: Date | null;
}

export async function listCertificates(db: Kysely<DB>): Promise<CertificateListing[]> {
  const rows = await db
    .selectFrom('signingCertificate as c')
    .leftJoin('agency as a', 'a.id', 'c.agencyId')
    .select(['c.id', 'c.kind', 'a.code as agencyCode', 'c.subject', 'c.issuer', 'c.serialNumber', 'c.fingerprint', 'c.notBefore', 'c.notAfter', 'c.sealedKey', 'c.retiredAt'])
    // The CAs first ('ca' after 'agency'), then the agencies by code, the oldest certificate first.
    .orderBy('c.kind', 'desc')
    .orderBy('a.code')
    .orderBy('c.id')
    .execute();
  return rows.map(({ sealedKey, ...row }) => ({ ...row, hasKey: sealedKey !== null, notBefore: new Date(row.notBefore), notAfter: new Date(row.notAfter) }));
}

/**
 * The agency's signer for a result signed at `at`: its certificate in use, the intermediates and
 * the opened key. 422 with a clear message when the agency has none, or when it is not valid then.
 */
export async function loadAgencySigner(db: Db, secrets: SecretBox, agencyId: number, at: Date): Promise<{ id: number; signer: Signer }> {
  const row = await db
    .selectFrom('signingCertificate as c')
    .innerJoin('agency as a', 'a.id', 'c.agencyId')
    .select(['c.id', 'c.certificate', 'c.chain', 'c.sealedKey', 'a.name'])
    .where('c.kind', '=', 'agency')
    .where('c.agencyId', '=', agencyId)
    .where('c.retiredAt', 'is', null)
    .executeTakeFirst();
  if (!row?.sealedKey) {
    const agency = await db.selectFrom('agency').select('name').where('id', '=', agencyId).executeTakeFirst();
    throw new AppError('unprocessable', 'signature.error.noCertificate', { agency: agency?.name ?? String(agencyId) });
  }
  const certificate = parseCertificate(row.certificate);
  if (at < certificate.info.notBefore || at > certificate.info.notAfter) throw new AppError('unprocessable', 'signature.error.certificateNotValid', { agency: row.name });
  return { id: row.id, signer: { certificate, chain: (row.chain ?? []).map((der) => parseCertificate(der)), privateKey: openKey(secrets, row.sealedKey) } };
}

/**
 * The demo: the demo CA and a certificate for every current agency that handles a procedure
 * (those issue results), made once on a first start; agencies that already have one keep it.
 */
export async function ensureDemoSigningKeys(db: Kysely<DB>, secrets: SecretBox): Promise<{ caCreated: boolean; issued: number }> {
  const { created } = await ensureDemoCa(db, secrets);
  const agencies = await db
    .selectFrom('agency as a')
    .select(['a.id', 'a.code', 'a.name'])
    .where('a.code', 'is not', null)
    .where('a.validTo', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('procedureAgency as p').select('p.agencyId').whereRef('p.agencyId', '=', 'a.id')))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('signingCertificate as c').select('c.id').whereRef('c.agencyId', '=', 'a.id').where('c.retiredAt', 'is', null))))
    .orderBy('a.code')
    .execute();
  if (agencies.length) {
    // One transaction for them all: a first start makes every certificate or none.
    await db.transaction().execute(async (trx) => {
      const ca = await issuingCa(trx, secrets);
      if (!ca) throw new AppError('conflict', 'signature.keys.noCa');
      for (const agency of agencies) await issueWithin(trx, secrets, ca, { id: agency.id, code: agency.code!, name: agency.name }, {});
    });
  }
  return { caCreated: created, issued: agencies.length };
}
