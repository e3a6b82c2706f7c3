// Public tracking of a dossier by its code (the address in the receipt's QR). Anyone with the
// code sees the status, the timeline and the due date; the applicant's personal data is shown
// only to the owner, or to someone who also gives the applicant's phone or identity number.
import { ownerAccountIdOf, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { safeEqual } from '../../platform/security/secrets.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import type { DossierDeps } from './dossier-deps.js';
import { nationalStatusCode, type DossierStatus } from './dossier-status.js';
import { statusText } from './dossier-transition.js';
import { findAgency, findDossierByCode, listDossierEvents } from './dossier.repository.js';

export interface TrackingView {
  code: string;
  status: DossierStatus;
  statusCode: number | null;
  statusText: string;
  procedure: { code: string; name: string };
  agency: { code: string; name: string } | null;
  submittedAt: Date;
  dueAt: Date | null;
  events: { at: Date; status: DossierStatus; statusText: string; agency: string | null }[];
  /** Present only for the owner or a caller who proved knowing the applicant. */
  applicant?: { name: string | null; phone: string | null; idNumber: string | null; email: string | null };
  /** Whether the caller owns the dossier (then the page links its receipt). */
  owner: boolean;
  dossierId?: string;
}

export interface TrackingProof {
  phone?: string | undefined;
  idNumber?: string | undefined;
}

function digits(value: string | undefined): string | undefined {
  const cleaned = value?.replace(/[\s.-]/g, '');
  return cleaned ? cleaned : undefined;
}

/** Whether the proof matches; a proof given but wrong is reported so the page can say so. */
function checkProof(proof: TrackingProof, applicant: { phone: string | null; idNumber: string | null }): boolean | undefined {
  const phone = digits(proof.phone);
  const idNumber = digits(proof.idNumber);
  if (phone === undefined && idNumber === undefined) return undefined;
  if (phone !== undefined && applicant.phone && safeEqual(phone, applicant.phone)) return true;
  if (idNumber !== undefined && applicant.idNumber && safeEqual(idNumber, applicant.idNumber)) return true;
  return false;
}

export async function trackDossier(deps: Pick<DossierDeps, 'db'>, actor: Actor, code: string, proof: TrackingProof, locale: Locale): Promise<TrackingView & { proofMismatch: boolean }> {
  const dossier = code.length <= 60 ? await findDossierByCode(deps.db, code.trim()) : undefined;
  if (!dossier || dossier.status === 'draft' || !dossier.submittedAt) throw new AppError('not_found');
  const [procedure, agency, events] = await Promise.all([
    deps.db.selectFrom('procedure').select(['code', 'name', 'nameEn']).where('id', '=', dossier.procedureId).executeTakeFirstOrThrow(),
    dossier.agencyId === null ? undefined : findAgency(deps.db, dossier.agencyId),
    listDossierEvents(deps.db, dossier.id),
  ]);
  const owner = ownerAccountIdOf(actor) === dossier.ownerAccountId;
  const proved = checkProof(proof, { phone: dossier.applicantPhone, idNumber: dossier.applicantIdNumber });
  const view: TrackingView & { proofMismatch: boolean } = {
    code: dossier.code!,
    status: dossier.status,
    statusCode: nationalStatusCode[dossier.status],
    statusText: statusText(locale, dossier.status),
    procedure: { code: procedure.code, name: locale === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name },
    agency: agency ? { code: agency.code, name: agency.name } : null,
    submittedAt: dossier.submittedAt,
    dueAt: dossier.dueAt,
    events: events.map((e) => ({ at: e.at, status: e.toStatus, statusText: statusText(locale, e.toStatus), agency: e.agencyName })),
    owner,
    proofMismatch: proved === false,
  };
  if (owner || proved === true) {
    view.applicant = { name: dossier.applicantName, phone: dossier.applicantPhone, idNumber: dossier.applicantIdNumber, email: dossier.applicantEmail };
  }
  if (owner) view.dossierId = dossier.id;
  return view;
}
