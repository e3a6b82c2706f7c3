// The PDF of an electronic result, before it is signed. Either made from a result template by the
// official renderer (national header, the agency, the content, the signer's block, and the QR code
// to /verify/{id} with its address printed beneath), or a PDF the leader uploaded. Nothing can be
// drawn into an uploaded PDF without rewriting its pages, so a verification page, drawn by the same
// renderer, is appended to it instead (decision 009); the signature then covers the whole file.
import { PDFDocument } from 'pdf-lib';
import { AppError } from '../../platform/errors/app-error.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import { formatDateTime, vietnamDateParts } from '../../platform/text/vietnam-time.js';
import { renderOfficialPdf, type OfficialDocument } from '../document/document.service.js';

/** What a result template fills in; the agency, the date and the QR come from the issuing. */
export interface ResultTemplateData {
  /** The number line, e.g. "Số: 123/GCN-UBND". */
  reference?: string;
  /** The heading printed on the document; the result's title when absent. */
  heading?: string;
  intro?: string[];
  fields: { label: string; value: string }[];
  table?: { caption?: string; headers: string[]; rows: string[][] };
  closing?: string[];
  /** The signer's block (e.g. "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", and the name). */
  signer?: { title: string; name?: string };
  /** The place written before the date; taken from the agency's name when absent. */
  place?: string;
}

export interface ResultIssuer {
  name: string;
  parentName?: string | undefined;
}

/** The public check page of a result: the address in its QR code. */
export function verifyUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/verify/${id}`;
}

/** "UBND phường Mỹ Tho" → "Mỹ Tho": the place written before the date (Decree 30/2020, Appendix I). */
export function placeOf(agencyName: string): string {
  const local = agencyName.split(',')[0]!.trim();
  return local.replace(/^(UBND|Ủy ban nhân dân)\s+/iu, '').replace(/^(tỉnh|thành phố|phường|xã|đặc khu|thị trấn|quận|huyện|thị xã)\s+/iu, '');
}

function head(t: Translator, issuer: ResultIssuer, signedAt: Date, place?: string): Pick<OfficialDocument, 'parentAgency' | 'issuingAgency' | 'placeAndDate'> {
  return {
    parentAgency: (issuer.parentName ?? t('signature.pdf.parent')).toUpperCase(),
    issuingAgency: issuer.name.toUpperCase(),
    placeAndDate: t('signature.pdf.place', { place: place ?? placeOf(issuer.name), ...vietnamDateParts(signedAt) }),
  };
}

/** A result made from its template, with the QR code that leads to its check page. */
export async function renderResultPdf(input: { issuer: ResultIssuer; title: string; template: ResultTemplateData; url: string; signedAt: Date }): Promise<Buffer> {
  // A result is an administrative document: issued in Vietnamese whatever the reader's language.
  const t = translator('vi');
  const { template } = input;
  return renderOfficialPdf({
    ...head(t, input.issuer, input.signedAt, template.place),
    ...(template.reference ? { reference: template.reference } : {}),
    title: template.heading ?? input.title,
    ...(template.intro?.length ? { intro: template.intro } : {}),
    fields: template.fields,
    ...(template.table ? { table: template.table } : {}),
    ...(template.closing?.length ? { closing: template.closing } : {}),
    signature: template.signer ?? { title: t('signature.pdf.signedDigitally'), name: input.issuer.name },
    qr: { url: input.url, caption: t('signature.pdf.qrCaption') },
    metadata: { title: input.title, subject: input.issuer.name },
  });
}

function isPdf(bytes: Buffer): boolean {
  // ISO 32000-1 §7.5.2: the header; readers accept it within the first kilobyte.
  return bytes.subarray(0, 1024).includes('%PDF-');
}

/** An uploaded result with its verification page (the QR to /verify/{id}) appended as the last page. */
export async function appendVerificationPage(pdf: Buffer, input: { issuer: ResultIssuer; title: string; id: string; url: string; signedAt: Date }): Promise<Buffer> {
  if (!isPdf(pdf)) throw new AppError('unsupported_media_type', 'signature.error.notPdf');
  let document: PDFDocument;
  let pages: number;
  try {
    // Loaded even when encrypted, to tell that case apart (pdf-lib's own error class does not
    // survive its ES5 build for instanceof); an encrypted file is refused just below.
    document = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
    // A file with a PDF header but no readable page tree fails here.
    pages = document.getPageCount();
  } catch {
    throw new AppError('unprocessable', 'signature.error.pdfUnreadable');
  }
  if (document.isEncrypted) throw new AppError('unprocessable', 'signature.error.pdfEncrypted');
  if (pages === 0) throw new AppError('unprocessable', 'signature.error.pdfUnreadable');
  const t = translator('vi');
  const sheet = await renderOfficialPdf({
    ...head(t, input.issuer, input.signedAt),
    title: t('signature.pdf.sheetTitle'),
    intro: [t('signature.pdf.sheetIntro', { pages, agency: input.issuer.name })],
    fields: [
      { label: t('signature.pdf.document'), value: input.title },
      { label: t('signature.pdf.issuer'), value: input.issuer.name },
      { label: t('signature.pdf.id'), value: input.id },
      { label: t('signature.pdf.signedAt'), value: formatDateTime('vi', input.signedAt) },
    ],
    signature: { title: t('signature.pdf.signedDigitally'), name: input.issuer.name },
    qr: { url: input.url, caption: t('signature.pdf.qrCaption') },
    metadata: { title: t('signature.pdf.sheetTitle') },
  });
  const sheetDocument = await PDFDocument.load(sheet);
  for (const page of await document.copyPages(sheetDocument, sheetDocument.getPageIndices())) document.addPage(page);
  return Buffer.from(await document.save({ useObjectStreams: false }));
}
