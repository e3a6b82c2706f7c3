// Official documents as PDF: the submission acknowledgement today, and the forms of the one-stop
// mechanism (Circular 01/2018/TT-VPCP: 01 receipt and appointment, 02 supplementation request,
// 03 refusal, 04 apology, 05 control slip) later — one generic renderer laid out after the
// presentation rules for administrative documents (Decree 30/2020/NĐ-CP, Appendix I). Every label
// arrives already translated from the caller; only the national name and motto are fixed here.
import PDFDocument from 'pdfkit';
import { drawFields, drawParagraphs, drawTitle } from './pdf-body.js';
import { loadFonts, registerFonts } from './pdf-fonts.js';
import { drawHeader } from './pdf-header.js';
import { bodyFont, MARGINS, PAGE_SIZE } from './pdf-layout.js';
import { numberPages } from './pdf-page-numbers.js';
import { drawSignOff, planSignOff } from './pdf-sign-off.js';
import { drawTable } from './pdf-table.js';

export interface OfficialDocument {
  parentAgency?: string;
  issuingAgency: string;
  /** Printed small at the top right, e.g. "Mẫu số 01". */
  formNumber?: string;
  /** The number line, e.g. "Số: 000.00.51.H20-261128-0001". */
  reference?: string;
  /** Formatted by the caller, e.g. "Mỹ Tho, ngày 28 tháng 11 năm 2026". */
  placeAndDate: string;
  title: string;
  intro?: string[];
  fields: Array<{ label: string; value: string }>;
  table?: { caption?: string; headers: string[]; rows: string[][] };
  closing?: string[];
  signature?: { title: string; name?: string };
  qr: { url: string; caption: string };
  metadata: { title: string; subject?: string };
}

export async function renderOfficialPdf(doc: OfficialDocument): Promise<Buffer> {
  const content = composed(doc);
  const fonts = await loadFonts();
  const pdf = new PDFDocument({
    size: PAGE_SIZE,
    margins: { ...MARGINS },
    bufferPages: true, // page numbers are written once the page count is known
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: content.metadata.title,
      ...(content.metadata.subject ? { Subject: content.metadata.subject } : {}),
      Author: content.issuingAgency,
      Creator: 'MộtCửa',
    },
  });
  const finished = collect(pdf);

  registerFonts(pdf, fonts);
  bodyFont(pdf);
  drawHeader(pdf, content);
  drawTitle(pdf, content.title);
  if (content.intro?.length) drawParagraphs(pdf, content.intro);
  if (content.fields.length) drawFields(pdf, content.fields);
  if (content.table) drawTable(pdf, content.table);
  // The signer's block never starts a page alone: the last closing paragraph goes with it.
  const signOff = planSignOff(pdf, content.qr, content.signature);
  if (content.closing?.length) drawParagraphs(pdf, content.closing, signOff.height);
  drawSignOff(pdf, signOff);
  numberPages(pdf);

  pdf.end();
  return finished;
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/**
 * Every string in composed form (NFC): text typed on macOS or pasted from some PDFs arrives with
 * separate combining tone marks, which would be shaped, measured and extracted unlike the
 * precomposed letters in the rest of the document.
 */
function composed<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => composed(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, composed(item)])) as T;
  }
  return value;
}
