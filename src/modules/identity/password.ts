// Passwords: argon2id (RFC 9106) with @node-rs/argon2's defaults (m=19 MiB, t=2, p=1, the OWASP
// minimum), a length floor and a bundled list of common passwords (NIST SP 800-63B §5.1.1.2).
import fs from 'node:fs';
import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const ARGON2ID = 2;
import type { Reason } from './identity-validators.js';

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 128;

const commonPasswords = new Set(
  fs
    .readFileSync(new URL('../../../data/rules/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l && !l.startsWith('#')),
);

export function checkPasswordStrength(password: string, personal: string[] = []): Reason[] {
  if (password.length < MIN_PASSWORD_LENGTH) return [{ key: 'identity.password.short', params: { min: MIN_PASSWORD_LENGTH } }];
  if (password.length > MAX_PASSWORD_LENGTH) return [{ key: 'identity.password.long', params: { max: MAX_PASSWORD_LENGTH } }];
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower) || /^(.)\1+$/.test(password) || /^(0123456789|1234567890|9876543210)+$/.test(password)) {
    return [{ key: 'identity.password.common' }];
  }
  if (personal.some((p) => p.length >= 4 && lower.includes(p.toLowerCase()))) return [{ key: 'identity.password.personal' }];
  return [];
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Without a hash (an eID-only account), still spend the time of a verification so that the
  // answer time does not tell which accounts exist.
  if (!passwordHash) {
    await hash(password, { algorithm: ARGON2ID });
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
