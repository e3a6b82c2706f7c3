// The dossier module's public surface: online submission and tracking for applicants, the
// dossier-code rule, and what the back office builds on (status changes, events).
import type { Actor } from '../../platform/access/access.js';
import type { DossierDeps } from './dossier-deps.js';
import { attachmentSlots } from './dossier-slots.js';
import { getProcedureVersion, listAttachments, listDossierEvents, listOwnerDossiers } from './dossier.repository.js';
import { getOwnDossier } from './submission.js';
import { ownerAccountIdOf, requireAccess } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';

export type { DossierDeps, RequestMeta } from './dossier-deps.js';
export { loadDossierCodeRules, assignDossierCode, formatDossierCode, ruleInForce, type DossierCodeRuleInput } from './dossier-code.js';
export { dossierStatuses, nationalStatusCode, pausingStatuses, type DossierStatus } from './dossier-status.js';
export { changeStatus, statusText, trackingUrl } from './dossier-transition.js';
export { calendarAround, dueAfterResume, pausesOf, stepDueAfterResume } from './dossier-clock.js';
export {
  createDraft,
  saveDraft,
  addAttachment,
  attachFromRepository,
  removeAttachment,
  submitDossier,
  resubmitDossier,
  addScannedDocument,
  submissionProblems,
  withdrawDossier,
  listRepositoryItems,
  openOwnFile,
  getOwnDossier,
  communeCodes,
  type SubmitResult,
  type DraftInput,
} from './submission.js';
export { rateDossier, ratingCriteria, findRating, type RatingCriteria } from './rating.js';
export { trackDossier, type TrackingView, type TrackingProof } from './tracking.js';
export { renderAcknowledgement } from './acknowledgement.js';
export { attachmentSlots, type AttachmentSlot } from './dossier-slots.js';
// The e-form answers as summary rows, for the back office's dossier page.
export { eformAnswerRows, type AddressChoices } from './eform/eform-render.js';
export type { ProcedureForSubmission, DossierRow } from './dossier.repository.js';
export { findPublishedProcedure, findDossierByCode, listDossierEvents, listAttachments, findAgency, getProcedureVersion, lockDossier, isUuid } from './dossier.repository.js';

export async function listMyDossiers(deps: DossierDeps, actor: Actor, page: number, pageSize: number) {
  requireAccess(actor, 'dossier.submit');
  const owner = ownerAccountIdOf(actor);
  if (owner === undefined) throw new AppError('not_found');
  return { ...(await listOwnerDossiers(deps.db, owner, page, pageSize)), page, pageSize };
}

/** One of the caller's dossiers with its procedure, slots, attachments and timeline. */
export async function getMyDossierDetail(deps: DossierDeps, actor: Actor, id: string) {
  const dossier = await getOwnDossier(deps, actor, id);
  const [procedure, attachments, events] = await Promise.all([getProcedureVersion(deps.db, dossier.procedureId), listAttachments(deps.db, id), listDossierEvents(deps.db, id)]);
  return { dossier, procedure, slots: attachmentSlots(procedure.code, procedure.documents), attachments, events };
}
