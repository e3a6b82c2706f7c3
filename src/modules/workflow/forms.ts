// The forms of the one-stop mechanism (Circular 01/2018/TT-VPCP, Appendix: 01 receipt and
// appointment, 02 supplementation request, 03 refusal, 04 apology and new date, 05 control slip),
// built as OfficialDocument values for renderOfficialPdf. Pure: plain data in, a document out, no
// database and no rendering, so that the same builders serve the back office, the e-mail to an
// online applicant and the tests. Every label comes from the catalogue (forms.messages.ts); times
// are printed in Vietnam time. The guards below are for programming errors: the routes answer 422
// before a builder is ever called with an empty reason or no items.
import { translator, type Locale, type Translator } from '../../platform/i18n/i18n.js';
import { formatDate, formatDateTime, vietnamDateParts } from '../../platform/text/vietnam-time.js';
import type { OfficialDocument } from '../document/document.service.js';

export interface FormDossier {
  code: string;
  procedureName: string;
  agencyName: string;
  parentAgencyName?: string;
  /** The place written before the date, e.g. "Mỹ Tho". */
  place: string;
  applicant: { name: string; idNumber?: string | null; phone?: string | null; email?: string | null; address?: string | null };
  receivedAt: Date;
  dueAt: Date | null;
  trackingUrl: string;
  documents: { name: string; quantity: number; form: string; files?: string[] }[];
  /** Who issues the form; `title` replaces the form's own signer line (e.g. "KT. CHỦ TỊCH"). */
  officer: { name: string; title?: string };
  /**
   * The day printed beside the place. By default the time of reception for forms 01 and 05
   * (issued at reception) and the present time for forms 02, 03 and 04.
   */
  issuedAt?: Date;
}

export type Timeliness = 'early' | 'on_time' | 'late' | 'pending';

export interface SupplementItem {
  item: string;
  reason: string;
}

export interface Handover {
  step: string;
  giver: string;
  receiver: string;
  at: Date;
  stepDueAt: Date | null;
  timeliness: Timeliness;
  note?: string | null;
}

type FormNumber = '01' | '02' | '03' | '04' | '05';
type Field = OfficialDocument['fields'][number];

/** Form 01: the dossier is complete and accepted; the applicant keeps this until the result. */
export function receiptAndAppointment(d: FormDossier, locale: Locale): OfficialDocument {
  const t = translator(locale);
  const documents = d.documents.map((doc, index) => [
    String(index + 1),
    doc.files?.length ? `${doc.name}\n${t('form.receipt.docFiles', { files: doc.files.join(', ') })}` : doc.name,
    doc.form,
    String(doc.quantity),
  ]);
  return {
    ...head(d, t, '01', d.issuedAt ?? d.receivedAt),
    title: t('form.receipt.title'),
    fields: [
      { label: t('form.common.code'), value: d.code },
      { label: t('form.common.agency'), value: d.agencyName },
      ...applicantFields(d, t, t('form.receipt.applicant')),
      { label: t('form.common.request'), value: d.procedureName },
      { label: t('form.common.receivedAt'), value: formatDateTime(locale, d.receivedAt) },
      { label: t('form.common.dueAt'), value: d.dueAt ? formatDateTime(locale, d.dueAt) : t('form.common.dueNone') },
    ],
    table: {
      caption: t('form.receipt.documents'),
      headers: [t('form.receipt.docNo'), t('form.receipt.docName'), t('form.receipt.docForm'), t('form.receipt.docQuantity')],
      rows: documents.length ? documents : [['—', t('form.receipt.noDocuments'), '—', '—']],
    },
    closing: [t('form.receipt.closing')],
    ...foot(d, t, 'form.receipt.signer', t('form.receipt.title')),
  };
}

