// How text is shaped. Noto Sans's "ccmp" feature splits letters with a dot below (ạ ẹ ị ọ ụ ỵ ậ ệ
// ộ ợ ự …) into the base letter plus a combining dot. pdfkit then maps each glyph to one text
// string, the first it met: the plain "i" glyph ends up meaning "ị" (or "ụ" meaning "u"), and a
// copied or searched "Dịch vụ" reads "Dich vu". With ccmp off the font's own precomposed letters
// are drawn — they look the same — and the text layer stays exact (searchable, accessible, and
// checkable with pdftotext). Marks the font has no precomposed letter for are still positioned by
// the "mark" feature.
//
// pdfkit passes `features` to fontkit unchanged; fontkit reads an object as on/off switches (an
// array can only add features), which is why the public type is widened here. fontkit also writes
// into the object it is given, so each call gets a fresh one.

type TextOptions = PDFKit.Mixins.TextOptions;

/** `options` plus the shaping every text call, measured or drawn, must use. */
export function shaped(options: TextOptions = {}): TextOptions {
  const features = { ccmp: false } as unknown as TextOptions['features'];
  return { ...options, features };
}
