// The electronic result at approval (Decree 45/2020 art. 11; issue "Level 4"): the leader who
// approves issues the result document, signed with the agency's certificate, in the approval's own
// transaction, so a dossier is done exactly when its signed result exists and is in the
// applicant's e-repository. An agency that holds no certificate yet still approves: its result is
// signed on paper and returned as before (the event says so); an agency whose certificate has
// lapsed cannot approve until it is renewed (the message says so, and nothing is stored).
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { isAppError } from '../../platform/errors/app-error.js';
import type { DossierDeps } from '../dossier/dossier.service.js';
import { dossierResultTemplate, issueSignedResult, type IssuedResult } from '../signature/signature.service.js';

export async function signResultAtApproval(trx: Transaction<DB>, deps: DossierDeps, input: { dossierId: string; agencyId: number; leaderId: number }): Promise<IssuedResult | null> {
  if (!deps.secrets) return null;
  const { title, templateData } = await dossierResultTemplate(trx, input.dossierId);
  try {
    return await issueSignedResult(
      trx,
      { storage: deps.storage, tempDir: deps.tempDir, publicUrl: deps.publicUrl, secrets: deps.secrets },
      { dossierId: input.dossierId, agencyId: input.agencyId, title, pdf: { templateData }, issuedBy: input.leaderId },
    );
  } catch (error) {
    if (isAppError(error) && error.messageKey === 'signature.error.noCertificate') return null;
    throw error;
  }
}
