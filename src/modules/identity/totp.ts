// Officers' second factor: TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1 as authenticator apps
// expect). The seed is sealed with the server's secret key; a code is accepted once (the last used
// step is stored, so a code seen over someone's shoulder cannot be replayed) within ±1 step.
// Ten one-use recovery codes, stored as hashes, are shown once at enrolment.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { AppError } from '../../platform/errors/app-error.js';
import { appendAudit } from '../../platform/audit/audit.js';
import { hashToken } from '../../platform/security/secrets.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';
import { rotateSession, type SessionRecord } from './sessions.js';

const ISSUER = 'MộtCửa';

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** Starts (or restarts) enrolment for an officer who has no confirmed factor yet. */
export async function beginTotpEnrolment(deps: IdentityDeps, accountId: number): Promise<TotpEnrolment> {
  const account = await deps.db.selectFrom('account').select(['email', 'totpConfirmedAt', 'totpSecret']).where('id', '=', accountId).executeTakeFirstOrThrow();
  if (account.totpConfirmedAt) throw new AppError('conflict', 'identity.totp.alreadyEnrolled');
  // Keep an unconfirmed seed across reloads so the QR code scanned a minute ago stays valid.
  const secret = account.totpSecret ? deps.secrets.open(account.totpSecret) : new Secret({ size: 20 }).base32;
  if (!account.totpSecret) await deps.db.updateTable('account').set({ totpSecret: deps.secrets.seal(secret) }).where('id', '=', accountId).execute();
  const uri = totpFor(secret, account.email ?? String(accountId)).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, uri, qrSvg };
}

// No 0/O or 1/I: recovery codes are printed and typed back by hand.
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function recoveryCode(): string {
  return Array.from(randomBytes(10), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
}

function matchStep(secret: string, code: string, lastStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const totp = totpFor(secret, 'x');
  const delta = totp.validate({ token: code, window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(Date.now() / 1000 / 30) + delta;
  return lastStep !== null && step <= lastStep ? undefined : step;
}

async function passSecondFactor(deps: IdentityDeps, session: SessionRecord, accountId: number, method: string, meta: RequestMeta): Promise<string> {
  await deps.db.transaction().execute((trx) =>
    appendAudit(trx, { actorType: 'officer', actorId: String(accountId), action: 'auth.mfa.success', objectType: 'account', objectId: String(accountId), ip: meta.ip ?? null, details: { method } }),
  );
  // A privilege change: the session gets a new id (session fixation cannot carry over).
  return rotateSession(deps.db, session, deps.sessions, { mfaPassed: true });
}

/** A wrong code counts like a wrong password: past the limit the account locks and every
 *  session of it ends, so a stolen password cannot be followed by unlimited code guesses. */
async function recordMfaFailure(deps: IdentityDeps, accountId: number, meta: RequestMeta): Promise<never> {
  const locked = await deps.db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('account').select(['failedLogins']).where('id', '=', accountId).executeTakeFirstOrThrow();
    const failures = account.failedLogins + 1;
    const lock = failures >= deps.loginMaxFailures;
    await trx
      .updateTable('account')
      .set(lock ? { failedLogins: 0, lockedUntil: new Date(Date.now() + deps.loginLockMinutes * 60_000) } : { failedLogins: failures })
      .where('id', '=', accountId)
      .execute();
    if (lock) await trx.deleteFrom('session').where('accountId', '=', accountId).execute();
    await appendAudit(trx, { actorType: 'officer', actorId: String(accountId), action: 'auth.mfa.failure', objectType: 'account', objectId: String(accountId), ip: meta.ip ?? null, details: { locked: lock } });
    return lock;
  });
  if (locked) throw new AppError('unauthenticated', 'identity.login.locked', { minutes: deps.loginLockMinutes });
  throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'code', message: { key: 'identity.totp.wrong' } }]);
}

/** Confirms enrolment with a first code; returns the new session token and the recovery codes. */
export async function confirmTotpEnrolment(deps: IdentityDeps, session: SessionRecord, code: string, meta: RequestMeta): Promise<{ sessionToken: string; recoveryCodes: string[] }> {
  const account = await deps.db.selectFrom('account').select(['totpSecret', 'totpConfirmedAt', 'totpLastStep']).where('id', '=', session.accountId).executeTakeFirstOrThrow();
  if (account.totpConfirmedAt) throw new AppError('conflict', 'identity.totp.alreadyEnrolled');
  if (!account.totpSecret) throw new AppError('invalid_input', 'identity.totp.noEnrolment');
  const step = matchStep(deps.secrets.open(account.totpSecret), code.trim(), account.totpLastStep);
  if (step === undefined) return recordMfaFailure(deps, session.accountId, meta);
  const recoveryCodes = Array.from({ length: 10 }, recoveryCode);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('account').set({ totpConfirmedAt: sql`now()`, totpLastStep: step }).where('id', '=', session.accountId).execute();
    await trx.deleteFrom('recoveryCode').where('accountId', '=', session.accountId).execute();
    await trx.insertInto('recoveryCode').values(recoveryCodes.map((c) => ({ accountId: session.accountId, codeHash: hashToken(c), usedAt: null }))).execute();
    await appendAudit(trx, { actorType: 'officer', actorId: String(session.accountId), action: 'auth.mfa.enrol', objectType: 'account', objectId: String(session.accountId), ip: meta.ip ?? null });
  });
  return { sessionToken: await passSecondFactor(deps, session, session.accountId, 'totp-enrol', meta), recoveryCodes };
}

/** Checks a TOTP code, or a one-use recovery code, for an officer who has enrolled. */
export async function verifySecondFactor(deps: IdentityDeps, session: SessionRecord, code: string, meta: RequestMeta): Promise<string> {
  const account = await deps.db.selectFrom('account').select(['totpSecret', 'totpConfirmedAt', 'totpLastStep']).where('id', '=', session.accountId).executeTakeFirstOrThrow();
  if (!account.totpConfirmedAt || !account.totpSecret) throw new AppError('invalid_input', 'identity.totp.noEnrolment');
  const clean = code.replace(/\s+/g, '').toUpperCase();
  const step = matchStep(deps.secrets.open(account.totpSecret), clean, account.totpLastStep);
  if (step !== undefined) {
    // Conditional update: two requests with the same code cannot both pass.
    const updated = await deps.db
      .updateTable('account')
      .set({ totpLastStep: step })
      .where('id', '=', session.accountId)
      .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return passSecondFactor(deps, session, session.accountId, 'totp', meta);
    return recordMfaFailure(deps, session.accountId, meta);
  }
  const used = await deps.db
    .updateTable('recoveryCode')
    .set({ usedAt: sql`now()` })
    .where('accountId', '=', session.accountId)
    .where('codeHash', '=', hashToken(clean))
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) === 1) return passSecondFactor(deps, session, session.accountId, 'recovery-code', meta);
  return recordMfaFailure(deps, session.accountId, meta);
}

/** The current code for a seed: used by tests and the demo, never by the login path. */
export function currentTotpCode(secretBase32: string, at: number = Date.now()): string {
  return totpFor(secretBase32, 'x').generate({ timestamp: at });
}
