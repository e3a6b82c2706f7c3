// A QR code drawn as vector rectangles from the symbol's module matrix: sharp at any zoom and in
// print, and it adds no image to decode. Error correction M survives a crease or a stamp on paper.
import QRCode from 'qrcode';

/** Modules of white space a reader needs around the symbol (ISO/IEC 18004). */
export const QR_QUIET_MODULES = 4;

/** The side of one module when the symbol for `text` is drawn `size` points wide. */
export function qrModuleSize(text: string, size: number): number {
  return size / QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size;
}

/** Draws the symbol for `text` with its top-left corner at (x, y), `size` points square. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const cell = size / count;
  doc.save();
  for (let row = 0; row < count; row++) {
    // One rectangle per horizontal run of dark modules keeps the content stream small.
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      doc.rect(x + start * cell, y + row * cell, (col - start) * cell, cell);
    }
  }
  doc.fill('black').restore();
}
