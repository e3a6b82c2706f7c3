// Citizens and businesses: registration with email verification, login with lockout, password
// reset. Every failure a person can cause is an AppError naming the field, and nothing is stored
// unless everything is valid (one transaction per use case).
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, type FieldProblem } from '../../platform/errors/app-error.js';
import { appendAudit, maskIdNumber } from '../../platform/audit/audit.js';
import { hashToken, randomToken } from '../../platform/security/secrets.js';
import { queueEmail } from '../notify/notify.service.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';
import { checkCitizenId, checkTaxCode, normalizeEmail, normalizePhone, type Reason } from './identity-validators.js';
import { checkPasswordStrength, hashPassword, verifyPassword } from './password.js';
import { createSession } from './sessions.js';

const VERIFY_HOURS = 48;
const RESET_MINUTES = 60;

function problem(name: string, reason: Reason): FieldProblem {
  return { name, message: { key: reason.key, ...(reason.params ? { params: reason.params } : {}) } };
}

function fail(problems: FieldProblem[], code: 'invalid_input' | 'conflict' = 'invalid_input'): never {
  throw new AppError(code, 'error.invalid_input', {}, problems);
}

export interface CitizenRegistration {
  fullName: string;
  idNumber: string;
  email: string;
  phone: string;
  password: string;
}

export interface BusinessRegistration {
  businessName: string;
  taxCode: string;
  legalRepName: string;
  legalRepIdNumber: string;
  email: string;
  phone: string;
  password: string;
}

