// The foot of a document: the signer's block at the bottom right (title in bold capitals, room for
// the signature and seal, then the signer's name in bold — Decree 30/2020/NĐ-CP) and, at the
// bottom left, the QR code that leads to the document's public check page, its caption above it
// and its address printed beneath so that it can be typed when it cannot be scanned.
import { FONT_BOLD, FONT_REGULAR } from './pdf-fonts.js';
import { drawQr, qrModuleSize, QR_QUIET_MODULES } from './pdf-qr.js';
import { contentLeft, contentWidth, ensureSpace, fittingSize, SIZE } from './pdf-layout.js';
import { shaped } from './pdf-shaping.js';

export interface Signature {
  title: string;
  name?: string | undefined;
}

export interface QrLink {
  url: string;
  caption: string;
}

const QR_SIZE = 82;
/** Room left between the signer's title and name for the handwritten signature and the seal. */
const SIGNING_ROOM = 64;
const SIGNATURE_SHARE = 0.5;
const COLUMN_GAP = 12;
/** The address stays legible in print: below this size it wraps instead of shrinking. */
const URL_MIN_SIZE = 6.5;

export interface SignOffPlan {
  qr: QrLink;
  signature: { title: string; name?: string | undefined } | undefined;
  captionHeight: number;
  quiet: number;
  urlSize: number;
  urlWidth: number;
  /** From the caption's top to the address's top. */
  urlOffset: number;
  /** The whole foot, the taller of its two blocks (with the space above it). */
  height: number;
}

const SPACE_ABOVE = 6;

/** Measures the foot without drawing it, so that the text before it can be kept on its page. */
export function planSignOff(doc: PDFKit.PDFDocument, qr: QrLink, signature?: Signature): SignOffPlan {
  const width = contentWidth(doc);
  const signWidth = width * SIGNATURE_SHARE;
  const qrColumn = width - signWidth - COLUMN_GAP;
  const quiet = QR_QUIET_MODULES * qrModuleSize(qr.url, QR_SIZE);
  const signer = signature?.title.trim() ? { title: signature.title.toLocaleUpperCase('vi'), name: signature.name } : undefined;

  doc.font(FONT_REGULAR).fontSize(SIZE.qrCaption);
  const captionHeight = doc.heightOfString(qr.caption, shaped({ width: qrColumn }));
  const urlOffset = captionHeight + quiet + QR_SIZE + quiet;

  let signHeight = 0;
  if (signer) {
    doc.font(FONT_BOLD).fontSize(SIZE.body);
    signHeight = doc.heightOfString(signer.title, shaped({ width: signWidth, align: 'center' }));
    if (signer.name) signHeight += SIGNING_ROOM + doc.heightOfString(signer.name, shaped({ width: signWidth, align: 'center' }));
  }
  // The address may run on under the signer's block once that block has ended above it.
  const urlWidth = signHeight <= urlOffset ? width : qrColumn;
  doc.font(FONT_REGULAR);
  const urlSize = fittingSize(doc, qr.url, urlWidth, SIZE.qrUrl, URL_MIN_SIZE);
  const urlHeight = doc.heightOfString(qr.url, shaped({ width: urlWidth }));
  const height = SPACE_ABOVE + Math.max(urlOffset + urlHeight, signHeight);
  return { qr, signature: signer, captionHeight, quiet, urlSize, urlWidth, urlOffset, height };
}

/** Draws the foot below the text, on a new page only when it does not fit whole on this one. */
export function drawSignOff(doc: PDFKit.PDFDocument, plan: SignOffPlan): void {
  const left = contentLeft(doc);
  const width = contentWidth(doc);
  const signWidth = width * SIGNATURE_SHARE;
  const qrColumn = width - signWidth - COLUMN_GAP;
  const { qr, signature } = plan;

  ensureSpace(doc, plan.height);
  const top = doc.y + SPACE_ABOVE;

  if (signature) {
    const signX = left + width - signWidth;
    doc.font(FONT_BOLD).fontSize(SIZE.body).text(signature.title, signX, top, shaped({ width: signWidth, align: 'center' }));
    if (signature.name) doc.text(signature.name, signX, doc.y + SIGNING_ROOM, shaped({ width: signWidth, align: 'center' }));
  }

  doc.font(FONT_REGULAR).fontSize(SIZE.qrCaption).text(qr.caption, left, top, shaped({ width: qrColumn }));
  drawQr(doc, qr.url, left, top + plan.captionHeight + plan.quiet, QR_SIZE);
  doc.font(FONT_REGULAR).fontSize(plan.urlSize).text(qr.url, left, top + plan.urlOffset, shaped({ width: plan.urlWidth, link: qr.url }));

  doc.x = left;
  doc.y = top - SPACE_ABOVE + plan.height;
}
