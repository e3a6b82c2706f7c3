// Validators for what people type when they register. Each returns the reasons a value is
// wrong (catalogue keys), so the form can show every one of them at once.
import citizenIdRule from '../../../data/rules/citizen-id.json' with { type: 'json' };
import type { MessageKey, MessageParams } from '../../platform/i18n/i18n.js';

export interface Reason {
  key: MessageKey;
  params?: MessageParams;
}

const centuryDigits = citizenIdRule.centuryDigits as Record<string, { century: number; sex: string }>;
const provinceCodes = citizenIdRule.provinces as Record<string, string>;

export interface CitizenIdParts {
  provinceCode: string;
  provinceName: string;
  sex: string;
  birthYear: number;
}

/** The 12-digit personal identification number (Decree 137/2015/NĐ-CP art. 7, Circular
 *  07/2016/TT-BCA art. 7): province of birth registration, century-and-sex digit, the last two
 *  digits of the birth year, then six serial digits. A birth year in the future is impossible. */
export function checkCitizenId(value: string, today: Date = new Date()): { reasons: Reason[]; parts?: CitizenIdParts } {
  const id = value.trim();
  if (!/^\d{12}$/.test(id)) return { reasons: [{ key: 'identity.idNumber.format' }] };
  const reasons: Reason[] = [];
  const provinceCode = id.slice(0, 3);
  const provinceName = provinceCodes[provinceCode];
  if (!provinceName) reasons.push({ key: 'identity.idNumber.province', params: { code: provinceCode } });
  const century = centuryDigits[id[3]!]!;
  const birthYear = century.century + Number(id.slice(4, 6));
  if (birthYear > today.getUTCFullYear()) reasons.push({ key: 'identity.idNumber.birthYear', params: { year: birthYear } });
  if (reasons.length > 0 || !provinceName) return { reasons };
  return { reasons, parts: { provinceCode, provinceName, sex: century.sex, birthYear } };
}

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** Enterprise code = tax code (Law on Enterprises 2020, art. 29): ten digits whose last is a
 *  check digit (10 − weighted sum mod 11), or ten digits, a hyphen and a three-digit branch
 *  number (001–999) for dependent units (Circular 105/2020/TT-BTC, art. 5). */
export function checkTaxCode(value: string): Reason[] {
  const code = value.trim();
  const m = /^(\d{10})(?:-(\d{3}))?$/.exec(code);
  if (!m) return [{ key: 'identity.taxCode.format' }];
  const digits = m[1]!.split('').map(Number);
  const sum = TAX_WEIGHTS.reduce((total, weight, i) => total + weight * digits[i]!, 0);
  const check = 10 - (sum % 11);
  const reasons: Reason[] = [];
  if (check !== digits[9]) reasons.push({ key: 'identity.taxCode.checksum' });
  if (m[2] === '000') reasons.push({ key: 'identity.taxCode.branch' });
  return reasons;
}

/** Vietnamese mobile numbers: 10 digits starting with 0 (or +84 followed by 9 digits). */
export function normalizePhone(value: string): string | undefined {
  const compact = value.replace(/[\s.-]/g, '');
  if (/^0[35789]\d{8}$/.test(compact)) return compact;
  if (/^\+84[35789]\d{8}$/.test(compact)) return `0${compact.slice(3)}`;
  return undefined;
}

export function normalizeEmail(value: string): string | undefined {
  const email = value.trim().toLowerCase();
  return /^[^\s@]{1,64}@[^\s@]{1,190}\.[a-z]{2,24}$/.test(email) && email.length <= 254 ? email : undefined;
}
