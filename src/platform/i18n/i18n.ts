// The message catalogues: the platform's own, then each module's, merged into one key space.
import { calendarEn, calendarVi } from '../../modules/calendar/calendar.messages.js';
import { documentEn, documentVi } from '../../modules/document/document.messages.js';
import { dossierEn, dossierVi } from '../../modules/dossier/dossier.messages.js';
import { submissionEn, submissionVi } from '../../modules/dossier/submission.messages.js';
import { workflowEn, workflowVi } from '../../modules/workflow/workflow.messages.js';
import { identityEn, identityVi } from '../../modules/identity/identity.messages.js';
import { formsEn, formsVi } from '../../modules/workflow/forms.messages.js';
import { walkInEn, walkInVi } from '../../modules/workflow/walk-in.messages.js';
import { signatureEn, signatureVi } from '../../modules/signature/signature.messages.js';
import { paymentEn, paymentVi } from '../../modules/payment/payment.messages.js';
import { en as coreEn } from './messages.en.js';
import { vi as coreVi } from './messages.vi.js';

const vi = { ...coreVi, ...calendarVi, ...identityVi, ...documentVi, ...dossierVi, ...submissionVi, ...workflowVi, ...formsVi, ...walkInVi, ...signatureVi, ...paymentVi };
export type MessageKey = keyof typeof vi;
const en: Record<MessageKey, string> = { ...coreEn, ...calendarEn, ...identityEn, ...documentEn, ...dossierEn, ...submissionEn, ...workflowEn, ...formsEn, ...walkInEn, ...signatureEn, ...paymentEn };

export type Locale = 'vi' | 'en';
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
