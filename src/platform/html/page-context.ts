import type { Locale, Translator } from '../i18n/i18n.js';

/** What every page needs to know about the request that asked for it. */
export interface PageContext {
  readonly locale: Locale;
  readonly t: Translator;
  readonly requestId: string;
  /** The request path, without the query string. */
  readonly path: string;
  /** The query string as parsed, for building links that keep filters. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** URL of the stylesheet, with its content hash for caching. */
  readonly stylesheet: string;
  /** The token every form carries in its hidden _csrf field. */
  readonly csrfToken: string;
  /** Who is signed in, for the header; undefined when nobody is. */
  readonly user: { name: string; kind: 'citizen' | 'business' | 'officer'; backOffice: boolean } | undefined;
}

/** Builds `path?query` from parameters, dropping empty ones; keeps filters in the URL. */
export function hrefWith(path: string, params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}