/** Form 02: what the applicant must add or correct, each with its reason. */
export function supplementationRequest(d: FormDossier, items: readonly SupplementItem[], locale: Locale): OfficialDocument {
  if (items.length === 0) throw new Error('A supplementation request needs at least one item');
  items.forEach(({ item }, index) => requireText(item, `Supplementation item ${index + 1}`));
  const t = translator(locale);
  return {
    ...head(d, t, '02', d.issuedAt ?? new Date()),
    title: t('form.supplement.title'),
    intro: [t('form.supplement.intro', { agency: d.agencyName })],
    fields: [
      ...applicantFields(d, t, t('form.supplement.applicant')),
      { label: t('form.common.request'), value: d.procedureName },
      { label: t('form.common.receivedAt'), value: formatDateTime(locale, d.receivedAt) },
    ],
    table: {
      caption: t('form.supplement.items'),
      headers: [t('form.supplement.itemNo'), t('form.supplement.item'), t('form.supplement.reason')],
      rows: items.map(({ item, reason }, index) => [String(index + 1), item.trim(), reason.trim() || '—']),
    },
    closing: [t('form.supplement.contact', { officer: d.officer.name, agency: d.agencyName }), t('form.common.thanks')],
    ...foot(d, t, 'form.supplement.signer', t('form.supplement.title')),
  };
}

/** Form 03: the dossier is not accepted, and why. */
export function refusalNotice(d: FormDossier, reason: string, locale: Locale): OfficialDocument {
  requireText(reason, 'The reason for refusal');
  const t = translator(locale);
  return {
    ...head(d, t, '03', d.issuedAt ?? new Date()),
    title: t('form.refusal.title'),
    intro: [t('form.refusal.intro', { agency: d.agencyName })],
    fields: [
      ...applicantFields(d, t, t('form.refusal.applicant')),
      { label: t('form.common.request'), value: d.procedureName },
      { label: t('form.common.receivedAt'), value: formatDateTime(locale, d.receivedAt) },
      { label: t('form.refusal.reason'), value: reason.trim() },
    ],
    closing: [t('form.refusal.closing')],
    ...foot(d, t, 'form.refusal.signer', t('form.refusal.title')),
  };
}

/** Form 04: the result will be late; the agency apologises and sets a new date (once). */
export function apologyLetter(d: FormDossier, reason: string, newDueAt: Date, locale: Locale): OfficialDocument {
  requireText(reason, 'The reason for the delay');
  if (Number.isNaN(newDueAt.getTime())) throw new Error('The new appointment date is not a valid date');
  const former = d.dueAt ?? d.receivedAt;
  if (newDueAt.getTime() <= former.getTime()) {
    throw new Error(`The new appointment date (${newDueAt.toISOString()}) must come after the ${d.dueAt ? 'former one' : 'reception'} (${former.toISOString()})`);
  }
  const t = translator(locale);
  return {
    ...head(d, t, '04', d.issuedAt ?? new Date()),
    title: t('form.apology.title'),
    intro: [
      t('form.apology.to', { name: d.applicant.name }),
      t('form.apology.intro', { received: formatDate(locale, d.receivedAt), agency: d.agencyName, procedure: d.procedureName }),
    ],
    fields: [
      { label: t('form.common.code'), value: d.code },
      ...(d.dueAt ? [{ label: t('form.apology.formerDue'), value: formatDateTime(locale, d.dueAt) }] : []),
      { label: t('form.apology.reason'), value: reason.trim() },
      { label: t('form.apology.newDue'), value: formatDateTime(locale, newDueAt) },
    ],
    closing: [t('form.apology.closing', { agency: d.agencyName, date: formatDate(locale, newDueAt) }), t('form.common.thanks')],
    ...foot(d, t, 'form.apology.signer', t('form.apology.title')),
  };
}

const timelinessKeys = {
  early: 'form.control.early',
  on_time: 'form.control.onTime',
  late: 'form.control.late',
  pending: 'form.control.pending',
} as const satisfies Record<Timeliness, string>;

