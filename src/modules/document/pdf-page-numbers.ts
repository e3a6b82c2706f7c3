// Page numbers as Decree 30/2020/NĐ-CP places them: Arabic numerals centred in the top margin,
// from the second page on (the first page is not numbered).
import { FONT_REGULAR } from './pdf-fonts.js';
import { contentLeft, contentWidth, SIZE } from './pdf-layout.js';
import { shaped } from './pdf-shaping.js';

/** Numbers every buffered page but the first; call once all content is laid out. */
export function numberPages(doc: PDFKit.PDFDocument): void {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let index = start + 1; index < start + count; index++) {
    doc.switchToPage(index);
    const y = doc.page.margins.top / 2 - SIZE.pageNumber / 2;
    // lineBreak false: text in the margin must not make pdfkit start another page.
    doc.font(FONT_REGULAR).fontSize(SIZE.pageNumber).text(
      String(index - start + 1),
      contentLeft(doc),
      y,
      shaped({ width: contentWidth(doc), align: 'center', lineBreak: false }),
    );
  }
}