function checkCommon(input: { email: string; phone: string; password: string }, personal: string[]): { problems: FieldProblem[]; email?: string; phone?: string } {
  const problems: FieldProblem[] = [];
  const email = normalizeEmail(input.email);
  if (!email) problems.push(problem('email', { key: 'identity.email.format' }));
  const phone = normalizePhone(input.phone);
  if (!phone) problems.push(problem('phone', { key: 'identity.phone.format' }));
  for (const reason of checkPasswordStrength(input.password, personal)) problems.push(problem('password', reason));
  return { problems, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

function checkName(name: string, field: string, problems: FieldProblem[]): string {
  const clean = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (clean.length < 2 || clean.length > 200) problems.push(problem(field, { key: 'identity.name.length' }));
  return clean;
}

async function emailTaken(trx: Transaction<DB>, email: string): Promise<boolean> {
  const row = await trx.selectFrom('account').select('id').where(sql`lower(email)`, '=', email).executeTakeFirst();
  return row !== undefined;
}

async function issueEmailToken(trx: Transaction<DB>, accountId: number, purpose: 'verify-email' | 'reset-password' | 'set-password', minutes: number): Promise<string> {
  const token = randomToken();
  await trx.updateTable('emailToken').set({ usedAt: sql`now()` }).where('accountId', '=', accountId).where('purpose', '=', purpose).where('usedAt', 'is', null).execute();
  await trx.insertInto('emailToken').values({ tokenHash: hashToken(token), accountId, purpose, expiresAt: new Date(Date.now() + minutes * 60_000) }).execute();
  return token;
}

export async function sendVerification(deps: IdentityDeps, trx: Transaction<DB>, account: { id: number; fullName: string; email: string }, locale: 'vi' | 'en'): Promise<void> {
  const token = await issueEmailToken(trx, account.id, 'verify-email', VERIFY_HOURS * 60);
  await queueEmail(deps.jobs, trx, {
    to: account.email,
    template: 'account.verify-email',
    locale,
    params: { name: account.fullName, link: `${deps.publicUrl}/xac-thuc-email?token=${token}` },
  });
}

export async function registerCitizen(deps: IdentityDeps, input: CitizenRegistration, meta: RequestMeta): Promise<number> {
  const problems: FieldProblem[] = [];
  const fullName = checkName(input.fullName, 'fullName', problems);
  const idNumber = input.idNumber.trim();
  for (const reason of checkCitizenId(idNumber).reasons) problems.push(problem('idNumber', reason));
  const common = checkCommon(input, [idNumber, ...(input.email.split('@')[0] ? [input.email.split('@')[0]!] : [])]);
  problems.push(...common.problems);
  if (problems.length) fail(problems);
  return deps.db.transaction().execute(async (trx) => {
    const duplicates: FieldProblem[] = [];
    const idTaken = await trx.selectFrom('account').select('id').where('kind', '=', 'citizen').where('idNumber', '=', idNumber).executeTakeFirst();
    if (idTaken) duplicates.push(problem('idNumber', { key: 'identity.idNumber.taken' }));
    if (await emailTaken(trx, common.email!)) duplicates.push(problem('email', { key: 'identity.email.taken' }));
    if (duplicates.length) fail(duplicates, 'conflict');
    const { id } = await trx
      .insertInto('account')
      .values({ kind: 'citizen', fullName, idNumber, email: common.email!, phone: common.phone!, passwordHash: await hashPassword(input.password), locale: meta.locale } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await sendVerification(deps, trx, { id, fullName, email: common.email! }, meta.locale);
    await appendAudit(trx, { actorType: 'citizen', actorId: String(id), action: 'account.create', objectType: 'account', objectId: String(id), ip: meta.ip ?? null, details: { kind: 'citizen', idNumber: maskIdNumber(idNumber) } });
    return id;
  });
}

export async function registerBusiness(deps: IdentityDeps, input: BusinessRegistration, meta: RequestMeta): Promise<number> {
  const problems: FieldProblem[] = [];
  const businessName = checkName(input.businessName, 'businessName', problems);
  const legalRepName = checkName(input.legalRepName, 'legalRepName', problems);
  const taxCode = input.taxCode.trim();
  for (const reason of checkTaxCode(taxCode)) problems.push(problem('taxCode', reason));
  const legalRepIdNumber = input.legalRepIdNumber.trim();
  for (const reason of checkCitizenId(legalRepIdNumber).reasons) problems.push(problem('legalRepIdNumber', reason));
  const common = checkCommon(input, [taxCode]);
  problems.push(...common.problems);
  if (problems.length) fail(problems);
  return deps.db.transaction().execute(async (trx) => {
    const duplicates: FieldProblem[] = [];
    const taken = await trx.selectFrom('account').select('id').where('kind', '=', 'business').where('taxCode', '=', taxCode).executeTakeFirst();
    if (taken) duplicates.push(problem('taxCode', { key: 'identity.taxCode.taken' }));
    if (await emailTaken(trx, common.email!)) duplicates.push(problem('email', { key: 'identity.email.taken' }));
    if (duplicates.length) fail(duplicates, 'conflict');
    const { id } = await trx
      .insertInto('account')
      .values({ kind: 'business', fullName: businessName, taxCode, legalRepName, legalRepIdNumber, email: common.email!, phone: common.phone!, passwordHash: await hashPassword(input.password), locale: meta.locale } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    // The legal representative's own citizen account, when there is one, may act for the business.
    const representative = await trx.selectFrom('account').select('id').where('kind', '=', 'citizen').where('idNumber', '=', legalRepIdNumber).executeTakeFirst();
    if (representative) await trx.insertInto('businessLink').values({ businessId: id, citizenId: representative.id, role: 'representative' }).execute();
    await sendVerification(deps, trx, { id, fullName: businessName, email: common.email! }, meta.locale);
    await appendAudit(trx, { actorType: 'business', actorId: String(id), action: 'account.create', objectType: 'account', objectId: String(id), ip: meta.ip ?? null, details: { kind: 'business', taxCode } });
    return id;
  });
}

/** Consumes a one-use email token; an unknown, used or expired one is refused the same way. */
async function consumeToken(trx: Transaction<DB>, token: string, purpose: 'verify-email' | 'reset-password' | 'set-password'): Promise<number> {
  const row = await trx
    .updateTable('emailToken')
    .set({ usedAt: sql`now()` })
    .where('tokenHash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', sql<Date>`now()`)
    .returning('accountId')
    .executeTakeFirst();
  if (!row) throw new AppError('invalid_input', 'identity.token.invalid');
  return row.accountId;
}

export async function verifyEmail(deps: IdentityDeps, token: string, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const accountId = await consumeToken(trx, token, 'verify-email');
    await trx.updateTable('account').set({ emailVerifiedAt: sql`now()`, updatedAt: sql`now()` }).where('id', '=', accountId).execute();
    await appendAudit(trx, { actorType: 'anonymous', action: 'account.verify_email', objectType: 'account', objectId: String(accountId), ip: meta.ip ?? null });
  });
}

export interface LoginResult {
  sessionToken: string;
  accountKind: 'citizen' | 'business' | 'officer';
  /** Officers continue with TOTP: enrol first when they have none yet. */
  next: 'done' | 'totp' | 'totp-enrol';
}

export async function login(deps: IdentityDeps, input: { email: string; password: string }, meta: RequestMeta): Promise<LoginResult> {
  const email = normalizeEmail(input.email) ?? input.email.trim().toLowerCase();
  const account = await deps.db.selectFrom('account').selectAll().where(sql`lower(email)`, '=', email).executeTakeFirst();
  const lockedUntil = account?.lockedUntil ? new Date(account.lockedUntil) : undefined;
  if (account && lockedUntil && lockedUntil > new Date()) {
    await deps.db.transaction().execute((trx) =>
      appendAudit(trx, { actorType: 'anonymous', action: 'auth.login.failure', objectType: 'account', objectId: String(account.id), ip: meta.ip ?? null, details: { reason: 'locked' } }),
    );
    throw new AppError('unauthenticated', 'identity.login.locked', { minutes: Math.ceil((lockedUntil.getTime() - Date.now()) / 60_000) });
  }
  const ok = await verifyPassword(account?.passwordHash ?? null, input.password);
  if (!account || !ok || account.disabledAt) {
    await deps.db.transaction().execute(async (trx) => {
      if (account) {
        const failures = account.failedLogins + 1;
        const lock = failures >= deps.loginMaxFailures;
        await trx
          .updateTable('account')
          .set({ failedLogins: lock ? 0 : failures, lockedUntil: lock ? new Date(Date.now() + deps.loginLockMinutes * 60_000) : account.lockedUntil })
          .where('id', '=', account.id)
          .execute();
      }
      await appendAudit(trx, { actorType: 'anonymous', action: 'auth.login.failure', objectType: account ? 'account' : null, objectId: account ? String(account.id) : null, ip: meta.ip ?? null, details: { reason: account ? 'password' : 'unknown-email' } });
    });
    throw new AppError('unauthenticated', 'identity.login.failed');
  }
  if (account.kind !== 'officer' && !account.emailVerifiedAt) throw new AppError('unauthenticated', 'identity.login.unverified');
  return deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('account').set({ failedLogins: 0, lockedUntil: null }).where('id', '=', account.id).execute();
    await appendAudit(trx, { actorType: account.kind, actorId: String(account.id), action: 'auth.login.success', objectType: 'account', objectId: String(account.id), ip: meta.ip ?? null, details: { method: 'password' } });
    const sessionToken = await createSession(trx, account.id, deps.sessions, { mfaPassed: false, ip: meta.ip, userAgent: meta.userAgent });
    return { sessionToken, accountKind: account.kind, next: account.kind !== 'officer' ? 'done' : account.totpConfirmedAt ? 'totp' : 'totp-enrol' };
  });
}