/** Form 05: travels with the dossier; one row per hand-over, each step judged against its own due time. */
export function controlSlip(d: FormDossier, handovers: readonly Handover[], locale: Locale): OfficialDocument {
  const t = translator(locale);
  return {
    ...head(d, t, '05', d.issuedAt ?? d.receivedAt),
    title: t('form.control.title'),
    fields: [
      { label: t('form.common.code'), value: d.code },
      // The slip travels inside the office: the applicant's name, not their contact details.
      { label: t('form.control.applicant'), value: d.applicant.name },
      { label: t('form.common.request'), value: d.procedureName },
      { label: t('form.control.agency'), value: d.agencyName },
      { label: t('form.common.receivedAt'), value: formatDateTime(locale, d.receivedAt) },
      { label: t('form.common.dueAt'), value: d.dueAt ? formatDateTime(locale, d.dueAt) : t('form.common.dueNone') },
    ],
    table: {
      caption: t('form.control.steps'),
      headers: [t('form.control.no'), t('form.control.step'), t('form.control.at'), t('form.control.stepDue'), t('form.control.result'), t('form.control.note')],
      rows: handovers.map((h, index) => [
        String(index + 1),
        [h.step, t('form.control.giver', { name: h.giver }), t('form.control.receiver', { name: h.receiver })].join('\n'),
        stacked(locale, h.at),
        h.stepDueAt ? stacked(locale, h.stepDueAt) : t('form.control.stepDueNone'),
        t(timelinessKeys[h.timeliness]),
        h.note?.trim() ?? '',
      ]),
    },
    ...foot(d, t, 'form.control.signer', t('form.control.title')),
  };
}

/** The head every form shares: agencies, form number, the dossier code and the place and date. */
function head(d: FormDossier, t: Translator, number: FormNumber, issuedAt: Date): Pick<OfficialDocument, 'parentAgency' | 'issuingAgency' | 'formNumber' | 'reference' | 'placeAndDate'> {
  return {
    ...(d.parentAgencyName?.trim() ? { parentAgency: d.parentAgencyName } : {}),
    issuingAgency: d.agencyName,
    formNumber: t('form.common.number', { number }),
    reference: t('form.common.reference', { code: d.code }),
    placeAndDate: t('form.common.place', { place: d.place, ...vietnamDateParts(issuedAt) }),
  };
}

/** The applicant's name under the form's own label, then the contact details that are known. */
function applicantFields(d: FormDossier, t: Translator, nameLabel: string): Field[] {
  const { name, idNumber, address, phone, email } = d.applicant;
  const optional: Array<[string, string | null | undefined]> = [
    [t('form.common.idNumber'), idNumber],
    [t('form.common.address'), address],
    [t('form.common.phone'), phone],
    [t('form.common.email'), email],
  ];
  return [{ label: nameLabel, value: name }, ...optional.flatMap(([label, value]) => (value?.trim() ? [{ label, value: value.trim() }] : []))];
}

type SignerKey = 'form.receipt.signer' | 'form.supplement.signer' | 'form.refusal.signer' | 'form.apology.signer' | 'form.control.signer';

/** The signer (the officer, under the form's own signer line unless theirs is given) and the QR. */
function foot(d: FormDossier, t: Translator, signer: SignerKey, title: string): Pick<OfficialDocument, 'signature' | 'qr' | 'metadata'> {
  return {
    signature: { title: d.officer.title?.trim() || t(signer), name: d.officer.name },
    qr: { url: d.trackingUrl, caption: t('form.common.qrCaption') },
    metadata: { title: `${title} ${d.code}`, subject: d.procedureName },
  };
}

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh' });

/** "08:30" over "28/11/2026" (Vietnam time): two short lines keep the slip's time columns narrow. */
function stacked(locale: Locale, at: Date): string {
  return `${clock.format(at)}\n${formatDate(locale, at)}`;
}

function requireText(value: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what} must not be empty`);
}
