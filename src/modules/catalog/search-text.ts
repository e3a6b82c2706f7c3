// Vietnamese search text. The database holds the one normaliser used for matching
// (mc_search_norm: lower case, unaccent, punctuation folded); this module prepares what the user
// typed before it reaches it, and mirrors the same folding for code that needs it without a query.

const MAX_QUERY_LENGTH = 200;

/** Cleans a raw query: Unicode NFC (phones send decomposed diacritics), trimmed, spaces collapsed,
 *  cut to a sane length. Returns '' when nothing searchable is left. */
export function cleanSearchQuery(raw: string | undefined | null): string {
  if (!raw) return '';
  return raw
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUERY_LENGTH);
}

/** Folds Vietnamese text the way mc_search_norm does: no diacritics, đ → d, lower case,
 *  every run of other characters becomes one space. A test checks both give the same result. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a folded query, for the "every word present" ranking tier. */
export function searchWords(folded: string): string[] {
  return folded.split(' ').filter((w) => w.length > 0).slice(0, 12);
}
