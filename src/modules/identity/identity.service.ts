// The identity module's public surface: registration, login (password, TOTP, national eID),
// sessions, officers and roles, API tokens. Other modules import from here only.
import { sql } from 'kysely';
import { appendAudit, maskIdNumber } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/access/access.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { IdentityDeps, RequestMeta } from './identity-deps.js';
import { createSession, endSession, rotateSession, type SessionRecord } from './sessions.js';
import type { VneidClient } from './vneid/vneid-client.js';

export { registerCitizen, registerBusiness, verifyEmail, login, requestPasswordReset, resetPassword, type LoginResult } from './accounts.js';
export { beginTotpEnrolment, confirmTotpEnrolment, verifySecondFactor, currentTotpCode } from './totp.js';
export { createOfficer, assignRole, revokeRole, unlockAccount, listManagedOfficers, getManagedOfficer } from './officers.js';
export { createApiToken, revokeApiToken, listApiTokens, createPersonalToken, listPersonalTokens, revokePersonalToken } from './api-tokens.js';
export type { IdentityDeps, RequestMeta } from './identity-deps.js';

export async function logout(deps: IdentityDeps, session: SessionRecord, actor: Actor, meta: RequestMeta): Promise<void> {
  await endSession(deps.db, session.id);
  if (actor.kind === 'anonymous' || actor.kind === 'api_token') return;
  await deps.db.transaction().execute((trx) =>
    appendAudit(trx, { actorType: actor.kind, actorId: String(actor.accountId), action: 'auth.logout', objectType: 'account', objectId: String(actor.accountId), ip: meta.ip ?? null }),
  );
}

export async function getProfile(deps: IdentityDeps, actor: Actor) {
  if (actor.kind === 'anonymous' || actor.kind === 'api_token') throw new AppError('unauthenticated');
  const account = await deps.db
    .selectFrom('account')
    .select(['id', 'kind', 'fullName', 'idNumber', 'taxCode', 'email', 'phone', 'birthDate', 'sex', 'address', 'locale', 'techId'])
    .where('id', '=', actor.accountId)
    .executeTakeFirstOrThrow();
  const businesses = await deps.db
    .selectFrom('businessLink as l')
    .innerJoin('account as b', 'b.id', 'l.businessId')
    .where('l.citizenId', '=', actor.accountId)
    .where('l.revokedAt', 'is', null)
    .select(['b.id', 'b.fullName', 'b.taxCode', 'l.role'])
    .execute();
  return { ...account, businesses };
}

/** Starts a national eID login: the PKCE verifier, state and nonce stay on the server. */
export async function startVneidLogin(deps: IdentityDeps, vneid: VneidClient): Promise<string> {
  const { url, pending } = await vneid.beginLogin();
  await deps.db.deleteFrom('oidcPending').where('createdAt', '<', sql<Date>`now() - interval '1 hour'`).execute();
  await deps.db.insertInto('oidcPending').values({ state: pending.state, nonce: pending.nonce, codeVerifier: pending.codeVerifier, returnTo: null }).execute();
  return url;
}

/**
 * Completes a national eID login. The pending login is consumed first (a replayed callback finds
 * nothing); the account is matched on the identity number (DOMAIN.md §11) and linked, or created.
 */
export async function completeVneidLogin(deps: IdentityDeps, vneid: VneidClient, callbackUrl: URL, meta: RequestMeta): Promise<{ sessionToken: string; accountId: number }> {
  const state = callbackUrl.searchParams.get('state') ?? '';
  const pending = await deps.db.deleteFrom('oidcPending').where('state', '=', state).returningAll().executeTakeFirst();
  if (!pending) throw new AppError('invalid_input', 'identity.vneid.state');
  const identity = await vneid.completeLogin(callbackUrl, {
    state: pending.state,
    nonce: pending.nonce,
    codeVerifier: pending.codeVerifier,
    createdAt: new Date(pending.createdAt).getTime(),
  });
  return deps.db.transaction().execute(async (trx) => {
    let account = await trx
      .selectFrom('account')
      .select(['id', 'kind', 'disabledAt'])
      .where((eb) => eb.or([eb('nationalSubject', '=', identity.subject), eb.and([eb('kind', '=', 'citizen'), eb('idNumber', '=', identity.idNumber)])]))
      .executeTakeFirst();
    let created = false;
    if (!account) {
      const emailFree = identity.email ? !(await trx.selectFrom('account').select('id').where(sql`lower(email)`, '=', identity.email.toLowerCase()).executeTakeFirst()) : false;
      account = await trx
        .insertInto('account')
        .values({
          kind: 'citizen',
          fullName: identity.fullName ?? identity.idNumber,
          idNumber: identity.idNumber,
          email: emailFree ? identity.email!.toLowerCase() : null,
          emailVerifiedAt: emailFree ? new Date() : null,
          phone: identity.phone ?? null,
          nationalSubject: identity.subject,
          techId: identity.techId ?? null,
          birthDate: identity.birthDate ?? null,
          sex: identity.sex ?? null,
          address: identity.currentAddress ?? identity.permanentAddress ?? null,
          locale: meta.locale,
        } as never)
        .returning(['id', 'kind', 'disabledAt'])
        .executeTakeFirstOrThrow();
      created = true;
    } else {
      if (account.disabledAt) throw new AppError('unauthenticated', 'identity.login.failed');
      const current = await trx.selectFrom('account').select(['nationalSubject', 'email', 'passwordHash']).where('id', '=', account.id).executeTakeFirstOrThrow();
      // The first eID login proves whose identity number this is. A self-registered account with
      // another email may have been opened by someone else with this number: its password and
      // sessions end, and the person continues with VNeID (and may set a new password later).
      const firstLink = current.nationalSubject === null;
      const foreignEmail = current.email !== null && current.email.toLowerCase() !== identity.email?.toLowerCase();
      if (firstLink && current.passwordHash && foreignEmail) {
        await trx.updateTable('account').set({ passwordHash: null }).where('id', '=', account.id).execute();
        await trx.deleteFrom('session').where('accountId', '=', account.id).execute();
      }
      // Keep TechID: the national portal attributes synced dossiers with it.
      await trx.updateTable('account').set({ nationalSubject: identity.subject, techId: identity.techId ?? null, updatedAt: sql`now()` }).where('id', '=', account.id).execute();
    }
    if (created) {
      await appendAudit(trx, { actorType: 'citizen', actorId: String(account.id), action: 'account.create', objectType: 'account', objectId: String(account.id), ip: meta.ip ?? null, details: { method: 'vneid', idNumber: maskIdNumber(identity.idNumber) } });
    }
    await appendAudit(trx, {
      actorType: 'citizen',
      actorId: String(account.id),
      action: 'auth.login.success',
      objectType: 'account',
      objectId: String(account.id),
      ip: meta.ip ?? null,
      details: { method: 'vneid', created, idNumber: maskIdNumber(identity.idNumber) },
    });
    const sessionToken = await createSession(trx, account.id, deps.sessions, { mfaPassed: false, ip: meta.ip, userAgent: meta.userAgent });
    return { sessionToken, accountId: account.id };
  });
}

