import type { FieldProblem } from '../../platform/errors/app-error.js';
import { translate, type Locale, type MessageParams } from '../../platform/i18n/i18n.js';
import type { CalendarMessageKey } from './calendar.messages.js';

export type { CalendarMessageKey };

/** A calendar message in a language. */
export function calendarText(locale: Locale, key: CalendarMessageKey, params?: MessageParams): string {
  return translate(locale, key, params);
}

/** A calendar message for a FieldProblem, translated per request by the error handler. */
export function calendarProblem(key: CalendarMessageKey, params?: MessageParams): FieldProblem['message'] {
  return params ? { key, params } : { key };
}
