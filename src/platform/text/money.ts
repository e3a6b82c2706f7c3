// Amounts of money are integer VND (DOMAIN.md §8); pages write them with the locale's grouping
// and the đồng sign, e.g. "8.000 ₫" (a no-break space keeps the sign on the same line).
import type { Locale } from '../i18n/i18n.js';

const formats: Record<Locale, Intl.NumberFormat> = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-GB') };

export function formatVnd(locale: Locale, amount: number): string {
  return `${formats[locale].format(amount)}\u00a0₫`;
}
