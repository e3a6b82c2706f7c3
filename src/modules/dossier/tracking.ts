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
import { eventText, statusText } from './dossier-transition.js';
import { procedureContent } from './submission-queries.js';
import { agencyLabel } from '../organization/organization.service.js';

export interface TrackingView {
  code: string;
  status: DossierStatus;
  statusCode: number | null;
  statusText: string;
  procedure: { code: string; name: string };
  agency: { code: string; name: string } | null;
  submittedAt: Date;
  dueAt: Date | null;
  /** Each event with what it did (`actionText`) and the status it left: several steps keep a status. */
  events: { at: Date; action: string; actionText: string; status: DossierStatus; statusText: string; agency: string | null }[];
  /** Present only for the owner or a caller who proved knowing the applicant. */
  applicant?: { name: string | null; phone: string | null; idNumber: string | null; email: string | null };
  /** Whether the caller owns the dossier (then the page links its receipt). */
  owner: boolean;
  dossierId?: string;
}

/** A row of the tracking query (the CamelCasePlugin names the columns in camelCase). */
interface TrackedRow {
  id: string;
  code: string | null;
  status: DossierStatus;
  ownerAccountId: number;
  submittedAt: Date | null;
  dueAt: Date | null;
  applicantName: string | null;
  applicantPhone: string | null;
  applicantIdNumber: string | null;
  applicantEmail: string | null;
  procedureId: number;
  agencyId: number | null;
  /** json: parsed by the driver, or its text on an engine that does not. */
  events: TrackedEvent[] | string;
}

interface TrackedEvent {
  at: string;
  action: string;
  toStatus: DossierStatus;
  agencyId: number | null;
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
  // One query by the unique code, the dossier with its events (a public lookup, rate-limited, and
  // the page behind every QR code: it should cost about what a select by key costs). The names
  // of the procedure version and of the agencies come from rows that are never edited, kept in
  // this process (procedureContent, agencyLabel): joining them cost the database three times
  // the lookup's own work in planning (bench/README.md). Written as SQL rather than with the
  // query builder, whose building and name mapping cost more, on this route, than the query.
  const dossier =
    code.length <= 60
      ? (
          await sql<TrackedRow>`
            select d.id, d.code, d.status, d.owner_account_id, d.submitted_at, d.due_at,
                   d.applicant_name, d.applicant_phone, d.applicant_id_number, d.applicant_email,
                   d.procedure_id, d.agency_id,
                   (select coalesce(json_agg(json_build_object('at', e.at, 'action', e.action, 'toStatus', e.to_status, 'agencyId', e.agency_id) order by e.id), '[]'::json)
                    from dossier_event e where e.dossier_id = d.id) as events
            from dossier d
            where d.code = ${code.trim()}`.execute(deps.db)
        ).rows[0]
      : undefined;
  if (!dossier || dossier.status === 'draft' || !dossier.submittedAt) throw new AppError('not_found');
  const events = typeof dossier.events === 'string' ? (JSON.parse(dossier.events) as TrackedEvent[]) : dossier.events;
  const procedure = await procedureContent(deps.db, deps.db, dossier.procedureId);
  if (!procedure) throw new AppError('not_found');
  const agencyIds = [...new Set([dossier.agencyId, ...events.map((e) => e.agencyId)].filter((id): id is number => id !== null))];
  const agencies = new Map(await Promise.all(agencyIds.map(async (id) => [id, await agencyLabel(deps.db, id)] as const)));
  const agency = dossier.agencyId === null ? undefined : agencies.get(dossier.agencyId);
  const owner = ownerAccountIdOf(actor) === dossier.ownerAccountId;
  const proved = checkProof(proof, { phone: dossier.applicantPhone, idNumber: dossier.applicantIdNumber });
  const view: TrackingView & { proofMismatch: boolean } = {
    code: dossier.code!,
    status: dossier.status,
    statusCode: nationalStatusCode[dossier.status],
    statusText: statusText(locale, dossier.status),
    procedure: { code: procedure.code, name: locale === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name },
    agency: agency?.code ? { code: agency.code, name: agency.name } : null,
    submittedAt: dossier.submittedAt,
    dueAt: dossier.dueAt,
    events: events.map((e) => ({ at: new Date(e.at), action: e.action, actionText: eventText(locale, e.action, e.toStatus), status: e.toStatus, statusText: statusText(locale, e.toStatus), agency: e.agencyId === null ? null : (agencies.get(e.agencyId)?.name ?? null) })),
    owner,
    proofMismatch: proved === false,
  };
  if (owner || proved === true) {
    view.applicant = { name: dossier.applicantName, phone: dossier.applicantPhone, idNumber: dossier.applicantIdNumber, email: dossier.applicantEmail };
  }
  if (owner) view.dossierId = dossier.id;
  return view;
}
