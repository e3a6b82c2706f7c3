// The fonts of every issued PDF: Noto Sans, shipped in assets/fonts (SIL Open Font License, see
// OFL.txt beside them), because it covers every Vietnamese letter and tone mark. Never a system
// font: a server without it would silently print boxes instead of "Đ", "ư" or "ệ".
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const FONT_REGULAR = 'noto-regular';
export const FONT_BOLD = 'noto-bold';

// src/modules/document → project root → assets/fonts, wherever the project is installed.
const FONT_DIR = new URL('../../../assets/fonts/', import.meta.url);

interface FontFiles {
  regular: Buffer;
  bold: Buffer;
}

let loading: Promise<FontFiles> | undefined;

/** Reads the two font files once per process; a failed read is retried on the next call. */
export function loadFonts(): Promise<FontFiles> {
  loading ??= Promise.all([
    readFile(fileURLToPath(new URL('NotoSans-Regular.ttf', FONT_DIR))),
    readFile(fileURLToPath(new URL('NotoSans-Bold.ttf', FONT_DIR))),
  ]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

export function registerFonts(doc: PDFKit.PDFDocument, fonts: FontFiles): void {
  doc.registerFont(FONT_REGULAR, fonts.regular);
  doc.registerFont(FONT_BOLD, fonts.bold);
}
