// The running text of a document: its title (the document type in bold capitals, centred, as
// Decree 30/2020/NĐ-CP presents it), justified paragraphs with a first-line indent, and
// "label: value" lines. All of it flows onto new pages through pdfkit's own line wrapping.
import { FONT_BOLD, FONT_REGULAR } from './pdf-fonts.js';
import { bodyFont, contentBottom, contentLeft, contentWidth, ensureSpace, INDENT, LINE_GAP, SIZE } from './pdf-layout.js';
import { shaped } from './pdf-shaping.js';

export interface Field {
  label: string;
  value: string;
}

export function drawTitle(doc: PDFKit.PDFDocument, title: string): void {
  doc.font(FONT_BOLD).fontSize(SIZE.title);
  const options = shaped({ width: contentWidth(doc), align: 'center', lineGap: LINE_GAP });
  // The title stays with at least two lines of what follows it.
  ensureSpace(doc, doc.heightOfString(title.toLocaleUpperCase('vi'), options) + 3 * SIZE.body);
  doc.text(title.toLocaleUpperCase('vi'), contentLeft(doc), doc.y, options);
  doc.moveDown(0.8);
}

const paragraphOptions = (doc: PDFKit.PDFDocument) =>
  shaped({ width: contentWidth(doc), align: 'justify', indent: INDENT, lineGap: LINE_GAP, paragraphGap: 4 });

/**
 * Justified paragraphs with a first-line indent. `keepWithLast` is the height of what must follow
 * the last paragraph on the same page (the signer's block): that paragraph moves to a new page
 * with it rather than leave it alone there.
 */
export function drawParagraphs(doc: PDFKit.PDFDocument, paragraphs: readonly string[], keepWithLast = 0): void {
  paragraphs.forEach((paragraph, index) => {
    bodyFont(doc);
    const last = index === paragraphs.length - 1;
    const pageRoom = contentBottom(doc) - doc.page.margins.top;
    const kept = last && keepWithLast > 0 ? doc.heightOfString(paragraph, paragraphOptions(doc)) + keepWithLast : 0;
    ensureSpace(doc, kept > 0 && kept <= pageRoom ? kept : doc.currentLineHeight(true) + LINE_GAP);
    doc.text(paragraph, contentLeft(doc), doc.y, paragraphOptions(doc));
  });
}

/** "Label: value" lines; the value in bold so that it stands out from the printed label. */
export function drawFields(doc: PDFKit.PDFDocument, fields: readonly Field[]): void {
  const options = shaped({ width: contentWidth(doc), lineGap: LINE_GAP, paragraphGap: 3 });
  for (const { label, value } of fields) {
    bodyFont(doc);
    ensureSpace(doc, doc.currentLineHeight(true) + LINE_GAP);
    const x = contentLeft(doc);
    if (value.trim() === '') {
      doc.text(`${label}:`, x, doc.y, shaped(options));
      continue;
    }
    doc.text(`${label}: `, x, doc.y, shaped({ ...options, continued: true }));
    doc.font(FONT_BOLD).text(value, shaped(options));
    doc.font(FONT_REGULAR);
  }
  doc.moveDown(0.4);
}