/** Always answers the same way, so that the form does not reveal which emails have accounts. */
export async function requestPasswordReset(deps: IdentityDeps, emailInput: string, meta: RequestMeta): Promise<void> {
  const email = normalizeEmail(emailInput);
  if (!email) throw new AppError('invalid_input', 'error.invalid_input', {}, [problem('email', { key: 'identity.email.format' })]);
  await deps.db.transaction().execute(async (trx) => {
    const account = await trx.selectFrom('account').select(['id', 'fullName', 'email', 'locale']).where(sql`lower(email)`, '=', email).where('disabledAt', 'is', null).executeTakeFirst();
    if (!account?.email) return;
    const token = await issueEmailToken(trx, account.id, 'reset-password', RESET_MINUTES);
    await queueEmail(deps.jobs, trx, {
      to: account.email,
      template: 'account.reset-password',
      locale: meta.locale,
      params: { name: account.fullName, link: `${deps.publicUrl}/dat-lai-mat-khau?token=${token}`, expiresInMinutes: RESET_MINUTES },
    });
    await appendAudit(trx, { actorType: 'anonymous', action: 'account.reset_requested', objectType: 'account', objectId: String(account.id), ip: meta.ip ?? null });
  });
}

/** Sets a new password from a reset (or first set-password) link; every session of the account ends. */
export async function resetPassword(deps: IdentityDeps, token: string, password: string, meta: RequestMeta, purpose: 'reset-password' | 'set-password' = 'reset-password'): Promise<void> {
  const reasons = checkPasswordStrength(password);
  if (reasons.length) fail(reasons.map((r) => problem('password', r)));
  const passwordHash = await hashPassword(password);
  await deps.db.transaction().execute(async (trx) => {
    const accountId = await consumeToken(trx, token, purpose);
    // The same personal-data rule as at registration; a refusal rolls back, so the link still works.
    const account = await trx.selectFrom('account').select(['email', 'idNumber', 'taxCode']).where('id', '=', accountId).executeTakeFirstOrThrow();
    const personal = [account.idNumber, account.taxCode, account.email?.split('@')[0]].filter((v): v is string => Boolean(v));
    const personalReasons = checkPasswordStrength(password, personal);
    if (personalReasons.length) fail(personalReasons.map((r) => problem('password', r)));
    await trx
      .updateTable('account')
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, emailVerifiedAt: sql`coalesce(email_verified_at, now())`, updatedAt: sql`now()` })
      .where('id', '=', accountId)
      .execute();
    await trx.deleteFrom('session').where('accountId', '=', accountId).execute();
    await appendAudit(trx, { actorType: 'anonymous', action: 'account.password_reset', objectType: 'account', objectId: String(accountId), ip: meta.ip ?? null });
  });
}
