// The acknowledgement of an online submission, as a PDF: the national header, the receiving
// agency, the dossier code, what was handed in, and a QR code that opens the tracking page.
// (The receipt and appointment, form 01 of Circular 01/2018, is issued at reception.)
import type { Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import { translator, type Locale } from '../../platform/i18n/i18n.js';
import { formatDate, formatDateTime, vietnamDateParts } from '../../platform/text/vietnam-time.js';
import { renderOfficialPdf } from '../document/document.service.js';
import type { DossierDeps } from './dossier-deps.js';
import { attachmentSlots } from './dossier-slots.js';
import { trackingUrl } from './dossier-transition.js';
import { findAgency, getProcedureVersion, listAttachments } from './dossier.repository.js';
import { getOwnDossier } from './submission.js';

/** "UBND phường Mỹ Tho" → "Mỹ Tho": the place written before the date. */
function placeName(agencyName: string): string {
  const local = agencyName.split(',')[0]!.trim();
  return local.replace(/^(UBND|Ủy ban nhân dân)\s+/iu, '').replace(/^(tỉnh|thành phố|phường|xã|đặc khu|thị trấn|quận|huyện|thị xã)\s+/iu, '');
}

export async function renderAcknowledgement(deps: DossierDeps, actor: Actor, id: string, locale: Locale): Promise<{ code: string; pdf: Buffer }> {
  const dossier = await getOwnDossier(deps, actor, id);
  if (dossier.status === 'draft' || !dossier.code || !dossier.submittedAt || dossier.agencyId === null) throw new AppError('not_found');
  const t = translator(locale);
  const [procedure, agency, attachments] = await Promise.all([getProcedureVersion(deps.db, dossier.procedureId), findAgency(deps.db, dossier.agencyId), listAttachments(deps.db, dossier.id)]);
  if (!agency) throw new AppError('not_found');
  const parent = await deps.db
    .selectFrom('agency as a')
    .innerJoin('agency as p', 'p.id', 'a.parentId')
    .select('p.name')
    .where('a.id', '=', agency.id)
    .executeTakeFirst();
  const slots = new Map(attachmentSlots(procedure.code, procedure.documents).map((s) => [s.index, s.name]));
  const url = trackingUrl(deps.publicUrl, dossier.code);
  const parts = vietnamDateParts(dossier.submittedAt);
  const pdf = await renderOfficialPdf({
    ...(parent ? { parentAgency: parent.name.toUpperCase() } : { parentAgency: t('dossier.ack.parent') }),
    issuingAgency: agency.name.toUpperCase(),
    reference: `${t('dossier.ack.code')}: ${dossier.code}`,
    placeAndDate: t('dossier.ack.place', { place: placeName(agency.name), ...parts }),
    title: t('dossier.ack.title'),
    intro: [t('dossier.ack.intro', { agency: agency.name })],
    fields: [
      { label: t('dossier.ack.code'), value: dossier.code },
      { label: t('dossier.ack.procedure'), value: locale === 'en' && procedure.nameEn ? procedure.nameEn : procedure.name },
      { label: t('dossier.ack.applicant'), value: dossier.applicantName ?? '—' },
      { label: t('dossier.ack.submittedAt'), value: formatDateTime(locale, dossier.submittedAt) },
      { label: t('dossier.ack.channel'), value: t('dossier.ack.channelOnline') },
      { label: t('dossier.ack.due'), value: dossier.dueAt ? formatDate(locale, dossier.dueAt) : t('dossier.ack.dueNone') },
    ],
    ...(attachments.length
      ? { table: { caption: t('dossier.ack.documents'), headers: [t('dossier.ack.docName'), t('dossier.ack.fileName')], rows: attachments.map((a) => [slots.get(a.slot) ?? '—', a.fileName]) } }
      : {}),
    closing: [t('dossier.ack.closing')],
    qr: { url, caption: t('dossier.ack.qrCaption') },
    metadata: { title: `${t('dossier.ack.title')} ${dossier.code}`, subject: procedure.name },
  });
  return { code: dossier.code, pdf };
}
