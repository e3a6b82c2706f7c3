// What an audit entry may say about people. The audit log is kept for years and read by auditors
// and administrators, so its details carry facts (what changed, which record), never secrets and
// never a full identity number:
//  - No password, token or secret, in any form (a hash of a password included): a key whose name
//    says it holds one is refused, at any depth. Name the fact in the action instead
//    ('account.password.change' with no details). A key that identifies a token without being one
//    (tokenId, tokenName) is allowed.
//  - No full identity number. The personal identification number (CCCD), the old ID card number
//    (CMND) and the passport number are basic personal data (Decree 13/2023/NĐ-CP, art. 2(3)); an
//    entry that must tell which person it is about stores the account id, or the number masked by
//    maskIdNumber. A key that names an identity number must hold a masked value.
import { AuditError } from './audit-error.js';

/**
 * Masks an identity number for the audit log and for screens that only need to recognise it:
 * - 12 characters or more (CCCD): the first 4 (province of birth, century and sex) and the last 2,
 *   e.g. '079203001234' → '0792******34';
 * - 8 to 11 (CMND: 9 or 12 digits, passports: a letter and 7 digits): the first 2 and the last 2,
 *   e.g. '123456789' → '12*****89';
 * - shorter: every character masked.
 * Spaces are dropped first. Masking a masked value gives it back unchanged.
 */
export function maskIdNumber(value: string): string {
  const compact = value.replace(/\s+/g, '');
  const n = compact.length;
  if (n >= 12) return `${compact.slice(0, 4)}${'*'.repeat(n - 6)}${compact.slice(-2)}`;
  if (n >= 8) return `${compact.slice(0, 2)}${'*'.repeat(n - 4)}${compact.slice(-2)}`;
  return '*'.repeat(n);
}

const SECRET_PARTS = ['password', 'passwd', 'passphrase', 'secret'];
const SECRET_NAMES = new Set(['authorization', 'cookie', 'setcookie', 'otp', 'pin']);
// citizenId is not here: in this code base it is the citizen account's id (identity.table.ts).
// SoDinhDanh is the VNeID claim that carries the CCCD number.
const ID_NUMBER_PARTS = ['idnumber', 'identitynumber', 'identityno', 'sodinhdanh', 'cccd', 'cmnd', 'nationalid', 'personalid', 'passportno', 'passportnumber'];

/** Lower case, letters and digits only: accessToken, access_token and Access-Token are one name. */
function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function isSecretKey(key: string): boolean {
  const k = normalizeKey(key);
  return SECRET_PARTS.some((part) => k.includes(part)) || SECRET_NAMES.has(k) || /tokens?$/.test(k);
}

function isIdNumberKey(key: string): boolean {
  const k = normalizeKey(key);
  return ID_NUMBER_PARTS.some((part) => k.includes(part));
}

/** A masked identity number shows at most 6 of its characters and hides at least one. */
function isMasked(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.includes('*') && value.replace(/\*/g, '').length <= 6);
}

/** Throws AuditError('audit_details_forbidden') naming the first offending path, e.g. details.user.password. */
export function assertDetailsSafe(value: unknown, path = 'details'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertDetailsSafe(item, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    if (isSecretKey(key)) {
      throw new AuditError('audit_details_forbidden', `Audit details must not carry passwords, tokens or secrets: ${childPath} is refused`);
    }
    if (isIdNumberKey(key) && !isMasked(child)) {
      throw new AuditError('audit_details_forbidden', `Audit details must not carry a full identity number: mask ${childPath} with maskIdNumber`);
    }
    assertDetailsSafe(child, childPath);
  }
}
