// Public tracking of a dossier by its code (the address in the receipt's QR). Anyone with the
// code sees the status, the timeline and the due date; the applicant's personal data is shown
// only to the owner, or to someone who also gives the applicant's phone or identity number.
import { ownerAccountIdOf, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { safeEqual } from '../../platform/security/secrets.js';
import type { Locale } from '../../platform/i18n/i18n.js';
import { sql } from 'kysely';
import type { DossierDeps } from './dossier-deps.js';
import { nationalStatusCode, type DossierStatus } from './dossier-status.js';
import { statusText } from './dossier-transition.js';

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
  // One query: the dossier with its procedure, agency and events (a public lookup, rate-limited,
  // and the page behind every QR code: it should cost about what a select by key costs).
  const dossier =
    code.length <= 60
      ? await deps.db
          .selectFrom('dossier as d')
          .innerJoin('procedure as p', 'p.id', 'd.procedureId')
          .leftJoin('agency as a', 'a.id', 'd.agencyId')
          .select([
            'd.id',
            'd.code',
            'd.status',
            'd.ownerAccountId',
            'd.submittedAt',
            'd.dueAt',
            'd.applicantName',
            'd.applicantPhone',
            'd.applicantIdNumber',
            'd.applicantEmail',
            'p.code as procedureCode',
            'p.name as procedureName',
            'p.nameEn as procedureNameEn',
            'a.code as agencyCode',
            'a.name as agencyName',
            sql<{ at: string; toStatus: DossierStatus; agencyName: string | null }[]>`(
              select coalesce(json_agg(json_build_object('at', e.at, 'toStatus', e.to_status, 'agencyName', ea.name) order by e.id), '[]'::json)
              from dossier_event e left join agency ea on ea.id = e.agency_id
              where e.dossier_id = d.id)`.as('events'),
          ])
          .where('d.code', '=', code.trim())
          .executeTakeFirst()
      : undefined;
  if (!dossier || dossier.status === 'draft' || !dossier.submittedAt) throw new AppError('not_found');
  const events = (typeof dossier.events === 'string' ? (JSON.parse(dossier.events) as typeof dossier.events) : dossier.events).map((e) => ({ at: new Date(e.at), toStatus: e.toStatus, agencyName: e.agencyName }));
  const procedure = { code: dossier.procedureCode, name: dossier.procedureName, nameEn: dossier.procedureNameEn };
  const agency = dossier.agencyCode ? { code: dossier.agencyCode, name: dossier.agencyName! } : undefined;
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
