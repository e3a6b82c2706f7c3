import { en } from './messages.en.js';
import { vi, type MessageKey } from './messages.vi.js';

export type Locale = 'vi' | 'en';
export type { MessageKey };
export type MessageParams = Record<string, string | number>;

const catalogues: Record<Locale, Record<MessageKey, string>> = { vi, en };

export const locales: readonly Locale[] = ['vi', 'en'];

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

/** Looks a message up and fills its {placeholders}; an unknown placeholder stays visible. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translator = (key: MessageKey, params?: MessageParams) => string;

export function translator(locale: Locale): Translator {
  return (key, params) => translate(locale, key, params);
}
