// The name an applicant's file is shown and downloaded under. The name comes from the browser and
// is only a label: the file itself is stored under its hash (storage.ts), so nothing here ever
// becomes a path. It is still cleaned, because it goes back out in Content-Disposition headers, in
// exported dossiers and onto officers' Windows desktops.

const FALLBACK = 'tep-dinh-kem';
const MAX_LENGTH = 150;
/** A trailing ".ext" worth keeping when the name is cut: short, letters and digits only. */
const EXTENSION = /\.[\p{L}\p{N}]{1,10}$/u;
// Control and invisible format characters (including the right-to-left override that makes
// "hoso\u202Efdp.exe" look like "hosoexe.pdf"), and the characters Windows forbids in names.
const FORBIDDEN = /[\p{Cc}\p{Cf}<>:"|?*]/gu;
// Device names Windows refuses whatever the extension ("CON.pdf").
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

export function safeFileName(name: string): string {
  // Browsers on macOS send decomposed Vietnamese (e + combining marks); NFC makes "ệ" one letter.
  const lastPart = String(name).normalize('NFC').split(/[\\/]/).pop() ?? '';
  let cleaned = trimEnds(lastPart.replace(FORBIDDEN, '').replace(/\s+/g, ' '));
  if (WINDOWS_DEVICE.test(cleaned)) cleaned = `_${cleaned}`;
  cleaned = capLength(cleaned);
  return cleaned === '' ? FALLBACK : cleaned;
}

/** Dots and spaces at either end: Windows drops trailing ones, a leading dot hides the file. */
function trimEnds(value: string): string {
  return value.replace(/^[.\s]+|[.\s]+$/gu, '');
}

/** At most MAX_LENGTH characters (code points, so no letter is cut in half), keeping the extension. */
function capLength(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= MAX_LENGTH) return value;
  const extension = EXTENSION.exec(value)?.[0] ?? '';
  const stemLength = MAX_LENGTH - Array.from(extension).length;
  const stem = trimEnds(chars.slice(0, chars.length - Array.from(extension).length).slice(0, stemLength).join(''));
  return `${stem}${extension}`;
}
