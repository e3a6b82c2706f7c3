// Page geometry and type sizes of an issued document, after the presentation rules for
// administrative documents (Decree 30/2020/NĐ-CP, Appendix I): A4 paper, margins top and bottom
// 20–25 mm, left 30–35 mm, right 15–20 mm; body text 13–14 pt in Times New Roman there. Noto Sans
// is wider than Times, so the sizes here sit about a point lower to keep as many words per line.
import { FONT_REGULAR } from './pdf-fonts.js';
import { shaped } from './pdf-shaping.js';

const MM = 72 / 25.4;

export const PAGE_SIZE = 'A4';
export const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } as const;

export const SIZE = {
  formNumber: 10,
  header: 12,
  motto: 12.5,
  reference: 12,
  title: 13.5,
  body: 12,
  table: 10.5,
  pageNumber: 12,
  qrCaption: 9,
  qrUrl: 7.5,
} as const;

/** Extra space between lines of body text (pdfkit's lineGap, in points). */
export const LINE_GAP = 2;
/** The first-line indent of a paragraph (1 cm, as Decree 30/2020 asks). */
export const INDENT = 10 * MM;

export function contentLeft(doc: PDFKit.PDFDocument): number {
  return doc.page.margins.left;
}

export function contentWidth(doc: PDFKit.PDFDocument): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function contentBottom(doc: PDFKit.PDFDocument): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
export function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > contentBottom(doc)) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
  doc.x = contentLeft(doc);
}

/**
 * The largest size from `preferred` down to `minimum` at which `text` fits on one line of `width`
 * in the current font; leaves the document at that size. Below `minimum` the text wraps instead.
 */
export function fittingSize(doc: PDFKit.PDFDocument, text: string, width: number, preferred: number, minimum: number): number {
  let size = preferred;
  while (size > minimum && doc.fontSize(size).widthOfString(text, shaped()) > width) size -= 0.5;
  doc.fontSize(size);
  return size;
}

/** Back to the body font, so that no drawing step inherits another's font. */
export function bodyFont(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  return doc.font(FONT_REGULAR).fontSize(SIZE.body).fillColor('black');
}