/** The back-office home's facts: the officer's roles and where they hold them. */
export async function getBackOfficeHome(deps: IdentityDeps, actor: Actor) {
  requireAccess(actor, 'backoffice.access');
  if (actor.kind !== 'officer') throw new AppError('not_found');
  return deps.db
    .selectFrom('roleAssignment as r')
    .innerJoin('agency as a', 'a.id', 'r.agencyId')
    .where('r.accountId', '=', actor.accountId)
    .where('r.revokedAt', 'is', null)
    .select(['r.role', 'a.code', 'a.name'])
    .orderBy('a.code')
    .execute();
}

/** A business account authorises a citizen (found by CCCD and email, both must match) to act for it. */
export async function linkDelegate(deps: IdentityDeps, actor: Actor, input: { idNumber: string; email: string }, meta: RequestMeta): Promise<void> {
  requireAccess(actor, 'business.link');
  if (actor.kind !== 'business') throw new AppError('not_found');
  const citizen = await deps.db
    .selectFrom('account')
    .select(['id'])
    .where('kind', '=', 'citizen')
    .where('idNumber', '=', input.idNumber.trim())
    .where(sql`lower(email)`, '=', input.email.trim().toLowerCase())
    .where('emailVerifiedAt', 'is not', null)
    .executeTakeFirst();
  // One message whichever part is wrong, so the form cannot be used to look people up.
  if (!citizen) throw new AppError('invalid_input', 'error.invalid_input', {}, [{ name: 'idNumber', message: { key: 'identity.link.notFound' } }]);
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('businessLink').select('revokedAt').where('businessId', '=', actor.accountId).where('citizenId', '=', citizen.id).executeTakeFirst();
    if (existing && !existing.revokedAt) throw new AppError('conflict', 'error.invalid_input', {}, [{ name: 'idNumber', message: { key: 'identity.link.exists' } }]);
    if (existing) await trx.updateTable('businessLink').set({ revokedAt: null, role: 'delegate' }).where('businessId', '=', actor.accountId).where('citizenId', '=', citizen.id).execute();
    else await trx.insertInto('businessLink').values({ businessId: actor.accountId, citizenId: citizen.id, role: 'delegate', revokedAt: null }).execute();
    await appendAudit(trx, { actorType: 'business', actorId: String(actor.accountId), action: 'business.link', objectType: 'account', objectId: String(citizen.id), ip: meta.ip ?? null });
  });
}

export async function listDelegates(deps: IdentityDeps, actor: Actor) {
  requireAccess(actor, 'business.link');
  if (actor.kind !== 'business') throw new AppError('not_found');
  return deps.db
    .selectFrom('businessLink as l')
    .innerJoin('account as c', 'c.id', 'l.citizenId')
    .where('l.businessId', '=', actor.accountId)
    .where('l.revokedAt', 'is', null)
    .select(['c.id', 'c.fullName', 'l.role'])
    .orderBy('c.fullName')
    .execute();
}

/** A linked citizen starts (or stops, with null) acting for a business: a new session id. */
export async function actForBusiness(deps: IdentityDeps, actor: Actor, session: SessionRecord, businessId: number | null): Promise<string> {
  requireAccess(actor, 'business.link');
  if (actor.kind !== 'citizen') throw new AppError('not_found');
  if (businessId !== null) {
    const link = await deps.db.selectFrom('businessLink').select('role').where('businessId', '=', businessId).where('citizenId', '=', actor.accountId).where('revokedAt', 'is', null).executeTakeFirst();
    if (!link) throw new AppError('not_found');
  }
  return rotateSession(deps.db, session, deps.sessions, { actingBusinessId: businessId });
}

export async function hasSecondFactor(deps: IdentityDeps, accountId: number): Promise<boolean> {
  const row = await deps.db.selectFrom('account').select('totpConfirmedAt').where('id', '=', accountId).executeTakeFirst();
  return Boolean(row?.totpConfirmedAt);
}
