// A ruled table (the list of documents received, the steps of a control slip — Circular
// 01/2018/TT-VPCP forms 01 and 05): cell text wraps inside its column, a row never splits across
// pages, and the header row is repeated at the top of every page the table continues on.
import { FONT_BOLD, FONT_REGULAR } from './pdf-fonts.js';
import { bodyFont, contentBottom, contentLeft, contentWidth, ensureSpace, LINE_GAP, SIZE } from './pdf-layout.js';
import { shaped } from './pdf-shaping.js';

export interface Table {
  caption?: string | undefined;
  headers: string[];
  rows: string[][];
}

const PADDING = 4;
const RULE_WIDTH = 0.6;
const HEADER_FILL = '#e8e8e8';

export function drawTable(doc: PDFKit.PDFDocument, table: Table): void {
  const { headers, rows } = table;
  if (headers.length === 0) return;
  rows.forEach((row, index) => {
    if (row.length !== headers.length) {
      throw new RangeError(`Table row ${index + 1} has ${row.length} cells for ${headers.length} columns`);
    }
  });

  const left = contentLeft(doc);
  const widths = columnWidths(doc, headers, rows, contentWidth(doc));
  const headerHeight = rowHeight(doc, headers, widths, FONT_BOLD);
  const firstRowHeight = rows[0] ? rowHeight(doc, rows[0], widths, FONT_REGULAR) : 0;

  if (table.caption) {
    doc.font(FONT_BOLD).fontSize(SIZE.body);
    const captionOptions = shaped({ width: contentWidth(doc), lineGap: LINE_GAP });
    // The caption never ends a page alone: it keeps the header row and the first row with it.
    ensureSpace(doc, doc.heightOfString(table.caption, captionOptions) + headerHeight + firstRowHeight + 4);
    doc.text(table.caption, left, doc.y, captionOptions);
    doc.moveDown(0.3);
  }

  ensureSpace(doc, headerHeight + firstRowHeight);
  doc.y = drawRow(doc, headers, widths, left, doc.y, headerHeight, FONT_BOLD);
  for (const row of rows) {
    const height = rowHeight(doc, row, widths, FONT_REGULAR);
    if (doc.y + height > contentBottom(doc)) {
      doc.addPage();
      doc.y = drawRow(doc, headers, widths, left, doc.page.margins.top, headerHeight, FONT_BOLD);
    }
    doc.y = drawRow(doc, row, widths, left, doc.y, height, FONT_REGULAR);
  }

  bodyFont(doc);
  doc.x = left;
  doc.moveDown(0.8);
}

/** Draws one row of cells at `y` and returns the y below it. */
function drawRow(doc: PDFKit.PDFDocument, cells: readonly string[], widths: readonly number[], left: number, y: number, height: number, font: string): number {
  let x = left;
  const header = font === FONT_BOLD;
  cells.forEach((cell, index) => {
    const width = widths[index] ?? 0;
    if (header) doc.save().rect(x, y, width, height).fill(HEADER_FILL).restore();
    doc.save().lineWidth(RULE_WIDTH).rect(x, y, width, height).stroke().restore();
    doc.font(font).fontSize(SIZE.table).fillColor('black');
    // `height` stops pdfkit from starting a page of its own inside a cell.
    doc.text(
      cell,
      x + PADDING,
      y + PADDING,
      shaped({ width: width - 2 * PADDING, height: height - PADDING, align: header ? 'center' : 'left', ellipsis: true }),
    );
    x += width;
  });
  return y + height;
}

/** The height of a row: its tallest cell, capped at one page so that every row fits on a page. */
function rowHeight(doc: PDFKit.PDFDocument, cells: readonly string[], widths: readonly number[], font: string): number {
  doc.font(font).fontSize(SIZE.table);
  const tallest = Math.max(...cells.map((cell, index) => doc.heightOfString(cell || ' ', shaped({ width: (widths[index] ?? 0) - 2 * PADDING }))));
  const pageRoom = contentBottom(doc) - doc.page.margins.top - 2 * PADDING;
  return Math.min(tallest, pageRoom) + 2 * PADDING;
}

/**
 * Column widths that fill `total`: a column whose longest text fits in a fair share keeps its
 * natural width; the others share what is left evenly, and their text wraps. When everything fits,
 * the spare width is spread in proportion to each column's natural width.
 */
function columnWidths(doc: PDFKit.PDFDocument, headers: readonly string[], rows: readonly string[][], total: number): number[] {
  const natural = headers.map((header, index) => {
    doc.font(FONT_BOLD).fontSize(SIZE.table);
    let widest = longestLine(doc, header);
    doc.font(FONT_REGULAR);
    for (const row of rows) widest = Math.max(widest, longestLine(doc, row[index] ?? ''));
    return widest + 2 * PADDING + 1;
  });
  const sum = natural.reduce((a, b) => a + b, 0);
  if (sum <= total) return natural.map((width) => (width / sum) * total);

  const widths: Array<number | undefined> = natural.map(() => undefined);
  let remaining = total;
  let open = natural.length;
  for (let settled = true; settled && open > 0; ) {
    settled = false;
    const share = remaining / open;
    natural.forEach((width, index) => {
      if (widths[index] === undefined && width <= share) {
        widths[index] = width;
        remaining -= width;
        open--;
        settled = true;
      }
    });
  }
  const share = open > 0 ? remaining / open : 0;
  return widths.map((width) => width ?? share);
}

function longestLine(doc: PDFKit.PDFDocument, text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => doc.widthOfString(line, shaped())));
}
