// The head of an administrative document (Decree 30/2020/NĐ-CP, Appendix I): on the left the
// issuing agency in capitals, bold, under its parent agency in plain capitals, with a short rule
// beneath (1/3 to 1/2 of the line) and the document number below; on the right the national name
// in bold capitals, the motto in bold with a rule as long as it, and the place and date in italics
// on the same row as the number. The form number of Circular 01/2018/TT-VPCP sits top right.
import { translate } from '../../platform/i18n/i18n.js';
import { FONT_BOLD, FONT_REGULAR } from './pdf-fonts.js';
import { contentLeft, contentWidth, fittingSize, SIZE } from './pdf-layout.js';
import { shaped } from './pdf-shaping.js';

export interface HeaderContent {
  parentAgency?: string | undefined;
  issuingAgency: string;
  formNumber?: string | undefined;
  reference?: string | undefined;
  placeAndDate: string;
}

/** Share of the width taken by the agency column; the national header takes the rest. */
const AGENCY_SHARE = 0.42;
const RULE_WIDTH = 0.6;
/** Slant of the place and date: no italic face is shipped, so the regular one is sheared. */
const ITALIC_DEGREES = 12;

/** Draws the head of the first page and leaves doc.y below it. */
export function drawHeader(doc: PDFKit.PDFDocument, header: HeaderContent): void {
  const left = contentLeft(doc);
  const width = contentWidth(doc);
  const agencyWidth = width * AGENCY_SHARE;
  const nationX = left + agencyWidth;
  const nationWidth = width - agencyWidth;
  let top = doc.page.margins.top;

  if (header.formNumber) {
    doc.font(FONT_REGULAR).fontSize(SIZE.formNumber).text(header.formNumber, left, top, shaped({ width, align: 'right' }));
    top = doc.y + 2;
  }

  // Left: the agencies. Their names are written in capitals whatever the caller passed.
  let agencyY = top;
  if (header.parentAgency) {
    doc.font(FONT_REGULAR).fontSize(SIZE.header);
    doc.text(upper(header.parentAgency), left, agencyY, shaped({ width: agencyWidth, align: 'center' }));
    agencyY = doc.y;
  }
  const issuing = upper(header.issuingAgency);
  doc.font(FONT_BOLD).fontSize(SIZE.header).text(issuing, left, agencyY, shaped({ width: agencyWidth, align: 'center' }));
  const issuingLine = Math.min(doc.widthOfString(issuing, shaped()), agencyWidth);
  agencyY = drawRule(doc, left + agencyWidth / 2, doc.y + 2.5, issuingLine * 0.4);

  // Right: the national name and the motto, never translated: an official document is Vietnamese.
  const nationalName = translate('vi', 'document.pdf.nationalName');
  const motto = translate('vi', 'document.pdf.motto');
  doc.font(FONT_BOLD);
  doc.fontSize(fittingSize(doc, nationalName, nationWidth, SIZE.header, 9));
  doc.text(nationalName, nationX, top, shaped({ width: nationWidth, align: 'center' }));
  doc.fontSize(fittingSize(doc, motto, nationWidth, SIZE.motto, 9));
  doc.text(motto, nationX, doc.y, shaped({ width: nationWidth, align: 'center' }));
  const nationY = drawRule(doc, nationX + nationWidth / 2, doc.y + 2.5, doc.widthOfString(motto, shaped()));

  // The number and the place and date share one row below both columns.
  const rowY = Math.max(agencyY, nationY) + 6;
  let bottom = rowY;
  if (header.reference) {
    doc.font(FONT_REGULAR);
    doc.fontSize(fittingSize(doc, header.reference, agencyWidth, SIZE.reference, 9.5));
    doc.text(header.reference, left, rowY, shaped({ width: agencyWidth, align: 'center' }));
    bottom = Math.max(bottom, doc.y);
  }
  doc.font(FONT_REGULAR);
  doc.fontSize(fittingSize(doc, header.placeAndDate, nationWidth, SIZE.reference, 9.5));
  doc.text(header.placeAndDate, nationX, rowY, shaped({ width: nationWidth, align: 'center', oblique: ITALIC_DEGREES }));
  bottom = Math.max(bottom, doc.y);

  doc.x = left;
  doc.y = bottom + 18;
}

/** A thin horizontal rule centred on `centerX`; returns the y below it. */
function drawRule(doc: PDFKit.PDFDocument, centerX: number, y: number, length: number): number {
  doc.save().lineWidth(RULE_WIDTH).moveTo(centerX - length / 2, y).lineTo(centerX + length / 2, y).stroke().restore();
  return y + 4;
}

function upper(text: string): string {
  return text.toLocaleUpperCase('vi');
}
