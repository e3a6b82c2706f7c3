// Times are stored as timestamptz and shown in Asia/Ho_Chi_Minh (ARCHITECTURE.md convention 11).
import type { Locale } from '../i18n/i18n.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const dateTime = { vi: new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: ZONE, hourCycle: 'h23' }), en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE }) };
const dateOnly = { vi: new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: ZONE }), en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: ZONE }) };

/** "14:05 28/11/2026" style, in Vietnam time. */
export function formatDateTime(locale: Locale, at: Date): string {
  return dateTime[locale].format(at);
}

/** "28/11/2026", in Vietnam time. */
export function formatDate(locale: Locale, at: Date): string {
  return dateOnly[locale].format(at);
}

/** Day, month and year of an instant in Vietnam time, for "ngày … tháng … năm …". */
export function vietnamDateParts(at: Date): { day: string; month: string; year: string } {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  return { day: String(local.getUTCDate()).padStart(2, '0'), month: String(local.getUTCMonth() + 1).padStart(2, '0'), year: String(local.getUTCFullYear()) };
}
