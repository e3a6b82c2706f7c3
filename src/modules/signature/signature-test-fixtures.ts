// Shared by the signature tests (not a test file itself): the deps a test app's approval step would
// pass, a dossier a citizen submitted to phường Mỹ Tho, a leader there, and issuing a result in a
// transaction of its own.
import path from 'node:path';
import type { TestApp } from '../../../test/helpers/app.js';
import { api, birthRegistrationData, signedInCitizen, uploadAttachment } from '../../../test/helpers/dossier.js';
import { samplePdf } from '../../../test/helpers/files.js';
import { createOfficer } from '../../../test/helpers/identity.js';
import { createSecretBox } from '../../platform/security/secrets.js';
import { createDiskStorage, storageTempDir } from '../document/document.service.js';
import { ensureDemoCa, issueAgencyCertificate } from './key-store.js';
import { issueSignedResult, type IssueResultInput, type SignatureDeps } from './signed-result.js';
import type { VerifyDeps } from './verification.js';

export const COMMUNE = '000.00.51.H20';
export const OTHER_COMMUNE = '000.00.52.H20';
const BIRTH_REGISTRATION = '1.001193';

/** The same storage as the app's (DATA_DIR/files), so that the app serves what the tests issue. */
export function signatureDeps(t: TestApp): { deps: SignatureDeps; verify: VerifyDeps } {
  const root = path.join(t.config.dataDir, 'files');
  const storage = createDiskStorage(root);
  return {
    deps: { storage, tempDir: storageTempDir(root), publicUrl: t.config.publicUrl, secrets: createSecretBox(t.secretKey) },
    verify: { db: t.database.db, storage, uploadMaxBytes: t.config.uploadMaxMb * 1024 * 1024 },
  };
}

/** The demo CA and a certificate for phường Mỹ Tho. */
export async function prepareKeys(t: TestApp): Promise<void> {
  const secrets = createSecretBox(t.secretKey);
  await ensureDemoCa(t.database.db, secrets);
  await issueAgencyCertificate(t.database.db, secrets, COMMUNE);
}

export async function agencyIdOf(t: TestApp, code: string): Promise<number> {
  return (await t.database.db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

let leaders = 0;
export async function leaderId(t: TestApp): Promise<number> {
  leaders += 1;
  return (await createOfficer(t.database.db, { email: `lanhdao.${leaders}.${process.pid}@ky-so.example.vn`, roles: [{ role: 'leader', agencyCode: COMMUNE }] })).id;
}

/** A birth registration a new citizen submitted online to phường Mỹ Tho, with its documents. */
export async function submittedDossier(t: TestApp) {
  const citizen = await signedInCitizen(t);
  const created = await api(t.app, citizen.client, 'POST', '/api/v1/dossiers', { procedureCode: BIRTH_REGISTRATION, agencyCode: COMMUNE, data: birthRegistrationData({ applicantEmail: citizen.email }) });
  if (created.statusCode !== 201) throw new Error(created.body);
  const dossierId = created.json().id as string;
  const slots = (await api(t.app, citizen.client, 'GET', `/api/v1/dossiers/${dossierId}`)).json().slots as { index: number; required: boolean }[];
  for (const slot of slots.filter((s) => s.required)) {
    const r = await uploadAttachment(t.app, citizen.client, dossierId, slot.index, `giay-to-${slot.index}.pdf`, samplePdf(`slot ${slot.index}`));
    if (r.statusCode !== 201) throw new Error(r.body);
  }
  const submitted = await api(t.app, citizen.client, 'POST', `/api/v1/dossiers/${dossierId}/submit`, undefined, { 'idempotency-key': `sign-${dossierId}` });
  if (submitted.statusCode !== 201) throw new Error(submitted.body);
  return { dossierId, code: submitted.json().code as string, citizen };
}

export function issue(t: TestApp, deps: SignatureDeps, input: IssueResultInput) {
  return t.database.db.transaction().execute((trx) => issueSignedResult(trx, deps, input));
}
