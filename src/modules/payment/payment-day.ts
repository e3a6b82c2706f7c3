// Calendar days of the payment module: 'YYYY-MM-DD' texts, in Vietnam time (UTC+7 all year).
import { vietnamDayDigits } from './vnpay-sign.js';

/** A calendar day 'YYYY-MM-DD' that exists. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The Vietnam calendar day of an instant, 'YYYY-MM-DD'. */
export function vietnamDay(at: Date): string {
  const d = vietnamDayDigits(at);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}
